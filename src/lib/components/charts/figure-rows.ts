import { formatDate, formatNumber, formatQuarter } from '$lib/utils/format';
import { markedEnglish } from '$lib/utils/languages';
import { STATUS_LABELS, isFicheStatus } from '$lib/utils/vocabulary';

import type { Cell } from '$lib/server/dashboard/tables';

/** French formats on screen (the CSV keeps machine formats). */
function shownText(cell: Cell, key: string): string {
	if (cell === null) return key === 'avancement_moyen' ? 'non évalué' : '—';
	if (typeof cell === 'number') return formatNumber(cell);
	if (key === 'date') return formatDate(cell);
	if (key === 'trimestre') return formatQuarter(cell);
	if (key === 'statut' && isFicheStatus(cell)) return STATUS_LABELS[cell];
	return cell;
}

/**
 * The body of a figure's table (FigureTable.svelte) as one HTML string: the columns `shown` of
 * each row, numbers on the right (`num`), English expressions marked (markedEnglish, which
 * escapes every character). A Svelte component per cell (LangText) cost a renderer and three
 * hydration comments each, written even on pages without script: the dashboard and an edition
 * have about 900 cells at ten years (docs/performance.md, « the figure tables' cells »).
 * The first column shown names its row (an axis, a status, a quarter, an organisation, a date):
 * its cells are row headers, `<th scope="row">`, so that a screen reader announces each figure
 * with what it counts (WCAG 1.3.1).
 */
export function figureRowsHtml(keys: string[], shown: number[], rows: Cell[][]): string {
	if (rows.length === 0) return `<tr><td colspan="${shown.length}">Aucune donnée.</td></tr>`;
	let html = '';
	for (const row of rows) {
		html += '<tr>';
		shown.forEach((j, i) => {
			const cell = row[j] ?? null;
			const tag = i === 0 ? 'th' : 'td';
			html += `<${tag}${i === 0 ? ' scope="row"' : ''}${typeof cell === 'number' ? ' class="num"' : ''}>`;
			html += markedEnglish(shownText(cell, keys[j] ?? ''));
			html += `</${tag}>`;
		});
		html += '</tr>';
	}
	return html;
}
