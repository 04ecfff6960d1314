/**
 * Structured text of the fiche pages: paragraphs and (nested) numbered or bulleted lists, kept as
 * structure so that steps and sub-bullets read as such and can be searched and exported.
 * A string is a paragraph.
 */
export type RichItem = string | { text: string; ul?: RichItem[]; ol?: RichItem[] };
export type RichBlock = string | { ul: RichItem[] } | { ol: RichItem[] };
export type RichText = RichBlock[];

export function itemText(item: RichItem): string {
	return typeof item === 'string' ? item : item.text;
}

export function itemChildren(item: RichItem): { ordered: boolean; items: RichItem[] } | null {
	if (typeof item === 'string') return null;
	if (item.ol) return { ordered: true, items: item.ol };
	if (item.ul) return { ordered: false, items: item.ul };
	return null;
}

export function blockList(block: RichBlock): { ordered: boolean; items: RichItem[] } | null {
	if (typeof block === 'string') return null;
	return 'ol' in block ? { ordered: true, items: block.ol } : { ordered: false, items: block.ul };
}

/** Plain text of a rich text, one line per paragraph or item (for search and CSV). */
export function flattenRichText(text: RichText): string {
	const lines: string[] = [];
	const walk = (items: RichItem[]) => {
		for (const item of items) {
			lines.push(itemText(item));
			const children = itemChildren(item);
			if (children) walk(children.items);
		}
	};
	for (const block of text) {
		const list = blockList(block);
		if (list) walk(list.items);
		else lines.push(block as string);
	}
	return lines.join('\n');
}

export function isRichText(value: unknown): value is RichText {
	const isItem = (item: unknown): boolean => {
		if (typeof item === 'string') return true;
		if (typeof item !== 'object' || item === null) return false;
		const { text, ul, ol } = item as Record<string, unknown>;
		if (typeof text !== 'string') return false;
		if (ul !== undefined && !(Array.isArray(ul) && ul.every(isItem))) return false;
		if (ol !== undefined && !(Array.isArray(ol) && ol.every(isItem))) return false;
		return true;
	};
	return (
		Array.isArray(value) &&
		value.every((block) => {
			if (typeof block === 'string') return true;
			if (typeof block !== 'object' || block === null) return false;
			const keys = Object.keys(block);
			if (keys.length !== 1) return false;
			const list = (block as Record<string, unknown>)[keys[0] as string];
			return (keys[0] === 'ul' || keys[0] === 'ol') && Array.isArray(list) && list.every(isItem);
		})
	);
}

const INDENT = '  ';
const ORDERED = /^(\d+)\. (.*)$/;
const BULLET = /^- (.*)$/;

/**
 * A structured text as the text of one cell (a workbook's, a form's): a paragraph per line, list items as
 * « - item » or « 1. item », nested items indented by two spaces. cellToRichText reads it back.
 */
export function richTextToCell(text: RichText): string {
	const lines: string[] = [];
	const walk = (items: RichItem[], ordered: boolean, depth: number) => {
		items.forEach((item, i) => {
			lines.push(`${INDENT.repeat(depth)}${ordered ? `${i + 1}. ` : '- '}${itemText(item)}`);
			const children = itemChildren(item);
			if (children) walk(children.items, children.ordered, depth + 1);
		});
	};
	for (const block of text) {
		const list = blockList(block);
		if (list) walk(list.items, list.ordered, 0);
		else lines.push(block as string);
	}
	return lines.join('\n');
}

interface Line {
	depth: number;
	ordered: boolean | null;
	text: string;
}

function parseLine(raw: string): Line | null {
	const trimmedEnd = raw.trimEnd();
	if (trimmedEnd.trim() === '') return null;
	const spaces = /^ */.exec(trimmedEnd)![0].length;
	const body = trimmedEnd.slice(spaces);
	const ordered = ORDERED.exec(body);
	if (ordered) return { depth: Math.floor(spaces / 2), ordered: true, text: ordered[2]! };
	const bullet = BULLET.exec(body);
	if (bullet) return { depth: Math.floor(spaces / 2), ordered: false, text: bullet[1]! };
	return { depth: 0, ordered: null, text: body };
}

/** The structured text of a cell written as richTextToCell writes it (or typed by a person). */
export function cellToRichText(cell: string): RichText {
	const lines = cell
		.replace(/\r\n?/g, '\n')
		.split('\n')
		.map(parseLine)
		.filter((line): line is Line => line !== null);
	const blocks: RichText = [];
	let i = 0;
	/** The items of one list at `depth`, from line i on, while they keep its kind. */
	const readList = (depth: number, ordered: boolean): RichItem[] => {
		const items: RichItem[] = [];
		while (i < lines.length) {
			const line = lines[i]!;
			if (line.ordered === null || line.depth !== depth || line.ordered !== ordered) break;
			i++;
			const next = lines[i];
			if (next && next.ordered !== null && next.depth > depth) {
				const childOrdered = next.ordered;
				const children = readList(next.depth, childOrdered);
				items.push(
					childOrdered ? { text: line.text, ol: children } : { text: line.text, ul: children }
				);
			} else items.push(line.text);
		}
		return items;
	};
	while (i < lines.length) {
		const line = lines[i]!;
		if (line.ordered === null) {
			blocks.push(line.text);
			i++;
			continue;
		}
		const items = readList(line.depth, line.ordered);
		if (items.length === 0) {
			// An indented item with no list above it: read it as a paragraph.
			blocks.push(line.text);
			i++;
			continue;
		}
		blocks.push(line.ordered ? { ol: items } : { ul: items });
	}
	return blocks;
}
