/**
 * The open data's CSV dialect (docs/open-data.md): UTF-8 without BOM, comma, RFC 4180 quoting,
 * `\n` line ends, one header row, empty cell for null.
 */

/**
 * A free-text cell that a spreadsheet would run as a formula (it begins with `=`, `+`, `-`, `@`, a
 * tab or a carriage return) is written with a leading `'` (OWASP's advice on CSV injection). Only
 * free text: numbers, dates and codes are written as they are. Kept in this one function so that a
 * shared helper can replace it.
 */
export function protectFormula(text: string): string {
	return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const NEEDS_QUOTES = /[",\r\n]/;

function cell(value: string | number | null): string {
	if (value === null) return '';
	const text = String(value);
	return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export type CsvValue = string | number | null;

/** One line per row, the header first; `freeText[i]` marks the columns written through protectFormula. */
export function toCsv(header: readonly string[], freeText: readonly boolean[], rows: CsvValue[][]) {
	const lines = [header.map(cell).join(',')];
	for (const row of rows)
		lines.push(
			row
				.map((value, i) =>
					cell(freeText[i] && typeof value === 'string' ? protectFormula(value) : value)
				)
				.join(',')
		);
	return `${lines.join('\n')}\n`;
}
