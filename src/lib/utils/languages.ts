import { frenchSpacing } from './french-spacing';
import { escapeHtml } from './html';

// The English expressions the plan's French texts use as they are. A screen reader reads a text in
// its page's language (French) unless a part says otherwise (RGAA 8.7, WCAG 3.1.2): « open data »
// read with French sounds is hard to recognise. Words that French dictionaries have taken in
// (wifi, web, cloud, coworking, hackathon, MOOC…) are read well as French and are not marked.

/** Lower case; the longest first, so that « smart grid » is one part rather than « smart ». */
const ENGLISH_EXPRESSIONS = [
	'frictionless data',
	'open innovation',
	'data package',
	'data center',
	'e-marketing',
	'e-learning',
	'smart grid',
	'open data',
	'fab lab',
	'barcamp',
	'smart'
] as const;

/** A run of text, with its language when it is not the page's. */
export interface TextPart {
	text: string;
	lang?: 'en';
}

// Not inside a longer word: « smartphone » and « open-data » stay French text; any space between
// the words of an expression (a no-break one, a line break); plurals (« data centers », « smart grids »).
const ENGLISH = new RegExp(
	`(?<![\\p{L}\\p{N}-])(?:${ENGLISH_EXPRESSIONS.map((e) => e.replace(' ', '\\s+')).join('|')})s?(?![\\p{L}\\p{N}-])`,
	'giu'
);
const markup = new Map<string, string>();
/** Distinct texts kept as HTML: the plan's titles, labels and paragraphs, a few thousand at most. */
const MARKUP_KEPT = 5_000;

/** `text` cut into French runs and English expressions. */
export function languageParts(text: string): TextPart[] {
	const result: TextPart[] = [];
	let from = 0;
	for (const match of text.matchAll(ENGLISH)) {
		if (match.index > from) result.push({ text: text.slice(from, match.index) });
		result.push({ text: match[0], lang: 'en' });
		from = match.index + match[0].length;
	}
	if (from < text.length || result.length === 0) result.push({ text: text.slice(from) });
	return result;
}

const WORD = /[\p{L}\p{N}]+/gu;
const words = (text: string) => text.match(WORD)?.length ?? 0;

/**
 * The language of a text that cannot mark a part of itself (an `<option>` holds text only, no
 * `<span>`): English when its English expressions make at least half of its words (« Open
 * innovation », « Smart territoire »), otherwise the page's (undefined).
 */
export function wholeTextLang(text: string): 'en' | undefined {
	const english = languageParts(text)
		.filter((part) => part.lang)
		.reduce((count, part) => count + words(part.text), 0);
	return english > 0 && english * 2 >= words(text) ? 'en' : undefined;
}

/**
 * `text` as HTML: every character escaped, each English expression in `<span lang="en">`, with
 * French spacing (frenchSpacing) around guillemets and before « : ; ! ? ». What
 * LangText.svelte inserts: one string rather than a Svelte block per part, whose hydration markers
 * (about 30 bytes per text) made the plan's pages a tenth heavier.
 */
export function markedEnglish(text: string): string {
	const known = markup.get(text);
	if (known !== undefined) return known;
	const html = languageParts(frenchSpacing(text))
		.map((part) =>
			part.lang
				? `<span lang="${part.lang}">${escapeHtml(part.text)}</span>`
				: escapeHtml(part.text)
		)
		.join('');
	// The plan's texts come back on every page: each is cut and escaped once.
	if (markup.size >= MARKUP_KEPT) markup.clear();
	markup.set(text, html);
	return html;
}
