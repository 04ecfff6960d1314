import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { tableToSheet, type FigureTable } from './dashboard/tables';
import { sheetToXlsx } from './spreadsheet';

async function readBack(buffer: ArrayBuffer) {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(buffer);
	const sheet = workbook.worksheets[0]!;
	const rows: unknown[][] = [];
	sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
	return { name: sheet.name, rows };
}

const table: FigureTable = {
	id: 'indicateurs',
	title: 'Valeurs des indicateurs',
	unit: 'unité de chaque indicateur',
	columns: [
		{ key: 'fiche', label: 'Fiche' },
		{ key: 'statut', label: 'Statut' },
		{ key: 'date', label: 'Date' },
		{ key: 'valeur', label: 'Valeur' }
	],
	rows: [
		['14-1', 'en_cours', '2018-12-31', 10.5],
		['17-2', 'a_lancer', '2019-06-30', null]
	],
	summary: ''
};

describe('human-facing tables as .xlsx', () => {
	it('read back: French headers, labels, real dates and numbers', async () => {
		const { name, rows } = await readBack(
			await sheetToXlsx(tableToSheet(table, 'au 31 décembre 2019'))
		);
		expect(name).toBe('Valeurs des indicateurs');
		expect(rows[0]).toEqual([
			'Valeurs des indicateurs — unité de chaque indicateur — au 31 décembre 2019'
		]);
		expect(rows[1]).toEqual(['Fiche', 'Statut', 'Date', 'Valeur']);
		expect(rows[2]).toEqual(['14-1', 'En cours', new Date('2018-12-31T00:00:00Z'), 10.5]);
		expect(rows[3]?.slice(0, 3)).toEqual(['17-2', 'À lancer', new Date('2019-06-30T00:00:00Z')]);
	});
});
