/**
 * The open data's CSV dialect (docs/open-data.md): UTF-8 without BOM, comma, RFC 4180 quoting,
 * `\n` line ends, one header row, empty cell for null.
 */

import { protectFormula } from '../csv';

const NEEDS_QUOTES = /[",\r\n]/;
const encoder = new TextEncoder();

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
function csvText(header: readonly string[], lines: readonly string[]): string {
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

/**
 * Several CSV files sharing one header, written as UTF-8 bytes from the same rows: each row's line
 * (`lineOf`, without its end) goes to every file `filesOf` names. The bytes are those of
 * `csvText(header, lines)` for each file, but no file's lines are held as strings nor joined: the
 * files' sizes are counted in a first pass over the rows, then each line is written straight into
 * its files' bytes, which keeps the server's peak memory down when the measurement files are built
 * (docs/performance.md, « the measurement files written as bytes »). Every file of `files` is
 * returned, a file no row names with its header alone.
 */
export function csvFiles<Row, File>(
	header: readonly string[],
	files: readonly File[],
	rows: readonly Row[],
	lineOf: (row: Row) => string,
	filesOf: (row: Row) => readonly File[]
): Map<File, Uint8Array<ArrayBuffer>> {
	const head = `${header.map(cell).join(',')}\n`;
	const sizes = new Map(files.map((f) => [f, Buffer.byteLength(head)]));
	for (const row of rows) {
		const size = Buffer.byteLength(lineOf(row)) + 1;
		for (const f of filesOf(row)) sizes.set(f, sizes.get(f)! + size);
	}
	const written = new Map(
		files.map((f) => {
			const bytes = new Uint8Array(sizes.get(f)!);
			return [f, { bytes, at: encoder.encodeInto(head, bytes).written }];
		})
	);
	for (const row of rows) {
		const line = `${lineOf(row)}\n`;
		for (const f of filesOf(row)) {
			const file = written.get(f)!;
			file.at += encoder.encodeInto(line, file.bytes.subarray(file.at)).written;
		}
	}
	return new Map(files.map((f) => [f, written.get(f)!.bytes]));
}
