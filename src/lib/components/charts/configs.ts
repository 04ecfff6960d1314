import type { ChartConfiguration } from 'chart.js';
import { FICHE_STATUSES, STATUS_LABELS, isFicheStatus } from '$lib/utils/vocabulary';
import { formatQuarter } from '$lib/utils/format';

import type { FigureTable } from '$lib/server/dashboard/tables';
import type { IndicatorKind } from '$lib/server/db/schema';

/** What a chart reads of a figure's table (the server's FigureTable). */
type Table = Pick<FigureTable, 'columns' | 'rows'>;

/**
 * Status colours, each at least 3:1 against white; labels and tables carry the meaning too. Printed
 * or seen in grey they stay apart: from light (à lancer) to dark (abandonnée), at least 20 levels
 * of Rec. 601 luma between any two (configs.spec.ts), so that two stacked series show a boundary.
 * None lighter than mid-grey: the forced-colours test (dashboard-charts.spec.ts) tells the
 * design's ink from the theme's by that. Dashboard.svelte's tiles use the same colours.
 */
const STATUS_COLOURS = {
	a_lancer: '#7f7f7f',
	en_cours: '#2676e0',
	realisee: '#185426',
	suspendue: '#9e3f00',
	abandonnee: '#7a0000'
} as const;

const column = (table: Table, key: string) => table.columns.findIndex((c) => c.key === key);
const numbers = (table: Table, key: string) =>
	table.rows.map((r) => Number(r[column(table, key)] ?? 0));
/** Values that may be missing (an axis none of whose fiches is assessed): null, no bar at 0. */
const nullableNumbers = (table: Table, key: string) =>
	table.rows.map((r) => {
		const value = r[column(table, key)];
		return value === null || value === undefined || value === '' ? null : Number(value);
	});
const labels = (table: Table, key: string) =>
	table.rows.map((r) => String(r[column(table, key)] ?? ''));

/**
 * A long category label cut into lines of about `width` characters at spaces: Chart.js gives the
 * labels of a horizontal bar chart at most a share of the chart's width and cuts what passes it
 * (on a phone, in the printed report); lines keep every word readable. The table keeps the label
 * whole. The server cuts at 22 characters; in the browser chart-setup.ts cuts again, in pixels
 * (`measure`), the lines wider than the room the canvas leaves them (a 320 px phone).
 */
export function wrapLabel(
	text: string,
	width = 22,
	measure: (line: string) => number = (line) => line.length
): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		if (line && measure(`${line} ${word}`) > width) {
			lines.push(line);
			line = word;
		} else line = line ? `${line} ${word}` : word;
	}
	if (line) lines.push(line);
	return lines.length > 0 ? lines : [''];
}
const wrappedLabels = (table: Table, key: string) => labels(table, key).map((l) => wrapLabel(l));

/** The lines of each group's label, « (non évalué) » under those without a mean. */
function progressLabels(table: Table): string[][] {
	const values = nullableNumbers(table, 'avancement_moyen');
	return labels(table, 'libelle').map((l, i) =>
		values[i] === null ? [...wrapLabel(l), '(non évalué)'] : wrapLabel(l)
	);
}

/**
 * The height (px) of a progress chart: each band as tall as its label's lines (about 18 px each,
 * and room between bands), plus the legend and the axis; never below `minimum`. A fixed height
 * per band let five-line labels run into each other (« (non évalué) » over the next axis's name).
 */
export function progressChartHeight(table: Table, minimum: number): number {
	const lines = progressLabels(table).reduce((sum, l) => sum + Math.max(2, l.length) + 1, 0);
	return Math.max(minimum, lines * 18 + 90);
}

/**
 * Mean advancement per group (axis or orientation), 0-100 %. A group none of whose fiches is
 * assessed has no bar, and its label says « non évalué » (an empty bar would read as 0 %).
 */
export function progressChart(table: Table): ChartConfiguration {
	return {
		type: 'bar',
		data: {
			labels: progressLabels(table),
			datasets: [
				{
					label: 'Avancement moyen des fiches évaluées (%)',
					data: nullableNumbers(table, 'avancement_moyen'),
					backgroundColor: '#000091'
				}
			]
		},
		options: {
			indexAxis: 'y',
			// The caption says what the bars are (« avancement moyen en % des fiches évaluées ») and
			// the axis says « % »: a legend as long would pass the edge of a phone's canvas. Its
			// tooltips say « 42,5 % » (chart-setup.ts, withValueText).
			plugins: {
				legend: { display: false },
				valueText: { kind: 'percentage', unit: null }
			} as Record<string, unknown>,
			scales: {
				x: { min: 0, max: 100, title: { display: true, text: '%' } },
				y: { ticks: { autoSkip: false } }
			}
		}
	};
}

/** Number of fiches per status, stacked, for each row of the table. */
export function statusStackChart(table: Table, labelKey: string): ChartConfiguration {
	return {
		type: 'bar',
		data: {
			labels: wrappedLabels(table, labelKey),
			datasets: FICHE_STATUSES.map((s) => ({
				label: STATUS_LABELS[s],
				data: numbers(table, s),
				backgroundColor: STATUS_COLOURS[s]
			}))
		},
		options: {
			indexAxis: 'y',
			scales: {
				x: { stacked: true, ticks: { precision: 0 }, title: { display: true, text: 'fiches' } },
				y: { stacked: true, ticks: { autoSkip: false } }
			}
		}
	};
}

const statusLabel = (cell: Table['rows'][number][number]) =>
	typeof cell === 'string' && isFicheStatus(cell) ? STATUS_LABELS[cell] : String(cell);

export function statusByPriorityChart(table: Table): ChartConfiguration {
	const statusIndex = column(table, 'statut');
	return {
		type: 'bar',
		data: {
			labels: ['Priorité 1', 'Priorité 2'],
			datasets: table.rows.map((row, i) => ({
				// A code, or the label a bilan published before 6 December 2026 froze.
				label: statusLabel(row[statusIndex] ?? null),
				data: [Number(row[column(table, 'priorite_1')]), Number(row[column(table, 'priorite_2')])],
				backgroundColor: STATUS_COLOURS[FICHE_STATUSES[i] ?? 'a_lancer']
			}))
		},
		options: {
			scales: {
				x: { stacked: true },
				y: { stacked: true, ticks: { precision: 0 }, title: { display: true, text: 'fiches' } }
			}
		}
	};
}

export function countChart(table: Table, labelKey: string, horizontal = false): ChartConfiguration {
	return {
		type: 'bar',
		data: {
			labels: horizontal
				? wrappedLabels(table, labelKey)
				: labels(table, labelKey).map((l) => formatQuarter(l, 'short')),
			datasets: [
				{
					label: 'Mises à jour validées',
					data: numbers(table, 'mises_a_jour'),
					backgroundColor: '#000091'
				}
			]
		},
		options: {
			indexAxis: horizontal ? 'y' : 'x',
			scales: {
				[horizontal ? 'x' : 'y']: { ticks: { precision: 0 } },
				// Every organisation is named; quarters, written level, as many as the width holds (34
				// quarters turned on a phone piled into one unreadable band): the table gives each.
				[horizontal ? 'y' : 'x']: {
					ticks: horizontal ? { autoSkip: false } : { autoSkip: true, maxRotation: 0 }
				}
			}
		}
	};
}

/** A day (« 2019-06-30 ») as a number of days since 1970, the x of a chart by date. */
export const dayNumber = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000;

/**
 * One indicator's values over time, placed by their date (two measurements a month apart closer
 * than two a year apart), with its target as a dashed line when there is one. The x axis is a
 * linear one in days, marked `dayAxis`: chart-setup.ts writes its ticks and tooltips as dates
 * (a configuration travels as JSON, without functions), and its values with their unit, as the
 * table beside it (`valueText`). The legend says « Valeurs », as the
 * fiche's own chart does: the figure's caption names the indicator. A count's axis has whole ticks;
 * `kind` is absent from dashboards frozen before indicators had one.
 */
export function indicatorChart(
	points: { date: string; value: number }[],
	target: number | null,
	kind?: IndicatorKind,
	unit: string | null = null
): ChartConfiguration {
	const days = points.map((p) => dayNumber(p.date));
	const span = days.length > 1 ? [days[0]!, days.at(-1)!] : days;
	return {
		type: 'line',
		data: {
			datasets: [
				{
					label: 'Valeurs',
					data: points.map((p, i) => ({ x: days[i]!, y: p.value })),
					borderColor: '#000091',
					backgroundColor: '#000091',
					pointRadius: 4
				},
				...(target === null
					? []
					: [
							{
								label: 'Cible',
								data: span.map((x) => ({ x, y: target })),
								borderColor: '#b34000',
								borderDash: [6, 4],
								// A single value draws no line: its target is then a point.
								pointRadius: points.length === 1 ? 4 : 0,
								backgroundColor: '#b34000'
							}
						])
			]
		},
		options: {
			scales: {
				x: { type: 'linear' },
				// A count (« 2 territoires ») is never « 0,4 »: whole ticks only, as the bar charts have.
				y: { beginAtZero: true, ...(kind === 'count' ? { ticks: { precision: 0 } } : {}) }
			},
			// Its tooltips write a value as its table does (chart-setup.ts, withValueText); frozen
			// before indicators had a kind, a count.
			plugins: { dayAxis: true, valueText: { kind: kind ?? 'count', unit } } as Record<
				string,
				unknown
			>
		}
	};
}
