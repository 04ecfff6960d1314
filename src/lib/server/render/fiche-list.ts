import FicheList from '$lib/components/FicheList.svelte';
import type { FicheSummary } from '$lib/server/plan/repository';
import { fragmentHtml } from './kept-html';

// Svelte's markers around the items of an `{#each}` block.
const EACH_OPEN = '<!--[-->';
const EACH_CLOSE = '<!--]-->';

type Row = Pick<FicheSummary, 'code' | 'title' | 'priority' | 'status'>;

/** Each row's HTML under what FicheList shows of its fiche; emptied when it grows past the bound. */
const rows = new Map<string, string>();
const MAX_ROWS = 2000;
let frame: { open: string; close: string } | undefined;

/** FicheList's row of one fiche (its `<li>`), and the list's HTML around its rows. */
function rowOf(fiche: Row): string {
	const key = `${fiche.code}\u0000${fiche.priority}\u0000${fiche.status}\u0000${fiche.title}`;
	let row = rows.get(key);
	if (row === undefined) {
		const { code, title, priority, status } = fiche;
		const html = fragmentHtml(FicheList, { fiches: [{ code, title, priority, status }] });
		const start = html.indexOf(EACH_OPEN) + EACH_OPEN.length;
		const end = html.lastIndexOf(EACH_CLOSE);
		frame ??= { open: html.slice(0, start), close: html.slice(end) };
		row = html.slice(start, end);
		if (rows.size >= MAX_ROWS) rows.clear();
		rows.set(key, row);
	}
	return row;
}

/**
 * FicheList's HTML for `fiches` (no note), written by KeptHtml (src/lib/components/KeptHtml.ts)
 * with the same bytes as the component rendered in place: each fiche's row is rendered once and
 * kept under what the row shows (code, title, priority, status), so a change of those makes a new
 * row and nothing is to be invalidated. The home page and `/fiches` list the same fiches on every
 * request, and Svelte's render of their rows (a component per title and badge) was most of what
 * those pages' own components cost (docs/performance.md, « 2026-12-06 (morning) »).
 */
export function ficheListHtml(fiches: readonly Row[]): string {
	if (fiches.length === 0) return fragmentHtml(FicheList, { fiches: [] });
	const body = fiches.map(rowOf).join('');
	return frame!.open + body + frame!.close;
}
