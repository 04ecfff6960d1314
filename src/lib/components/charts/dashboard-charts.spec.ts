import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '$lib/server/db';
import { createTestDb } from '$lib/server/db/testing';
import { quarterOf } from '$lib/server/dashboard/figures';
import { liveDashboard } from '$lib/server/opendata/published';
import { parisToday } from '$lib/utils/dates';
import { countChart, indicatorChart, progressChart } from './configs';
import { dashboardChart, dashboardCharts, indicatorChartId } from './dashboard-charts';

let db: Db;
beforeEach(async () => {
	db = await createTestDb();
});
afterEach(async () => {
	await db.destroy();
});

describe('the charts of graphiques.json', () => {
	it('holds every chart of the seeded dashboard, each as its page would draw it', async () => {
		const { view } = await liveDashboard(db);
		const charts = dashboardCharts(view);
		const table = (id: string) => view.tables.find((t) => t.id === id)!;
		expect(Object.keys(charts)).toEqual([
			'avancement-axes',
			'avancement-orientations',
			'statuts-priorites',
			'activite-trimestres',
			'activite-organisations',
			...view.indicators.map((_, i) => indicatorChartId(i))
		]);
		expect(charts['avancement-axes']).toEqual(progressChart(table('avancement-axes')));
		expect(charts['activite-organisations']).toEqual(
			countChart(table('activite-organisations'), 'organisation', true)
		);
		// Quarters under the bars as people write them, not as the CSV does (« 2018-T3 »).
		expect(table('activite-trimestres').rows[0]?.[0]).toBe('2018-T3');
		expect(charts['activite-trimestres']?.data.labels?.[0]).toBe('T3\u00a02018');
		// The series runs to today's quarter, the quarters since the seeded updates as 0.
		expect(table('activite-trimestres').rows.at(-1)).toEqual([
			quarterOf(parisToday().slice(0, 7)),
			0
		]);
		expect(view.indicators.length).toBeGreaterThan(0);
		const first = view.indicators[0]!;
		expect(charts[indicatorChartId(0)]).toEqual(
			indicatorChart(first.points, first.target, first.kind, first.unit)
		);
		// A count indicator's chart has whole ticks (« 2 territoires », never 0,4).
		const count = view.indicators.findIndex((i) => i.kind === 'count');
		expect(charts[indicatorChartId(count)]?.options?.scales?.y?.ticks).toMatchObject({
			precision: 0
		});
	});

	it('has no chart for an id the view does not hold', async () => {
		const { view } = await liveDashboard(db);
		expect(dashboardChart(view, 'grille-fiches')).toBeNull();
		expect(dashboardChart(view, indicatorChartId(view.indicators.length))).toBeNull();
	});
});
