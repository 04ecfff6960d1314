/**
 * The open data's CSV dialect (docs/open-data.md): UTF-8 without BOM, comma, RFC 4180 quoting,
 * `\n` line ends, one header row, empty cell for null.
 */

import { protectFormula } from '../csv';

const NEEDS_QUOTES = /[",\r\n]/;

function cell(value: string | number | null): string {
	if (value === null) return '';
	const text = String(value);
	return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export type CsvValue = string | number | null;

/** One row as a CSV line (without its end); `freeText[i]` marks the columns written through protectFormula. */
export function csvLine(row: readonly CsvValue[], freeText: readonly boolean[]): string {
	let line = '';
	for (let i = 0; i < row.length; i++) {
		const value = row[i]!;
		if (i > 0) line += ',';
		line += cell(freeText[i] && typeof value === 'string' ? protectFormula(value) : value);
	}
	return line;
}

/** The header then one line per row, each ended by `\n`. */
export function csvText(header: readonly string[], lines: readonly string[]): string {
	return lines.length === 0
		? `${header.map(cell).join(',')}\n`
		: `${header.map(cell).join(',')}\n${lines.join('\n')}\n`;
}

export function toCsv(
	header: readonly string[],
	freeText: readonly boolean[],
	rows: readonly CsvValue[][]
): string {
	return csvText(
		header,
		rows.map((row) => csvLine(row, freeText))
	);
}
