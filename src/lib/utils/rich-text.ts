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
