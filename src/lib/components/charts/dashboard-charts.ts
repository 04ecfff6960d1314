// The charts of the dashboard and of the editions, by the id their canvas carries: Dashboard.svelte
// draws each in the page (hydrated) and `…/graphiques.json` sends them all to the script of the
// pages rendered on the server only (ChartsScript.svelte).
import type { ChartConfiguration } from 'chart.js';
import type { DashboardView } from '$lib/server/dashboard/tables';
import {
	countChart,
	indicatorChart,
	progressChart,
	statusByPriorityChart,
	statusStackChart
} from './configs';

type View = Pick<DashboardView, 'tables' | 'indicators'>;

const TABLE_CHARTS: Record<string, (table: DashboardView['tables'][number]) => ChartConfiguration> =
	{
		'avancement-axes': progressChart,
		'avancement-orientations': (t) => statusStackChart(t, 'libelle'),
		'statuts-priorites': statusByPriorityChart,
		'activite-trimestres': (t) => countChart(t, 'trimestre'),
		'activite-organisations': (t) => countChart(t, 'organisation', true)
	};

/** The id of an indicator's chart: its rank on the page. */
export const indicatorChartId = (index: number) => `indicateur-${index}`;

/** One chart's configuration, or null when the view has no such chart. */
export function dashboardChart(view: View, id: string): ChartConfiguration | null {
	const table = view.tables.find((t) => t.id === id);
	if (table) return TABLE_CHARTS[id]?.(table) ?? null;
	const indicator = view.indicators.find((_, i) => indicatorChartId(i) === id);
	return indicator
		? indicatorChart(indicator.points, indicator.target, indicator.kind, indicator.unit)
		: null;
}

/** Every chart of a view, by id (what `…/graphiques.json` sends). */
export function dashboardCharts(view: View): Record<string, ChartConfiguration> {
	const ids = [...Object.keys(TABLE_CHARTS), ...view.indicators.map((_, i) => indicatorChartId(i))];
	return Object.fromEntries(
		ids.flatMap((id) => {
			const config = dashboardChart(view, id);
			return config ? [[id, config]] : [];
		})
	);
}
