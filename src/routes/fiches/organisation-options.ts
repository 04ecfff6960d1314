import { escapeHtml } from '$lib/utils/html';

/** Per list of organisations: the list is read once per change of published data (filterChoices). */
const written = new WeakMap<readonly { slug: string; name: string }[], string>();

/**
 * The organisation filter (`<select id="organisation">`) as one HTML string: its 250 options (at
 * ten years), `<option value="slug">name</option>` each, are written once per list, and the
 * chosen one is marked `selected`. Written by Svelte, each option cost two renderers and a
 * collection of their content on every render of `/fiches` (docs/performance.md, « the
 * organisation filter's options »); the whole element is here because Svelte writes a `<!>`
 * marker (not valid HTML) into a select whose options it does not write itself.
 */
export function organisationSelectHtml(
	organisations: readonly { slug: string; name: string }[],
	chosen: string | undefined
): string {
	let options = written.get(organisations);
	if (options === undefined) {
		options = organisations
			.map((o) => `<option value="${escapeHtml(o.slug)}">${escapeHtml(o.name)}</option>`)
			.join('');
		written.set(organisations, options);
	}
	const all = `<option value=""${chosen ? '' : ' selected=""'}>Toutes les organisations</option>`;
	if (chosen) {
		const value = escapeHtml(chosen);
		options = options.replace(
			`<option value="${value}">`,
			() => `<option value="${value}" selected="">`
		);
	}
	return `<select id="organisation" name="organisation">${all}${options}</select>`;
}
