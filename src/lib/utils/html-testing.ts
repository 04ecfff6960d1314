/**
 * Rendered HTML without its markup: tags and Svelte's comment markers (`<!---->`, `<!--[-->`)
 * dropped, the text and its spaces as they are (the specs that check a no-break space).
 */
export function withoutTags(html: string): string {
	return html.replace(/<!--[^>]*-->/g, '').replace(/<[^<>]+>/g, '');
}

/**
 * Rendered HTML as a reader reads it (the specs that check what a page, a notice or a mail says):
 * withoutTags, every run of white space (no-break ones included) made one space, trimmed.
 */
export function shownText(html: string): string {
	return withoutTags(html).replace(/\s+/g, ' ').trim();
}
