import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import FigureTable from './FigureTable.svelte';
import { formatDate, formatNumber } from '$lib/utils/format';

import type { Cell } from '$lib/server/dashboard/tables';

function tableBody(columns: { key: string; label: string }[], rows: Cell[][]): string {
	const html = render(FigureTable, { props: { columns, rows, caption: 'Figure' } }).body;
	return html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>') + '</tbody>'.length);
}

const COLUMNS = [
	{ key: 'code', label: 'Code' },
	{ key: 'libelle', label: 'Orientation' },
	{ key: 'statut', label: 'Statut' },
	{ key: 'date', label: 'Date' },
	{ key: 'avancement_moyen', label: 'Avancement moyen' },
	{ key: 'fiches', label: 'Fiches' }
];

describe('a figure’s table', () => {
	it('shows each cell in French, escaped, with its English expressions marked', () => {
		const body = tableBody(COLUMNS, [
			['politique-donnee', 'Open data & <données>', 'en_cours', '2026-03-02', null, 1234.5]
		]).replaceAll(/<!--[^>]*-->/g, '');
		// The group's code is for machines (CSV): not a column on the page.
		expect(body).not.toContain('politique-donnee');
		expect(body).toContain(
			'<th scope="row"><span lang="en">Open data</span> &amp; &lt;données&gt;</th>'
		);
		expect(body).toContain('<td>En cours</td>');
		expect(body).toContain(`<td>${formatDate('2026-03-02')}</td>`);
		expect(body).toContain('<td>non évalué</td>');
		expect(body).toContain(`<td class="num">${formatNumber(1234.5)}</td>`);
	});

	it('heads each row with its first column shown, a date in an indicator’s table', () => {
		// Screen readers announce each figure with what names its row (WCAG 1.3.1, RGAA 5.7).
		const body = tableBody(
			[
				{ key: 'date', label: 'Date' },
				{ key: 'valeur', label: 'Valeur' }
			],
			[
				['2026-01-01', 3],
				['2026-04-01', 5]
			]
		);
		expect(body.match(/<th scope="row">/g)).toHaveLength(2);
		expect(body).toContain(
			`<th scope="row">${formatDate('2026-04-01')}</th><td class="num">5</td>`
		);
		expect(body.match(/<td/g)).toHaveLength(2);
	});

	it('says when there is nothing to show', () => {
		expect(tableBody(COLUMNS, []).replaceAll(/<!--[^>]*-->/g, '')).toContain(
			'<tbody><tr><td colspan="5">Aucune donnée.</td></tr></tbody>'
		);
	});

	it('writes its rows without a component nor hydration comment per cell', () => {
		// About 900 cells on the dashboard and on an edition at ten years: a LangText component
		// per cell cost a renderer and three comments each, on pages that never hydrate.
		const rows: Cell[][] = Array.from({ length: 200 }, (_, i) => ['2026-01-01', i, `Valeur ${i}`]);
		const body = tableBody(
			[
				{ key: 'date', label: 'Date' },
				{ key: 'valeur', label: 'Valeur' },
				{ key: 'note', label: 'Note' }
			],
			rows
		);
		expect(body.match(/<td/g)).toHaveLength(400);
		expect(body.match(/<th scope="row"/g)).toHaveLength(200);
		expect(body.match(/<!--/g)?.length ?? 0).toBeLessThanOrEqual(2);
	});
});
