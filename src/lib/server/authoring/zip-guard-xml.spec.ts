// Ways around the import guard (zip-guard.ts) that a review found when the guard read XML with
// regular expressions: each test builds a real workbook with ExcelJS, edits one part's XML, and
// checks that what ExcelJS then expands, the guard counts. Each failed on that guard.
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { newWorkbook } from '../spreadsheet';
import {
	inspectZip,
	MAX_WORKBOOK_CELLS,
	MAX_WORKBOOK_ELEMENTS,
	MAX_WORKBOOK_ROWS
} from './zip-guard';
import { zip } from './zip-testing';

/** A one-sheet workbook as ExcelJS writes it, with `edit` applied to its sheet's XML. */
async function workbookWith(edit: (sheetXml: string) => string): Promise<Uint8Array> {
	const workbook = await newWorkbook();
	const sheet = workbook.addWorksheet('Plan');
	sheet.getCell('A1').value = 'x';
	const original = await JSZip.loadAsync(await workbook.xlsx.writeBuffer());
	const entries = [];
	for (const [name, file] of Object.entries(original.files)) {
		if (file.dir) continue;
		let content = await file.async('string');
		if (name === 'xl/worksheets/sheet1.xml') content = edit(content);
		entries.push({ name, content: Buffer.from(content) });
	}
	return zip(entries);
}

async function load(bytes: Uint8Array) {
	const workbook = await newWorkbook();
	await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
	return workbook.worksheets[0]!;
}

describe('the import guard reads XML as ExcelJS does', () => {
	it('a « <!-- » inside CDATA hides every row, cell and element up to the next « --> »', async () => {
		const hidden = Array.from(
			{ length: MAX_WORKBOOK_ROWS + 10_000 },
			(_, i) => `<row r="${i + 2}"><c r="A${i + 2}"><v>1</v></c></row>`
		).join('');
		const bytes = await workbookWith((xml) =>
			xml.replace('</sheetData>', `<![CDATA[<!--]]>${hidden}<!---->` + '</sheetData>')
		);
		// What ExcelJS builds: 50,001 rows and cells, past both the row cap and the element cap.
		const sheet = await load(bytes);
		expect(sheet.actualRowCount).toBe(MAX_WORKBOOK_ROWS + 10_001);
		expect(MAX_WORKBOOK_ROWS + 10_000).toBeGreaterThan(MAX_WORKBOOK_CELLS);
		expect(3 * (MAX_WORKBOOK_ROWS + 10_000)).toBeGreaterThan(MAX_WORKBOOK_ELEMENTS);
		// FAILS: the guard sees none of them.
		expect(inspectZip(bytes).ok).toBe(false);
	});

	it('a data validation whose sqref comes after a « > » in an earlier attribute is not counted', async () => {
		// A1:Z2000 is 52,000 cells: ExcelJS keeps one entry per address (data-validations-xform.js).
		// With A1:XFD1048576 the same 300-byte tag makes ExcelJS loop 17 billion times.
		const bytes = await workbookWith((xml) =>
			xml.replace(
				'</sheetData>',
				'</sheetData><dataValidations count="1"><dataValidation type="whole" prompt=">" sqref="A1:Z2000"><formula1>1</formula1></dataValidation></dataValidations>'
			)
		);
		const sheet = await load(bytes);
		const model = (sheet as unknown as { dataValidations: { model: Record<string, unknown> } })
			.dataValidations.model;
		expect(Object.keys(model).length).toBe(52_000);
		// FAILS: the guard read the tag up to prompt=">" and found no sqref.
		expect(inspectZip(bytes).ok).toBe(false);
	});

	it('an attribute value that holds « ref=… » is read instead of the real ref of a merged range', async () => {
		const bytes = await workbookWith((xml) =>
			xml.replace(
				'</sheetData>',
				`</sheetData><mergeCells count="1"><mergeCell x=" ref='A1'" ref="A1:Z2000"/></mergeCells>`
			)
		);
		const sheet = await load(bytes);
		// ExcelJS made a cell object for each of the 52,000 merged cells.
		expect(sheet.getCell('Z2000').isMerged).toBe(true);
		expect(sheet.rowCount).toBe(2000);
		// FAILS: the guard counted the merge as one cell (attribute() matched inside x's value).
		expect(inspectZip(bytes).ok).toBe(false);
	});

	it('a <col> whose max comes after a « > » in an earlier attribute is counted as one column', async () => {
		const bytes = await workbookWith((xml) =>
			xml.replace('<sheetData', '<cols><col min="1" x=">" max="16384" width="9"/></cols><sheetData')
		);
		const sheet = await load(bytes);
		// ExcelJS made one Column object per column (column.js fromModel); its max is not bounded at
		// 16,384: max="100000000" behind the same « > » makes a hundred million of them.
		expect((sheet as unknown as { _columns: unknown[] })._columns.length).toBe(16_384);
		// FAILS: the guard read min="1" and no max, and counted one column.
		const contents = inspectZip(bytes);
		expect(contents.ok && contents.cells).toBeGreaterThan(16_000);
	});

	it('reads « sqref= » repeated in an unclosed tag in a time that grows with its length', () => {
		// /<[^<>]*\ssqref\s*=[^<>]*>/g (expandedCells): for each « sqref= » the first [^<>]* stops at,
		// the second one reads to the end of the text and gives back every character: quadratic.
		// 210 KB here (a few hundred bytes zipped): seconds; the 16 MB the guard inflates: hours,
		// during which the synchronous server answers nobody.
		const archive = zip([
			{ name: 'xl/worksheets/sheet1.xml', content: Buffer.from(`<a${' sqref='.repeat(30_000)}`) }
		]);
		expect(archive.length).toBeLessThan(2_000);
		const started = performance.now();
		inspectZip(archive);
		// FAILS: about 6 s on this machine (20,000 repeats: 2.8 s; 10,000: 0.7 s).
		expect(performance.now() - started).toBeLessThan(1_000);
	});
});
