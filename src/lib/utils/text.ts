/** Lower-case, accents removed, typographic apostrophes unified: the form used for searching. */
export function foldForSearch(text: string): string {
	return text
		.normalize('NFD')
		.replace(/\p{Diacritic}/gu, '')
		.replace(/[’‘`]/g, "'")
		.replace(/œ/g, 'oe')
		.replace(/æ/g, 'ae')
		.toLowerCase()
		.replace(/\s+/g, ' ')
		.trim();
}

/**
 * The form in which fiches are searched: folded as above, then every run of punctuation (hyphens,
 * apostrophes, slashes…) read as one space, so that « tiers lieux », « tiers-lieux » and
 * « Tiers‑Lieux » are the same words, and « l’open data » holds « open data ».
 */
export function foldForMatching(text: string): string {
	return foldForSearch(text)
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/** French alphabetical order ("École" sorts with "E"). */
export function compareFrench(a: string, b: string): number {
	return collator.compare(a, b);
}

/** Orders fiche codes "N-M" by objective then fiche number ("9-1" < "10-1" < "10-2"). */
export function compareFicheCodes(a: string, b: string): number {
	const [an = 0, am = 0] = a.split('-').map(Number);
	const [bn = 0, bm = 0] = b.split('-').map(Number);
	return an - bn || am - bm;
}

export const FICHE_CODE_PATTERN = /^([1-9]\d?)-([1-9])$/;
/** A fiche's number in its objective is one digit (the open data's pattern): nine at most. */
export const MAX_FICHE_NUMBER = 9;

/** Two names or titles that differ only by case, accents, spaces or punctuation. */
export function sameWords(a: string, b: string): boolean {
	return foldForMatching(a) === foldForMatching(b);
}

/**
 * French spacing for display: the spaces typed inside guillemets and before a colon become no-break
 * spaces, and those before « ; », « ! » and « ? » narrow no-break ones, so that a line never starts
 * with « » » or « : » nor ends with « « » (« Axe 1 « performance » : … » on a phone); likewise
 * between a number and the word, « € », « k€ » or « % » after it (« 13 prioritaires », « 38 € »),
 * inside a number typed with spaces (« 1 000 », narrow), and after « n° » and the « h » of a time
 * (« 9 h 30 »). Only spaces already typed are changed; none is added.
 */
export function frenchSpacing(text: string): string {
	return (
		text
			.replace(/« +/g, '«\u00a0')
			// From the first space of a run only: tried from each space of a long run, the search grew
			// with the square of its length (10,000 spaces, the most a text field takes: 77 ms).
			.replace(/(?<! ) +([»:])/g, '\u00a0$1')
			.replace(/(?<! ) +([;!?])/g, '\u202f$1')
			.replace(/(\d) +(?=\d{3}(?!\d))/g, '$1\u202f')
			.replace(/(\d) +(?=k?€|%|\p{L})/gu, '$1\u00a0')
			.replace(/\b([nN][°º]|h) +(?=\d)/g, '$1\u00a0')
	);
}

/** An axis as headings name it, French-spaced: « Axe 1 « performance » : Transformation… » (its number when given). */
export function axisTitle(axis: { shortName: string; label: string; position?: number }): string {
	const number = axis.position === undefined ? '' : `${axis.position} `;
	return frenchSpacing(`Axe ${number}« ${axis.shortName} » : ${axis.label}`);
}
