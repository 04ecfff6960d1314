import { inflateRawSync } from 'node:zlib';

/**
 * What an uploaded .xlsx file (a zip archive) holds, found before ExcelJS builds the workbook in
 * memory: ExcelJS keeps about half a kilobyte per cell, so a 150 KB file of 340,000 small rows
 * once filled the server's whole memory and stopped it. Every entry is inflated here under a
 * budget (the sizes a zip's directory declares can lie), and the worksheets' rows and cells are
 * counted in their XML.
 */

/** What a workbook may weigh once unzipped (the Lot plan's: about 150 Ko). */
export const MAX_UNZIPPED_BYTES = 16 * 1024 * 1024;
/** Rows and cells of all sheets together (the Lot plan's: about 400 rows and 1,900 cells). */
export const MAX_WORKBOOK_ROWS = 40_000;
export const MAX_WORKBOOK_CELLS = 40_000;
/**
 * XML elements of every part together (the Lot plan's workbook: about 5,000). ExcelJS makes an
 * object of each style, font, shared string or run (about 200 bytes): 3 million empty `<xf/>`,
 * 24 KB once zipped, took the server from 180 to 810 MB.
 */
export const MAX_WORKBOOK_ELEMENTS = 100_000;

export type ZipContents =
	| { ok: true; unzippedBytes: number; rows: number; cells: number }
	| { ok: false; problem: 'unreadable' }
	| { ok: false; problem: 'too-big' }
	| { ok: false; problem: 'too-many-rows'; rows: number }
	| { ok: false; problem: 'too-many-cells'; cells: number }
	| { ok: false; problem: 'too-many-elements'; elements: number };

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

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

/** An attribute's value in a tag, in double or single quotes (`max="3"`, `max = '3'`). */
function attribute(tag: string, name: string): string | undefined {
	const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
	return match ? (match[1] ?? match[2]) : undefined;
}

/** A count read from an attribute; a value that is not plain digits counts as too many. */
function wholeNumber(value: string): number {
	return /^\d{1,9}$/.test(value) ? Number(value) : Number.MAX_SAFE_INTEGER;
}

/**
 * The text of each defined name (`<definedName name="…">'Plan'!$A$1</definedName>`), its inner tags
 * taken out. In one pass: an opening without its closing ends the search (no later one could be
 * closed either), where a pattern spanning both scanned the rest of the text from every opening.
 */
function* definedNames(xml: string): Generator<string> {
	const opening = /<(?:[A-Za-z_][\w.-]*:)?definedName(?:\s[^<>]*)?>/g;
	const closing = /<\/(?:[A-Za-z_][\w.-]*:)?definedName\s*>/g;
	for (let open = opening.exec(xml); open; open = opening.exec(xml)) {
		closing.lastIndex = opening.lastIndex;
		const close = closing.exec(xml);
		if (!close) return;
		yield xml.slice(opening.lastIndex, close.index).replace(/<[^<>]*>/g, '');
		opening.lastIndex = closing.lastIndex;
	}
}

/**
 * The cells ExcelJS makes objects for beyond those written one by one: a `<col min max>` range
 * (one object per column), a merged range and a data validation's ranges, and the ranges of the
 * workbook's defined names (one per cell). A tag is read up to its « > » and holds no « < »: each
 * pattern's time grows with the text's length (« [^>]* » read « <<<… » from each « < » to the end:
 * 544 bytes of archive held the server 40 s). A raw « < » inside a tag is not XML: ExcelJS's parser
 * refuses the workbook, so such a tag need not be counted.
 */
function expandedCells(xml: string): number {
	let count = 0;
	for (const content of definedNames(xml)) count += namedCells(content);
	for (const [tag] of xml.matchAll(/<(?:[A-Za-z_][\w.-]*:)?col\s[^<>]*>/g)) {
		const min = wholeNumber(attribute(tag, 'min') ?? '1');
		const max = wholeNumber(attribute(tag, 'max') ?? String(min));
		count += Math.abs(max - min) + 1;
	}
	for (const [tag] of xml.matchAll(/<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^<>]*>/g))
		count += rangeArea(attribute(tag, 'ref') ?? '');
	for (const [tag] of xml.matchAll(/<[^<>]*\ssqref\s*=[^<>]*>/g))
		for (const range of (attribute(tag, 'sqref') ?? '').split(/\s+/).filter(Boolean))
			count += rangeArea(range);
	return count;
}

/**
 * XML as a parser reads it, for counting: comments and CDATA markers taken out (a parser joins the
 * text around them), character references (`&#36;`, `&#x24;`) and the quote and ampersand
 * entities decoded. `&lt;` stays: decoded, it could only make more elements to count.
 */
function readableXml(xml: string): string {
	return withoutComments(xml)
		.replace(/<!\[CDATA\[|\]\]>/g, '')
		.replace(/&(#x[0-9A-Fa-f]{1,8}|#\d{1,10}|apos|quot|amp);/g, (_, name: string) => {
			if (name === 'apos') return "'";
			if (name === 'quot') return '"';
			if (name === 'amp') return '&';
			const code = name.startsWith('#x') ? parseInt(name.slice(2), 16) : Number(name.slice(1));
			return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
		});
}

/**
 * The text without its comments, in one pass (a lazy pattern read « <!--<!--… » from each opening
 * to the end); an unclosed comment is kept, as the pattern kept it (a parser refuses it anyway).
 */
function withoutComments(xml: string): string {
	const parts: string[] = [];
	let from = 0;
	for (let open = xml.indexOf('<!--'); open >= 0; open = xml.indexOf('<!--', from)) {
		const close = xml.indexOf('-->', open + 4);
		if (close < 0) break;
		parts.push(xml.slice(from, open));
		from = close + 3;
	}
	parts.push(xml.slice(from));
	return parts.join('');
}

/** How many elements of any name an XML text holds. */
function countAllElements(xml: string): number {
	const pattern = /<[A-Za-z_]/g;
	let count = 0;
	while (pattern.exec(xml)) count++;
	return count;
}

/** How many elements of this name (with or without a namespace prefix) an XML text holds. */
function countElements(xml: string, name: string): number {
	const pattern = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${name}[\\s/>]`, 'g');
	let count = 0;
	while (pattern.exec(xml)) count++;
	return count;
}

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
	let rows = 0;
	let cells = 0;
	let elements = 0;
	for (let n = 0; n < entries; n++) {
		if (offset + 46 > bytes.length || view.getUint32(offset, true) !== DIRECTORY_ENTRY)
			return { ok: false, problem: 'unreadable' };
		const method = view.getUint16(offset + 10, true);
		const compressedSize = view.getUint32(offset + 20, true);
		if (compressedSize === 0xffffffff || view.getUint32(offset + 42, true) === 0xffffffff)
			return { ok: false, problem: 'unreadable' };
		const nameLength = view.getUint16(offset + 28, true);
		const localHeader = view.getUint32(offset + 42, true);
		offset +=
			46 + nameLength + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);

		if (localHeader + 30 > bytes.length || view.getUint32(localHeader, true) !== LOCAL_HEADER)
			return { ok: false, problem: 'unreadable' };
		const start =
			localHeader +
			30 +
			view.getUint16(localHeader + 26, true) +
			view.getUint16(localHeader + 28, true);
		if (start + compressedSize > bytes.length) return { ok: false, problem: 'unreadable' };
		const stored = bytes.subarray(start, start + compressedSize);
		const budget = MAX_UNZIPPED_BYTES - unzippedBytes;
		let content: Uint8Array;
		if (method === 0) {
			if (stored.length > budget) return { ok: false, problem: 'too-big' };
			content = stored;
		} else if (method === 8) {
			try {
				// One byte over the budget is enough to know the whole would pass it.
				content = inflateRawSync(stored, { maxOutputLength: budget + 1 });
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
					return { ok: false, problem: 'too-big' };
				return { ok: false, problem: 'unreadable' };
			}
			if (content.length > budget) return { ok: false, problem: 'too-big' };
		} else {
			return { ok: false, problem: 'unreadable' };
		}
		unzippedBytes += content.length;
		// Every entry, whatever its name: ExcelJS finds its sheets by a pattern looser than any
		// written here (a leading « / », another folder, a suffix), and no other part has rows.
		const xml = readableXml(
			Buffer.from(content.buffer, content.byteOffset, content.length).toString('latin1')
		);
		rows += countElements(xml, 'row');
		cells += countElements(xml, 'c') + expandedCells(xml);
		if (rows > MAX_WORKBOOK_ROWS) return { ok: false, problem: 'too-many-rows', rows };
		if (cells > MAX_WORKBOOK_CELLS) return { ok: false, problem: 'too-many-cells', cells };
		elements += countAllElements(xml);
		if (elements > MAX_WORKBOOK_ELEMENTS)
			return { ok: false, problem: 'too-many-elements', elements };
	}
	// JSZip reads directory entries as long as it finds them, whatever count the end record gives:
	// the entries read here must fill the directory exactly.
	if (offset !== end) return { ok: false, problem: 'unreadable' };
	return { ok: true, unzippedBytes, rows, cells };
}
