import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import {
	inspectZip,
	MAX_UNZIPPED_BYTES,
	MAX_WORKBOOK_CELLS,
	MAX_WORKBOOK_ELEMENTS,
	MAX_ROWS_PER_SHEET,
	MAX_WORKBOOK_ROWS,
	unzippedSize
} from './zip-guard';
import { zip } from './zip-testing';

const sheet = (rows: string) =>
	Buffer.from(`<?xml version="1.0"?><worksheet><sheetData>${rows}</sheetData></worksheet>`);

describe('inspectZip', () => {
	it('counts the rows and cells of every entry, with or without a namespace prefix', () => {
		const contents = inspectZip(
			zip([
				{
					name: 'xl/workbook.xml',
					content: Buffer.from('<workbook><c>counted too</c><cols><col/></cols></workbook>')
				},
				{
					name: 'xl/worksheets/sheet1.xml',
					content: sheet('<row r="1"><c r="A1"/><c r="B1"><v>1</v></c></row><row r="2"/>')
				},
				{
					name: 'xl/worksheets/sheet2.xml',
					content: sheet('<x:row><x:c r="A1"><x:v>2</x:v></x:c></x:row><cols><col/></cols>')
				}
			])
		);
		// Four cells, and two columns (a `<col/>` is one column object to ExcelJS).
		expect(contents).toMatchObject({ ok: true, rows: 3, cells: 6 });
	});

	it('refuses a sheet over MAX_ROWS_PER_SHEET data rows, named as the workbook names it, before ExcelJS builds it', () => {
		const workbook = (sheetXml: Buffer) =>
			inspectZip(
				zip([
					{
						name: 'xl/workbook.xml',
						content: Buffer.from(
							'<workbook xmlns:r="r"><sheets><sheet name="Fiches" sheetId="1" r:id="rId1"/><sheet name="Liens" sheetId="2" r:id="rId2"/></sheets></workbook>'
						)
					},
					{
						name: 'xl/_rels/workbook.xml.rels',
						content: Buffer.from(
							'<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="/xl/worksheets/sheet2.xml"/></Relationships>'
						)
					},
					{ name: 'xl/worksheets/sheet1.xml', content: sheet('<row/>') },
					{ name: 'xl/worksheets/sheet2.xml', content: sheetXml }
				])
			);
		// A heading row and MAX_ROWS_PER_SHEET data rows: the largest sheet accepted.
		const rows = (n: number) => sheet('<row><c><v>1</v></c></row>'.repeat(n));
		expect(workbook(rows(MAX_ROWS_PER_SHEET + 1))).toMatchObject({ ok: true });
		expect(workbook(rows(MAX_ROWS_PER_SHEET + 2))).toEqual({
			ok: false,
			problem: 'too-many-sheet-rows',
			sheet: 'Liens',
			rows: MAX_ROWS_PER_SHEET + 1
		});
		// Numbered as ExcelJS numbers them: one row at 40,000 makes a sheet of 40,000 rows.
		expect(workbook(sheet('<row r="2"/><row r="40000"/>'))).toMatchObject({
			problem: 'too-many-sheet-rows',
			rows: 39_999
		});
		// A part the workbook does not name is named by its path.
		expect(
			inspectZip(zip([{ name: 'xl/worksheets/sheet7.xml', content: rows(MAX_ROWS_PER_SHEET + 5) }]))
		).toMatchObject({ sheet: 'xl/worksheets/sheet7.xml', rows: MAX_ROWS_PER_SHEET + 4 });
	});

	it('refuses styles, fonts or strings by the million, which ExcelJS would keep one object each', () => {
		// 600,000 empty cell styles: 3 Mo of XML (under the size bound), a few kilobytes zipped, no
		// row nor cell.
		const styles = zip([
			{
				name: 'xl/styles.xml',
				content: Buffer.from(
					`<styleSheet><cellXfs>${'<xf/>'.repeat(600_000)}</cellXfs></styleSheet>`
				)
			}
		]);
		expect(styles.length).toBeLessThan(100_000);
		expect(inspectZip(styles)).toMatchObject({ ok: false, problem: 'too-many-elements' });
		// Counted over every part together; a workbook the size of the Lot plan's passes.
		const parts = (n: number) =>
			zip(
				['xl/styles.xml', 'xl/sharedStrings.xml'].map((name) => ({
					name,
					content: Buffer.from(`<x>${'<si><t>a</t></si>'.repeat(n / 2)}</x>`)
				}))
			);
		expect(inspectZip(parts(MAX_WORKBOOK_ELEMENTS / 2))).toMatchObject({ ok: false });
		expect(inspectZip(parts(5_000))).toMatchObject({ ok: true });
	});

	// Not a measure of speed (npm run bench does those): a bound hundreds of times above what the
	// guard takes, and hundreds of times below what the quadratic patterns took (a 544-byte archive
	// held the server 40 s).
	it('reads hostile XML in a time that grows with its length', () => {
		const hostile = [
			'<'.repeat(100_000),
			'<col '.repeat(20_000),
			'<definedName>'.repeat(10_000),
			'<!--'.repeat(25_000),
			`<mergeCell ${' '.repeat(100_000)}`
		];
		for (const xml of hostile) {
			const archive = zip([{ name: 'xl/worksheets/sheet1.xml', content: Buffer.from(xml) }]);
			const started = performance.now();
			inspectZip(archive);
			expect(performance.now() - started, xml.slice(0, 12)).toBeLessThan(1_000);
		}
	});

	it('inflates what the archive really holds, whatever its directory declares', () => {
		// 20 Mo of spaces, declared as 2000 bytes: a few kilobytes on disk.
		const lying = zip([
			{
				name: 'xl/worksheets/sheet1.xml',
				content: Buffer.alloc(20 * 1024 * 1024, 32),
				declared: 2000
			}
		]);
		expect(lying.length).toBeLessThan(100_000);
		expect(unzippedSize(lying)).toBe(2000);
		expect(inspectZip(lying)).toEqual({ ok: false, problem: 'too-big' });
		const honest = zip([{ name: 'xl/media/a.bin', content: Buffer.alloc(MAX_UNZIPPED_BYTES, 32) }]);
		expect(inspectZip(honest)).toMatchObject({ ok: true, unzippedBytes: MAX_UNZIPPED_BYTES });
	});

	it('stops at the first sheet that takes the rows or cells over the limit', () => {
		const manyRows = zip([
			{ name: 'xl/worksheets/sheet8.xml', content: sheet('<row/>'.repeat(340_000)) }
		]);
		expect(manyRows.length).toBeLessThan(400 * 1024);
		expect(inspectZip(manyRows)).toEqual({ ok: false, problem: 'too-many-rows', rows: 340_000 });
		const manyCells = zip([
			{
				name: 'xl/worksheets/sheet1.xml',
				content: sheet(
					`<row>${'<c t="inlineStr"><is><t>1-1</t></is></c>'.repeat(MAX_WORKBOOK_CELLS + 1)}</row>`
				)
			}
		]);
		expect(inspectZip(manyCells)).toMatchObject({ ok: false, problem: 'too-many-cells' });
	});

	it('counts the rows of every entry, wherever ExcelJS would look for sheets', () => {
		const hidden = zip([
			{ name: '/xl/worksheets/sheet1.xml', content: sheet('<row/>'.repeat(50_000)) }
		]);
		expect(inspectZip(hidden)).toEqual({ ok: false, problem: 'too-many-rows', rows: 50_000 });
	});

	it('refuses an archive read at other offsets than the ones its directory gives (data before it)', () => {
		const harmless = zip([{ name: 'xl/worksheets/sheet1.xml', content: sheet('<row/>') }]);
		expect(inspectZip(harmless)).toMatchObject({ ok: true });
		const shifted = new Uint8Array([...new Uint8Array(100), ...harmless]);
		expect(inspectZip(shifted)).toEqual({ ok: false, problem: 'unreadable' });
	});

	it('counts the cells ExcelJS would make for column ranges, merged cells and validations', () => {
		const of = (xml: string) =>
			inspectZip(zip([{ name: 'xl/worksheets/sheet1.xml', content: sheet(xml) }]));
		expect(
			of('<cols><col min="1" max="3"/></cols><mergeCells><mergeCell ref="A1:B2"/></mergeCells>')
		).toMatchObject({ ok: true, cells: 7 });
		expect(of('<cols><col min="1" max="3000000"/></cols>')).toMatchObject({
			ok: false,
			problem: 'too-many-cells'
		});
		expect(of('<mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells>')).toMatchObject({
			ok: false,
			problem: 'too-many-cells'
		});
		expect(of('<dataValidation sqref="A2:CV3000 B1"/>')).toMatchObject({
			ok: false,
			problem: 'too-many-cells'
		});
		expect(of('<dataValidation sqref="A1:A99999999999"/>')).toMatchObject({
			ok: false,
			problem: 'too-many-cells'
		});
		// Attributes in single quotes, with spaces, or as character references count the same.
		for (const disguised of [
			"<cols><col min='1' max='3000000'/></cols>",
			'<cols><col min = "1" max = "3000000"/></cols>',
			'<cols><col min="1" max="&#51;000000"/></cols>',
			"<mergeCells><mergeCell ref='A1:XFD1048576'/></mergeCells>",
			"<dataValidation sqref='A1:XFD1048576'/>"
		])
			expect(of(disguised), disguised).toMatchObject({ ok: false, problem: 'too-many-cells' });
		expect(of('<mergeCells><mergeCell ref="not a range"/></mergeCells>')).toMatchObject({
			ok: false,
			problem: 'too-many-cells'
		});
	});

	it('counts the cells of the ranges the workbook names, as ExcelJS makes them', () => {
		const names = (...definitions: string[]) =>
			inspectZip(
				zip([
					{
						name: 'xl/workbook.xml',
						content: Buffer.from(
							`<workbook><definedNames>${definitions.join('')}</definedNames></workbook>`
						)
					}
				])
			);
		expect(
			names(
				'<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">Plan!$A$1:$J$400</definedName>',
				'<definedName name="_xlnm.Print_Titles" localSheetId="0">Plan!$1:$1</definedName>',
				'<definedName name="perdu">#REF!</definedName>'
			)
		).toMatchObject({ ok: true, cells: 4000 });
		// 37 KB that ExcelJS would turn into a million, or seventeen billion, cell objects.
		expect(
			names('<definedName name="a">&apos;Plan&apos;!$A$1:$J$100000</definedName>')
		).toMatchObject({ ok: false, problem: 'too-many-cells' });
		expect(
			names('<definedName name="b">Plan!$A$1,&apos;Fiches&apos;!$A$1:$XFD$1048576</definedName>')
		).toMatchObject({ ok: false, problem: 'too-many-cells' });
		// Written so that a reading of the raw text would see one cell: references, a comment, CDATA.
		for (const disguised of [
			'Plan!&#36;A&#36;1:&#x24;XFD&#36;1048576',
			'Plan!$A$1<!-- x -->:$XFD$1048576'
		])
			expect(names(`<definedName name="d">${disguised}</definedName>`), disguised).toMatchObject({
				ok: false,
				problem: 'too-many-cells'
			});
		// CDATA ExcelJS does not read (its parser's text events leave it out): one cell, as it makes.
		expect(
			names('<definedName name="e">Plan!$A$1<![CDATA[:$XFD$1048576]]></definedName>')
		).toMatchObject({ ok: true, cells: 1 });
		expect(names('<definedName name="c">OFFSET($A$1:$B$2,0,0)</definedName>')).toMatchObject({
			ok: false,
			problem: 'too-many-cells'
		});
	});

	it('refuses an end record that counts fewer entries than its directory holds', () => {
		const archive = zip([
			{ name: 'a.xml', content: sheet('<row/>') },
			{ name: 'xl/worksheets/sheet1.xml', content: sheet('<row/>'.repeat(50_000)) }
		]);
		const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
		view.setUint16(archive.length - 22 + 8, 1, true);
		view.setUint16(archive.length - 22 + 10, 1, true);
		expect(inspectZip(archive)).toEqual({ ok: false, problem: 'unreadable' });
	});

	it('refuses an entry JSZip would name otherwise than its directory: local header, Unicode path, non-ASCII', async () => {
		const rows = sheet('<row><c><v>1</v></c></row>'.repeat(MAX_WORKBOOK_ROWS + 1));
		// Named « .bin » in the directory, « .xml » in its local header: ExcelJS parses a sheet.
		const renamed = Buffer.from(zip([{ name: 'xl/worksheets/sheet9.bin', content: rows }]));
		renamed.write(
			'xl/worksheets/sheet9.xml',
			renamed.indexOf('xl/worksheets/sheet9.bin'),
			'latin1'
		);
		const files = Object.keys((await JSZip.loadAsync(renamed, { checkCRC32: false })).files);
		expect(files).toContain('xl/worksheets/sheet9.xml');
		expect(inspectZip(new Uint8Array(renamed))).toEqual({ ok: false, problem: 'unreadable' });

		// « .bin » in both headers, with an Info-ZIP Unicode Path extra field (0x7075) saying « .xml ».
		const name = Buffer.from('xl/worksheets/sheet9.bin');
		const unicodePath = Buffer.concat([
			Buffer.from([0x75, 0x70, 0, 0, 1, 0, 0, 0, 0]),
			Buffer.from('xl/worksheets/sheet9.xml')
		]);
		unicodePath.writeUInt16LE(unicodePath.length - 4, 2);
		const plain = Buffer.from(zip([{ name: name.toString(), content: Buffer.from('<x/>') }]));
		const local = plain.subarray(0, plain.indexOf(name) + name.length);
		const rest = plain.subarray(local.length);
		local.writeUInt16LE(unicodePath.length, 28);
		const withExtra = Buffer.concat([local, unicodePath, rest]);
		// The directory's offsets follow the local header's new length.
		const end = withExtra.length - 22;
		withExtra.writeUInt32LE(withExtra.readUInt32LE(end + 16) + unicodePath.length, end + 16);
		expect(inspectZip(new Uint8Array(withExtra))).toEqual({ ok: false, problem: 'unreadable' });

		expect(
			inspectZip(zip([{ name: 'xl/worksheets/feuille-é.xml', content: Buffer.from('<x/>') }]))
		).toEqual({ ok: false, problem: 'unreadable' });
		expect(
			inspectZip(zip([{ name: 'xl/worksheets/sheet1.xml', content: Buffer.from('<x/>') }]))
		).toMatchObject({ ok: true });
	});

	it('refuses what is not a readable zip archive', () => {
		expect(inspectZip(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]))).toEqual({
			ok: false,
			problem: 'unreadable'
		});
		const broken = zip([{ name: 'xl/worksheets/sheet1.xml', content: sheet('<row/>') }]);
		broken.fill(
			0xff,
			30 + 'xl/worksheets/sheet1.xml'.length,
			40 + 'xl/worksheets/sheet1.xml'.length
		);
		expect(inspectZip(broken)).toEqual({ ok: false, problem: 'unreadable' });
	});
});
