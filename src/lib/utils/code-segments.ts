/**
 * A fiche's code in a sentence (« 14-1 »), or a reminder's day against a campaign's deadline
 * (« J-3 », « J+1 », `reminderSchedule`), not inside a longer word, number or date.
 */
const CODE_IN_TEXT = /(?<![\p{L}\p{N}-])(?:[1-9]\d?-[1-9]|J[-+][1-9]\d*)(?![\p{L}\p{N}-])/gu;

export interface TextSegment {
	text: string;
	/** A fiche's code or a reminder's day: shown whole, never cut after its hyphen at a line's end. */
	code: boolean;
}

/** A sentence cut around the fiche codes and reminder days it names, for NoBreakCodes.svelte. */
export function codeSegments(text: string): TextSegment[] {
	const segments: TextSegment[] = [];
	let from = 0;
	for (const match of text.matchAll(CODE_IN_TEXT)) {
		if (match.index > from) segments.push({ text: text.slice(from, match.index), code: false });
		segments.push({ text: match[0], code: true });
		from = match.index + match[0].length;
	}
	if (from < text.length) segments.push({ text: text.slice(from), code: false });
	return segments;
}
