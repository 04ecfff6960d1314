/** A fiche's code in a sentence (« 14-1 »), not inside a longer word, number or date. */
const FICHE_CODE_IN_TEXT = /(?<![\p{L}\p{N}-])[1-9]\d?-[1-9](?![\p{L}\p{N}-])/gu;

export interface TextSegment {
	text: string;
	/** A fiche's code: shown whole, never cut after its hyphen at the end of a line. */
	code: boolean;
}

/** A sentence cut around the fiche codes it names, for NoBreakCodes.svelte. */
export function codeSegments(text: string): TextSegment[] {
	const segments: TextSegment[] = [];
	let from = 0;
	for (const match of text.matchAll(FICHE_CODE_IN_TEXT)) {
		if (match.index > from) segments.push({ text: text.slice(from, match.index), code: false });
		segments.push({ text: match[0], code: true });
		from = match.index + match[0].length;
	}
	if (from < text.length) segments.push({ text: text.slice(from), code: false });
	return segments;
}
