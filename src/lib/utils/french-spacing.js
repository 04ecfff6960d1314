// In JavaScript, not TypeScript: svelte.config.js applies the same rule to the templates' own text
// when they are compiled (scripts/svelte-french-spacing.js), and Node 20 loads that file as it is.

/**
 * French spacing for display: the spaces typed inside guillemets and before a colon become no-break
 * spaces, and those before « ; », « ! » and « ? » narrow no-break ones, so that a line never starts
 * with « » » or « : » nor ends with « « » (« Axe 1 « performance » : … » on a phone); likewise
 * between a number and the word, « € » or « k€ » after it (« 13 prioritaires », « 38 € »), and
 * before « % » (narrow, as formatPercent), inside a number typed with spaces (« 1 000 »,
 * narrow), and after « n° » and the « h » of a time (« 9 h 30 »). Only spaces already typed are changed; none is added.
 *
 * @param {string} text
 * @returns {string}
 */
export function frenchSpacing(text) {
	return (
		text
			.replace(/« +/g, '«\u00a0')
			// From the first space of a run only: tried from each space of a long run, the search grew
			// with the square of its length (docs/performance.md, « figures moved out of code comments »).
			.replace(/(?<! ) +([»:])/g, '\u00a0$1')
			.replace(/(?<! ) +([;!?])/g, '\u202f$1')
			.replace(/(\d) +(?=\d{3}(?!\d))/g, '$1\u202f')
			.replace(/(\d) +(?=k?€|\p{L})/gu, '$1\u00a0')
			// Narrow before « % », as formatPercent writes it: one spacing for a percentage on a page.
			.replace(/(\d) +(?=%)/g, '$1\u202f')
			.replace(/\b([nN][°º]|h) +(?=\d)/g, '$1\u00a0')
	);
}
