import { stringify } from 'csv-stringify/sync';

/**
 * CSV formula injection (OWASP): a spreadsheet runs a cell that begins with `=`, `+`, `-`, `@`, a
 * tab or a carriage return as a formula. Every free-text cell the portal writes to a CSV (titles,
 * names, reasons — never numbers, dates or codes, whose meaning the quote would change) goes
 * through this function, which adds one leading `'`. A text that itself begins with `'` gets one
 * too, so that the rule can always be undone: a consumer strips one leading `'` from every
 * free-text cell that begins with one (`'=1` and `''=1` come back as `=1` and `'=1`).
 * csv-stringify's `escape_formulas` cannot be used as is: it would also quote negative numbers.
 */
export function protectFormula(text: string): string {
	return /^[=+\-@\t\r']/.test(text) ? `'${text}` : text;
}

/** The type of every CSV file the portal gives: UTF-8, its first row the headers. */
export const CSV_MEDIA_TYPE = 'text/csv; charset=utf-8; header=present';

/** A CSV file to download (a table, a sheet's rows), as xlsxResponse gives a workbook. */
export function csvResponse(body: string, filename: string): Response {
	return new Response(body, {
		headers: {
			'Content-Type': CSV_MEDIA_TYPE,
			'Content-Disposition': `attachment; filename="${filename}"`
		}
	});
}

/**
 * The portal's downloads for spreadsheets (`\r\n` between rows). A cell holding a line break is
 * quoted, whichever break: csv-stringify quotes only cells holding its own record delimiter, and a
 * spreadsheet starts a new row at a bare `\n` or `\r` — the text after it would open a cell
 * unprotected (`reason\n=HYPERLINK(…)`).
 */
export function spreadsheetCsv(rows: string[][]): string {
	return stringify(rows, { record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}
