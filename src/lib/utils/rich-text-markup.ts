import type { RichBlock, RichItem, RichText } from './rich-text';
import { blockList, itemChildren, itemText } from './rich-text';

/**
 * The plain-text form of a fiche's structured text, as an admin types it in a text area:
 * one paragraph per line; « - » starts a bulleted item, « 1. » a numbered one; two spaces of
 * indentation per level nest an item under the one above; an empty line separates two lists.
 * `markupToRichText(richTextToMarkup(t))` gives `t` back.
 */
export function richTextToMarkup(text: RichText): string {
	const lines: string[] = [];
	const items = (list: RichItem[], ordered: boolean, depth: number) => {
		list.forEach((item, index) => {
			const marker = ordered ? `${index + 1}.` : '-';
			lines.push(`${'  '.repeat(depth)}${marker} ${itemText(item)}`);
			const children = itemChildren(item);
			if (children) items(children.items, children.ordered, depth + 1);
		});
	};
	text.forEach((block, index) => {
		const list = blockList(block);
		const previous = index > 0 ? text[index - 1] : undefined;
		// Two lists in a row need an empty line between them to stay two.
		if (list && previous !== undefined && blockList(previous)) lines.push('');
		if (list) items(list.items, list.ordered, 0);
		else lines.push(block as string);
	});
	return lines.join('\n');
}

interface Line {
	depth: number;
	kind: 'ul' | 'ol' | 'p' | 'blank';
	text: string;
}

function readLine(raw: string): Line {
	if (raw.trim() === '') return { depth: 0, kind: 'blank', text: '' };
	const indent = /^[ \t]*/.exec(raw)![0].replace(/\t/g, '  ').length;
	const rest = raw.trim();
	// The marker and one space, the text after it trimmed: a pattern reading the spaces and the text
	// apart could read each space either way, its time growing with the square of the line's length.
	const bullet = /^[-*•]\s/.exec(rest);
	if (bullet)
		return { depth: Math.floor(indent / 2), kind: 'ul', text: rest.slice(bullet[0].length).trim() };
	const numbered = /^\d{1,3}[.)]\s/.exec(rest);
	if (numbered)
		return {
			depth: Math.floor(indent / 2),
			kind: 'ol',
			text: rest.slice(numbered[0].length).trim()
		};
	return { depth: 0, kind: 'p', text: rest.replace(/\s+/g, ' ') };
}

export function markupToRichText(markup: string): RichText {
	const lines = markup.replace(/\r\n?/g, '\n').split('\n').map(readLine);
	const blocks: RichBlock[] = [];
	let at = 0;
	/** The items of one list from `at`, at `depth`, of one kind: stops at anything else. */
	const list = (depth: number, kind: 'ul' | 'ol'): RichItem[] => {
		const found: RichItem[] = [];
		while (at < lines.length) {
			const line = lines[at]!;
			if (line.kind !== kind || line.depth !== depth) {
				if (line.kind !== 'ul' && line.kind !== 'ol') break;
				if (line.depth > depth && found.length > 0) {
					// A deeper line nests under the previous item.
					const children = list(line.depth, line.kind);
					const last = found.pop()!;
					found.push({ text: itemText(last), [line.kind]: children });
					continue;
				}
				break;
			}
			found.push(line.text);
			at++;
		}
		return found;
	};
	while (at < lines.length) {
		const line = lines[at]!;
		if (line.kind === 'blank') at++;
		else if (line.kind === 'p') {
			blocks.push(line.text);
			at++;
		} else {
			const kind = line.kind;
			const items = list(line.depth, kind);
			blocks.push(kind === 'ul' ? { ul: items } : { ol: items });
		}
	}
	return blocks;
}
