import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';
import { spaceTemplateText } from '../scripts/svelte-french-spacing.js';

/**
 * A visually hidden part of a link's or a button's name (« Désactiver<span class="visually-hidden">
 * {email}</span> ») is read by a screen reader right after the visible words. Svelte removes the
 * spaces an element's text starts or ends with (a space typed as `&#32;` too), so a space written
 * there reaches no page: « Désactiverx@y.fr ». The space goes before the hidden part (`&#32;<span`)
 * or inside an expression (`{` sur ${point}`}`); a no-break space the French spacing puts before
 * « : » stays.
 */
const ROOT = join(import.meta.dirname, '..');

type Node = {
	type: string;
	name?: string;
	data?: string;
	start: number;
	expression?: { type: string; quasis?: { value: { cooked: string } }[] };
	attributes?: { type: string; name: string; value: unknown }[];
	fragment?: { nodes: Node[] };
	[key: string]: unknown;
};

function svelteFiles(dir: string): string[] {
	return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
		const path = `${dir}/${entry.name}`;
		if (entry.isDirectory()) return svelteFiles(path);
		return entry.name.endsWith('.svelte') ? [path] : [];
	});
}

function isHidden(node: Node): boolean {
	const classes = node.attributes?.find((a) => a.type === 'Attribute' && a.name === 'class');
	const values = Array.isArray(classes?.value) ? (classes.value as Node[]) : [];
	return values.some((v) => v.type === 'Text' && /(^|\s)visually-hidden(\s|$)/.test(v.data ?? ''));
}

/** The text a node shows at its start (`at` 0) or end (`at` -1), when the source tells it. */
function edgeText(node: Node | undefined, at: 0 | -1): string | undefined {
	if (!node) return undefined;
	if (node.type === 'Text') return node.data;
	const quasis = node.type === 'ExpressionTag' ? node.expression?.quasis : undefined;
	return quasis?.at(at)?.value.cooked;
}

/** Whether a space (kept by Svelte) is at the start (`at` 0) or the end (`at` -1) of `node`. */
function spaced(node: Node | undefined, at: 0 | -1, trimmed: boolean): boolean {
	let text = edgeText(node, at);
	if (text === undefined) return false;
	if (trimmed && node?.type === 'Text')
		text = text.replace(at === 0 ? /^[ \t\r\n]+/ : /[ \t\r\n]+$/, '');
	return /\s/.test(text.at(at) ?? '');
}

/** Whether the words of the hidden element `siblings[index]` run into the words on its `side`. */
function joined(siblings: Node[], index: number, side: 'before' | 'after'): boolean {
	const at = side === 'before' ? -1 : 0;
	const neighbour = siblings[side === 'before' ? index - 1 : index + 1];
	if (!neighbour || (neighbour.type === 'Text' && !neighbour.data?.trim())) return false;
	if (spaced(neighbour, at, false)) return false;
	// A sign no word ends with (« : », « , ») may follow the hidden words without a space.
	if (side === 'after' && /^\p{P}/u.test(edgeText(neighbour, 0) ?? '')) return false;
	const inside = siblings[index]?.fragment?.nodes.filter((n) => n.type !== 'Comment') ?? [];
	return !spaced(inside.at(at === -1 ? 0 : -1), at === -1 ? 0 : -1, true);
}

function gluedParts(path: string): string[] {
	const source = spaceTemplateText(readFileSync(join(ROOT, path), 'utf8'), path);
	const found: string[] = [];
	const visit = (node: unknown): void => {
		if (!node || typeof node !== 'object') return;
		const n = node as Node;
		const nodes = Array.isArray(n.nodes) ? (n.nodes as Node[]) : undefined;
		nodes?.forEach((child, index) => {
			if (child.type !== 'RegularElement' || !isHidden(child)) return;
			for (const side of ['before', 'after'] as const)
				if (joined(nodes, index, side)) {
					const line = source.slice(0, child.start).split('\n').length;
					found.push(`${path}:${line} (${side === 'before' ? 'avant' : 'après'})`);
				}
		});
		for (const value of Object.values(n)) {
			if (Array.isArray(value)) value.forEach(visit);
			else if (value && typeof value === 'object') visit(value);
		}
	};
	visit(parse(source, { modern: true, filename: path }).fragment);
	return found;
}

describe('visually hidden words', () => {
	it('are parted by a space from the visible words they follow or precede', () => {
		const files = [...svelteFiles('src/routes'), ...svelteFiles('src/lib')];
		expect(files.length).toBeGreaterThan(20);
		expect(files.flatMap(gluedParts).map((at) => relative('.', at))).toEqual([]);
	});

	it('catches a space Svelte trims, and lets a kept one through', () => {
		const glued = (markup: string) => {
			const ast = parse(markup, { modern: true });
			const siblings = (ast.fragment.nodes[0] as unknown as Node).fragment?.nodes ?? [];
			const index = siblings.findIndex((n) => n.type === 'RegularElement');
			return joined(siblings, index, 'before');
		};
		expect(glued('<a>Modifier<span class="visually-hidden"> l’axe {a}</span></a>')).toBe(true);
		expect(glued('<a>Modifier<span class="visually-hidden">&#32;l’axe</span></a>')).toBe(true);
		expect(glued('<a>{a}<span class="visually-hidden">\n\t{b}</span></a>')).toBe(true);
		expect(glued('<a>Modifier&#32;<span class="visually-hidden">l’axe</span></a>')).toBe(false);
		expect(glued('<a>Modifier <span class="visually-hidden">l’axe</span></a>')).toBe(false);
		expect(glued('<a>Retirer<span class="visually-hidden">{` sur ${p}`}</span></a>')).toBe(false);
		expect(glued('<a>{a}<span class="visually-hidden">\u00a0: b</span></a>')).toBe(false);
	});
});
