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
 */
export function figureRowsHtml(keys: string[], shown: number[], rows: Cell[][]): string {
	if (rows.length === 0) return `<tr><td colspan="${shown.length}">Aucune donnée.</td></tr>`;
	let html = '';
	for (const row of rows) {
		html += '<tr>';
		for (const j of shown) {
			const cell = row[j] ?? null;
			html += typeof cell === 'number' ? '<td class="num">' : '<td>';
			html += markedEnglish(shownText(cell, keys[j] ?? ''));
			html += '</td>';
		}
		html += '</tr>';
	}
	return html;
}
