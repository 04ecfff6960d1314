import { inflateRawSync } from 'node:zlib';
import { SaxesParser } from 'saxes';

/**
 * What an uploaded .xlsx file (a zip archive) holds, found before ExcelJS builds the workbook in
 * memory: ExcelJS keeps about half a kilobyte per cell, so a 150 KB file of 340,000 small rows
 * once filled the server's whole memory and stopped it. Every entry is inflated here under a
 * budget (the sizes a zip's directory declares can lie), and the worksheets' rows and cells are
 * counted in their XML.
 */

/** What a workbook may weigh once unzipped (the Lot plan's: about 150 Ko). */
export const MAX_UNZIPPED_BYTES = 4 * 1024 * 1024;
/** Rows and cells of all sheets together (the Lot plan's: about 400 rows and 1,900 cells). */
export const MAX_WORKBOOK_ROWS = 40_000;
export const MAX_WORKBOOK_CELLS = 40_000;
/**
 * XML elements of every part together (the Lot plan's workbook: about 5,000). ExcelJS makes an
 * object of each style, font, shared string or run (about 200 bytes): 3 million empty `<xf/>`,
 * 24 KB once zipped, took the server from 180 to 810 MB.
 */
export const MAX_WORKBOOK_ELEMENTS = 100_000;
/**
 * Data rows of one sheet (its heading row not counted): a plan has tens of fiches, not thousands.
 * Checked here, on the sheet's last row number as ExcelJS would number it, so that a sheet of
 * 40,000 rows is refused in milliseconds rather than once ExcelJS has built it (over a second).
 */
export const MAX_ROWS_PER_SHEET = 2000;

export type ZipContents =
	| { ok: true; unzippedBytes: number; rows: number; cells: number }
	| { ok: false; problem: 'unreadable' }
	| { ok: false; problem: 'too-big' }
	| { ok: false; problem: 'too-many-rows'; rows: number }
	| { ok: false; problem: 'too-many-sheet-rows'; sheet: string; rows: number }
	| { ok: false; problem: 'too-many-cells'; cells: number }
	| { ok: false; problem: 'too-many-elements'; elements: number };

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

/** Entry names of a workbook: printable ASCII (a name in another encoding could be read two ways). */
const PLAIN_NAME = /^[\x20-\x7e]+$/;
/** Info-ZIP's Unicode Path extra field: another name for the entry, which JSZip prefers. */
const UNICODE_PATH = 0x7075;

/** The bytes at `at` as Latin-1 text, cut at the end of the archive. */
function textAt(bytes: Uint8Array, at: number, length: number): string {
	const available = Math.min(length, Math.max(0, bytes.length - at));
	return Buffer.from(bytes.buffer, bytes.byteOffset + at, available).toString('latin1');
}

/** Whether an extra-field block holds a Unicode Path (or cannot be read through: the same risk). */
function hasUnicodePath(view: DataView, block: { at: number; length: number }): boolean {
	const end = block.at + block.length;
	if (end > view.byteLength) return true;
	for (let at = block.at; at + 4 <= end; at += 4 + view.getUint16(at + 2, true))
		if (view.getUint16(at, true) === UNICODE_PATH) return true;
	return false;
}

function endOfDirectory(view: DataView): number {
	for (let i = view.byteLength - 22; i >= Math.max(0, view.byteLength - 65_557); i--)
		if (view.getUint32(i, true) === END_OF_DIRECTORY) return i;
	return -1;
}

/**
 * The total size of a zip archive's files once unzipped, as its central directory declares it,
 * read before anything is inflated; null when the bytes are not a zip archive. A first, cheap
 * refusal of a file that says it would unzip to gigabytes; inspectZip checks what it really does.
 */
export function unzippedSize(bytes: Uint8Array): number | null {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const end = endOfDirectory(view);
	if (end < 0) return null;
	const entries = view.getUint16(end + 10, true);
	let offset = view.getUint32(end + 16, true);
	let total = 0;
	for (let n = 0; n < entries; n++) {
		if (offset + 46 > bytes.length || view.getUint32(offset, true) !== DIRECTORY_ENTRY) return null;
		const size = view.getUint32(offset + 24, true);
		// 0xFFFFFFFF: a ZIP64 entry, four gigabytes or more.
		total += size === 0xffffffff ? Number.POSITIVE_INFINITY : size;
		offset +=
			46 +
			view.getUint16(offset + 28, true) +
			view.getUint16(offset + 30, true) +
			view.getUint16(offset + 32, true);
	}
	return total;
}

/** The column number of letters (A = 1, Z = 26, AA = 27). */
function columnNumber(letters: string): number {
	let n = 0;
	for (const letter of letters.toUpperCase()) n = n * 26 + letter.charCodeAt(0) - 64;
	return n;
}

/**
 * How many cells a range such as « A2:CV3000 » (or one cell, « B3 ») covers; a range not read here
 * counts as too many (ExcelJS might read it otherwise).
 */
function rangeArea(range: string): number {
	const match = /^\$?([A-Za-z]+)\$?(\d+)(?::\$?([A-Za-z]+)\$?(\d+))?$/.exec(range);
	if (!match) return Number.MAX_SAFE_INTEGER;
	const [, c1, r1, c2 = c1!, r2 = r1!] = match;
	return (
		(Math.abs(columnNumber(c2) - columnNumber(c1!)) + 1) * (Math.abs(Number(r2) - Number(r1)) + 1)
	);
}

/** ExcelJS keeps a defined name's part as a range when this matches anywhere in it. */
const EXCELJS_NAMED_RANGE = /[$](\w+)[$](\d+)(:[$](\w+)[$](\d+))?/;

/**
 * The cells a defined name (`<definedName>'Plan'!$A$1:$J$400</definedName>`, a print area, a
 * filter) makes ExcelJS create: one per cell of each range it names. A part ExcelJS would keep but
 * that is not read here as a plain range counts as too many; a part it drops (`$1:$1`, `#REF!`)
 * as none.
 */
function namedCells(text: string): number {
	let count = 0;
	for (const part of text.split(',')) {
		if (!EXCELJS_NAMED_RANGE.test(part)) continue;
		count += rangeArea(part.slice(part.lastIndexOf('!') + 1).trim());
	}
	return count;
}

/** A count read from an attribute; a value that is not plain digits counts as too many. */
function wholeNumber(value: string): number {
	return /^\d{1,9}$/.test(value) ? Number(value) : Number.MAX_SAFE_INTEGER;
}

interface Counts {
	rows: number;
	cells: number;
	elements: number;
	/** The last row number of each worksheet part, as ExcelJS numbers rows (`r`, or the next). */
	lastRows: Map<string, number>;
	/** The workbook's sheets (xl/workbook.xml): name and relationship id. */
	sheets: { name: string; rId: string }[];
	/** The workbook's relationships (xl/_rels/workbook.xml.rels): id to target. */
	targets: Map<string, string>;
}

/** A worksheet part, as ExcelJS finds them by name. */
const WORKSHEET = /xl\/worksheets\/sheet(\d+)[.]xml/;

/**
 * Whether ExcelJS reads this entry as XML: its parts are named « ….xml », « ….rels » and « ….vml »
 * (found by patterns that a leading « / », another folder or a suffix do not stop). The others
 * (images, printer settings) it keeps as bytes.
 */
function readAsXml(name: string): boolean {
	return /\.(xml|rels|vml)/i.test(name);
}

/**
 * Counts what ExcelJS would make objects of, reading the XML as ExcelJS reads it (saxes, its own
 * parser: entities, comments, CDATA and a « > » inside an attribute's value as XML has them):
 * every element; the rows and cells; the cells of a `<col min max>` range (one object per column),
 * of a merged range and of any `sqref` ranges (data validations); the ranges of the defined names
 * (one per cell). Regular expressions read tags otherwise than XML does: a « > » in a value, or a
 * comment opened inside CDATA, hid ranges and rows from them. False when the XML is not well
 * formed: ExcelJS would refuse it, after reading all of it.
 */
function countXml(xml: string, counts: Counts, part: string): boolean {
	const parser = new SaxesParser();
	let definedName: string | null = null;
	const worksheet = WORKSHEET.test(part);
	let lastRow = 0;
	// The first fault ends the reading (thrown out of write): a text of « < » by the million would
	// otherwise be a million faults.
	parser.on('error', () => {
		throw NOT_WELL_FORMED;
	});
	parser.on('opentag', (node) => {
		counts.elements += 1;
		const name = node.name.slice(node.name.indexOf(':') + 1);
		const attributes = node.attributes as Record<string, string>;
		if (name === 'row') {
			counts.rows += 1;
			if (worksheet) {
				lastRow = Math.max(lastRow, attributes.r ? wholeNumber(attributes.r) : lastRow + 1);
				counts.lastRows.set(part, lastRow);
			}
		} else if (name === 'c') counts.cells += 1;
		else if (name === 'sheet' && part === 'xl/workbook.xml')
			counts.sheets.push({ name: attributes.name ?? '', rId: attributes['r:id'] ?? '' });
		else if (name === 'Relationship' && part === 'xl/_rels/workbook.xml.rels')
			counts.targets.set(attributes.Id ?? '', attributes.Target ?? '');
		else if (name === 'col') {
			const min = wholeNumber(attributes.min ?? '1');
			const max = wholeNumber(attributes.max ?? String(min));
			counts.cells += Math.abs(max - min) + 1;
		} else if (name === 'mergeCell') counts.cells += rangeArea(attributes.ref ?? '');
		else if (name === 'definedName') definedName = '';
		for (const range of (attributes.sqref ?? '').split(/\s+/).filter(Boolean))
			counts.cells += rangeArea(range);
	});
	parser.on('text', (text) => {
		if (definedName !== null) definedName += text;
	});
	parser.on('closetag', (node) => {
		if (definedName !== null && node.name.slice(node.name.indexOf(':') + 1) === 'definedName') {
			counts.cells += namedCells(definedName);
			definedName = null;
		}
	});
	try {
		parser.write(xml).close();
		return true;
	} catch (error) {
		if (error === NOT_WELL_FORMED) return false;
		throw error;
	}
}

const NOT_WELL_FORMED = new Error('XML mal formé');

/**
 * Inflates every entry of the archive, stopping as soon as the whole would pass the budget, and
 * counts the rows and cells in all of them (the worksheets', wherever ExcelJS would find them).
 */
export function inspectZip(bytes: Uint8Array): ZipContents {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const end = endOfDirectory(view);
	if (end < 0) return { ok: false, problem: 'unreadable' };
	const entries = view.getUint16(end + 10, true);
	const directorySize = view.getUint32(end + 12, true);
	let offset = view.getUint32(end + 16, true);
	// The directory must end where its end record begins: JSZip (ExcelJS's reader) shifts every
	// offset by whatever precedes the archive, so an archive read here at the offsets as written
	// could differ from the one ExcelJS reads. ZIP64 (0xFFFF…) and multi-disk archives are refused.
	if (
		offset + directorySize !== end ||
		entries === 0xffff ||
		view.getUint16(end + 8, true) !== entries ||
		view.getUint16(end + 4, true) !== 0 ||
		view.getUint16(end + 6, true) !== 0
	)
		return { ok: false, problem: 'unreadable' };
	let unzippedBytes = 0;
	const counts: Counts = {
		rows: 0,
		cells: 0,
		elements: 0,
		lastRows: new Map(),
		sheets: [],
		targets: new Map()
	};
	for (let n = 0; n < entries; n++) {
		if (offset + 46 > bytes.length || view.getUint32(offset, true) !== DIRECTORY_ENTRY)
			return { ok: false, problem: 'unreadable' };
		const method = view.getUint16(offset + 10, true);
		const compressedSize = view.getUint32(offset + 20, true);
		if (compressedSize === 0xffffffff || view.getUint32(offset + 42, true) === 0xffffffff)
			return { ok: false, problem: 'unreadable' };
		const nameLength = view.getUint16(offset + 28, true);
		const name = textAt(bytes, offset + 46, nameLength);
		const localHeader = view.getUint32(offset + 42, true);
		const directoryExtra = {
			at: offset + 46 + nameLength,
			length: view.getUint16(offset + 30, true)
		};
		offset += 46 + nameLength + directoryExtra.length + view.getUint16(offset + 32, true);

		if (localHeader + 30 > bytes.length || view.getUint32(localHeader, true) !== LOCAL_HEADER)
			return { ok: false, problem: 'unreadable' };
		// Which entries are XML is decided by name; JSZip (ExcelJS's reader) names an entry after its
		// local header, or after a Unicode path extra field: an archive where those could name it
		// otherwise than the directory does is refused (a worksheet would pass here as « .bin »).
		const localNameLength = view.getUint16(localHeader + 26, true);
		const localName = textAt(bytes, localHeader + 30, localNameLength);
		const localExtra = {
			at: localHeader + 30 + localNameLength,
			length: view.getUint16(localHeader + 28, true)
		};
		if (
			localName !== name ||
			!PLAIN_NAME.test(name) ||
			hasUnicodePath(view, directoryExtra) ||
			hasUnicodePath(view, localExtra)
		)
			return { ok: false, problem: 'unreadable' };
		const start =
			localHeader +
			30 +
			view.getUint16(localHeader + 26, true) +
			view.getUint16(localHeader + 28, true);
		if (start + compressedSize > bytes.length) return { ok: false, problem: 'unreadable' };
		const stored = bytes.subarray(start, start + compressedSize);
		const content = inflated(stored, method, MAX_UNZIPPED_BYTES - unzippedBytes);
		if (!(content instanceof Uint8Array)) return content;
		unzippedBytes += content.length;
		if (!readAsXml(name)) continue;
		const text = Buffer.from(content.buffer, content.byteOffset, content.length).toString('utf8');
		if (!countXml(text, counts, name)) return { ok: false, problem: 'unreadable' };
		const { rows, cells, elements } = counts;
		if (rows > MAX_WORKBOOK_ROWS) return { ok: false, problem: 'too-many-rows', rows };
		if (cells > MAX_WORKBOOK_CELLS) return { ok: false, problem: 'too-many-cells', cells };
		if (elements > MAX_WORKBOOK_ELEMENTS)
			return { ok: false, problem: 'too-many-elements', elements };
	}
	// JSZip reads directory entries as long as it finds them, whatever count the end record gives:
	// the entries read here must fill the directory exactly.
	if (offset !== end) return { ok: false, problem: 'unreadable' };
	return (
		tooManySheetRows(counts) ?? { ok: true, unzippedBytes, rows: counts.rows, cells: counts.cells }
	);
}

/**
 * An entry's bytes as stored (method 0) or inflated (8), or why not: over the `budget` of bytes
 * left, or in another method.
 */
function inflated(
	stored: Uint8Array,
	method: number,
	budget: number
): Uint8Array | Extract<ZipContents, { problem: 'too-big' | 'unreadable' }> {
	if (method === 0) return stored.length > budget ? { ok: false, problem: 'too-big' } : stored;
	if (method !== 8) return { ok: false, problem: 'unreadable' };
	let content: Uint8Array;
	try {
		// One byte over the budget is enough to know the whole would pass it.
		content = inflateRawSync(stored, { maxOutputLength: budget + 1 });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
			return { ok: false, problem: 'too-big' };
		return { ok: false, problem: 'unreadable' };
	}
	return content.length > budget ? { ok: false, problem: 'too-big' } : content;
}

/** The first worksheet over MAX_ROWS_PER_SHEET rows of data (its first row is its headings). */
function tooManySheetRows(counts: Counts): ZipContents | null {
	for (const [part, lastRow] of counts.lastRows)
		if (lastRow - 1 > MAX_ROWS_PER_SHEET)
			return {
				ok: false,
				problem: 'too-many-sheet-rows',
				sheet: sheetName(counts, part),
				rows: lastRow - 1
			};
	return null;
}

/** The name a worksheet part has in the workbook, found as ExcelJS finds it; else the part's. */
function sheetName(counts: Counts, part: string): string {
	for (const { name, rId } of counts.sheets) {
		const target = counts.targets.get(rId);
		if (target !== undefined && `xl/${target.replace(/^(\s|\/xl\/)+/, '')}` === part) return name;
	}
	return part;
}
