import type { Workbook } from 'exceljs';

export type SheetCell = string | number | Date | null;

export interface Sheet {
	/** Shown as the sheet's tab (31 characters at most, as Excel allows) and in the file's title. */
	title: string;
	/** One line above the table saying what it holds (period, unit). */
	note?: string;
	headers: string[];
	rows: SheetCell[][];
}

/**
 * A new ExcelJS workbook. The library is loaded on first use: half a second of CPU that every
 * server start, command and test importing this module would otherwise pay without writing or
 * reading a workbook.
 */
export async function newWorkbook(): Promise<Workbook> {
	const { default: ExcelJS } = await import('exceljs');
	return new ExcelJS.Workbook();
}

/** ISO dates read as dates by a spreadsheet (shown « 31/12/2018 » in a French Excel). */
export function isoDateCell(value: string): Date {
	return new Date(`${value}T00:00:00Z`);
}

/**
 * A table for people as an Excel workbook (.xlsx): French headers in bold, numbers as numbers,
 * dates as dates, columns sized to their content. The CSV files keep the machine formats; this is
 * what opens cleanly in a French spreadsheet (no encoding or separator to guess).
 */
export async function sheetToXlsx(sheet: Sheet): Promise<ArrayBuffer> {
	const workbook = await newWorkbook();
	workbook.creator = 'Portail SDUSN — Lot numérique';
	workbook.title = sheet.title;
	const worksheet = workbook.addWorksheet(sheet.title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31));
	if (sheet.note) {
		worksheet.addRow([sheet.note]).font = { italic: true };
		worksheet.addRow([]);
	}
	const header = worksheet.addRow(sheet.headers);
	header.font = { bold: true };
	worksheet.views = [{ state: 'frozen', ySplit: header.number }];
	for (const row of sheet.rows) worksheet.addRow(row.map((cell) => cell ?? ''));
	sheet.headers.forEach((title, i) => {
		const column = worksheet.getColumn(i + 1);
		const longest = Math.max(
			title.length,
			...sheet.rows.map((r) => {
				const cell = r[i];
				return cell instanceof Date ? 10 : String(cell ?? '').length;
			})
		);
		column.width = Math.min(60, Math.max(8, longest + 2));
		if (sheet.rows.some((r) => r[i] instanceof Date)) column.numFmt = 'dd/mm/yyyy';
		// A text typed on several lines (a decision's motive) shows them, as on the page.
		if (sheet.rows.some((r) => typeof r[i] === 'string' && r[i].includes('\n')))
			column.alignment = { wrapText: true, vertical: 'top' };
	});
	const buffer = await workbook.xlsx.writeBuffer();
	return new Uint8Array(buffer).slice().buffer;
}

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function xlsxResponse(body: ArrayBuffer, filename: string): Response {
	return new Response(body, {
		headers: {
			'Content-Type': XLSX_MEDIA_TYPE,
			'Content-Disposition': `attachment; filename="${filename}"`
		}
	});
}
