import { FICHE_STATUSES, STATUS_LABELS, statusCount } from '../../utils/vocabulary';
import { statusByPriorityChart } from '../../components/charts/configs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { NAMED_ORGANISATIONS } from '../../utils/rules';
import { computeDashboard, quarterOf, type DashboardInput } from './figures';
import { figureTables, tableToCsv } from './tables';
import { FIGURE_IDS } from '../../utils/figure-ids';
import { match as figureParameter } from '../../../params/figure';

/** A small plan whose figures are worked out by hand below. */
const input: DashboardInput = {
	axes: [
		{ code: 'a', label: 'Axe A', shortName: 'a' },
		{ code: 'b', label: 'Axe B', shortName: 'b' }
	],
	orientations: [
		{ code: 'a1', axis: 'a', label: 'Orientation A1' },
		{ code: 'b1', axis: 'b', label: 'Orientation B1' }
	],
	fiches: [
		{
			code: '1-1',
			title: 'Un',
			axis: 'a',
			orientation: 'a1',
			priority: 1,
			status: 'en_cours',
			progress: 40
		},
		{
			code: '1-2',
			title: 'Deux',
			axis: 'a',
			orientation: 'a1',
			priority: 1,
			status: 'realisee',
			progress: 100
		},
		{
			code: '2-1',
			title: 'Trois',
			axis: 'a',
			orientation: 'a1',
			priority: 2,
			status: 'a_lancer',
			progress: null
		},
		{
			code: '3-1',
			title: 'Quatre',
			axis: 'b',
			orientation: 'b1',
			priority: 2,
			status: 'a_lancer',
			progress: null
		}
	],
	updatesByMonth: [
		{ month: '2019-01', count: 2 },
		{ month: '2019-03', count: 1 },
		{ month: '2019-04', count: 4 },
		{ month: '2020-12', count: 1 }
	],
	updatesByOrganisation: [
		{ organisation: 'Zèbre', count: 3 },
		{ organisation: 'Alpha', count: 3 },
		{ organisation: 'Bêta', count: 5 }
	],
	indicators: [
		{
			fiche: '1-1',
			label: 'Bornes',
			unit: 'communes',
			target: 313,
			points: [{ date: '2019-06-30', value: 12.5 }]
		},
		{ fiche: '1-2', label: 'Jamais mesuré', unit: null, target: null, points: [] }
	]
};

describe('computeDashboard', () => {
	const figures = computeDashboard(input, '2020-12-31');

	it('averages the advancement of assessed fiches only, axis by axis', () => {
		// Axe A: (40 + 100) / 2 = 70, the fiche never assessed is left out of the mean.
		expect(figures.byAxis[0]).toEqual({
			code: 'a',
			label: '« a » : Axe A',
			fiches: 3,
			assessed: 2,
			meanProgress: 70,
			statuses: { a_lancer: 1, en_cours: 1, realisee: 1, suspendue: 0, abandonnee: 0 }
		});
		// Axe B: nothing assessed, so no mean at all (not 0).
		expect(figures.byAxis[1]).toMatchObject({ fiches: 1, assessed: 0, meanProgress: null });
		expect(figures.totals).toMatchObject({
			fiches: 4,
			assessed: 2,
			meanProgress: 70,
			priorityOne: 2
		});
	});

	it('leaves an abandoned fiche out of the mean advancement, even with an advancement validated', () => {
		// An update submitted before the fiche was abandoned, validated after: 10 % on an abandoned
		// fiche, which weighs on nothing.
		const abandoned = computeDashboard(
			{
				...input,
				fiches: [
					...input.fiches,
					{
						code: '3-2',
						title: 'Cinq',
						axis: 'b',
						orientation: 'b1',
						priority: 2,
						status: 'abandonnee',
						progress: 10
					}
				]
			},
			'2020-12-31'
		);
		expect(abandoned.byAxis[1]).toMatchObject({ fiches: 2, assessed: 0, meanProgress: null });
		expect(abandoned.totals).toMatchObject({ fiches: 5, assessed: 2, meanProgress: 70 });
	});

	it('splits statuses by priority', () => {
		expect(figures.statusByPriority).toEqual([
			{
				priority: 1,
				statuses: { a_lancer: 0, en_cours: 1, realisee: 1, suspendue: 0, abandonnee: 0 }
			},
			{
				priority: 2,
				statuses: { a_lancer: 2, en_cours: 0, realisee: 0, suspendue: 0, abandonnee: 0 }
			}
		]);
	});

	it('adds months into quarters, each quarter between the first and last, and sorts organisations by activity then name', () => {
		expect(quarterOf('2019-03')).toBe('2019-T1');
		expect(quarterOf('2019-04')).toBe('2019-T2');
		// The quarters without a validated update are there, as 0, not skipped.
		expect(figures.activityByQuarter).toEqual([
			{ quarter: '2019-T1', count: 3 },
			{ quarter: '2019-T2', count: 4 },
			{ quarter: '2019-T3', count: 0 },
			{ quarter: '2019-T4', count: 0 },
			{ quarter: '2020-T1', count: 0 },
			{ quarter: '2020-T2', count: 0 },
			{ quarter: '2020-T3', count: 0 },
			{ quarter: '2020-T4', count: 1 }
		]);
		expect(figures.activityByOrganisation.map((o) => o.organisation)).toEqual([
			'Bêta',
			'Alpha',
			'Zèbre'
		]);
	});

	it('runs the quarters to the day the figures stand at, never stopping at the last one with an update', () => {
		// A bilan « au 31 décembre 2021 »: the three quarters of 2021 without an update are there.
		const bilan = computeDashboard(input, '2021-12-31');
		expect(bilan.activityByQuarter.slice(-5)).toEqual([
			{ quarter: '2020-T4', count: 1 },
			{ quarter: '2021-T1', count: 0 },
			{ quarter: '2021-T2', count: 0 },
			{ quarter: '2021-T3', count: 0 },
			{ quarter: '2021-T4', count: 0 }
		]);
		const chart = figureTables(bilan).find((t) => t.id === 'activite-trimestres')!;
		expect(chart.rows.at(-1)).toEqual(['2021-T4', 0]);
		// A day before the last update (not met in practice) cuts nothing off.
		expect(computeDashboard(input, '2019-05-01').activityByQuarter.at(-1)).toEqual({
			quarter: '2020-T4',
			count: 1
		});
	});

	it('names the most active organisations and counts the others together', () => {
		const many = computeDashboard(
			{
				...input,
				updatesByOrganisation: Array.from({ length: 25 }, (_, i) => ({
					organisation: `Organisation ${String(i).padStart(2, '0')}`,
					count: 100 - i
				}))
			},
			'2020-12-31'
		);
		expect(many.activityByOrganisation).toHaveLength(NAMED_ORGANISATIONS + 1);
		expect(many.activityByOrganisation[0]).toEqual({ organisation: 'Organisation 00', count: 100 });
		// The 15 others: 90 + 89 + … + 76.
		expect(many.activityByOrganisation.at(-1)).toEqual({
			organisation: 'Les 15 autres organisations',
			count: 1245
		});
		const table = figureTables(many).find((t) => t.id === 'activite-organisations')!;
		expect(table.rows.at(-1)).toEqual(['Les 15 autres organisations', 1245]);
		expect(tableToCsv(table)).toContain('Les 15 autres organisations,1245');
	});

	it('keeps only indicators that have values', () => {
		expect(figures.indicators.map((i) => i.label)).toEqual(['Bornes']);
	});
});

describe('chart tables and their CSV', () => {
	const tables = figureTables(computeDashboard(input, '2020-12-31'));

	it('are each reached at its file’s address, and no other name is (src/params/figure.ts)', () => {
		expect(tables.filter((t) => !figureParameter(t.id))).toEqual([]);
		// An edition's open-data file (`/bilans/2025/fiches.csv`) is left to its own route.
		for (const name of ['fiches', 'mesures-2019', 'decisions', 'plan', 'nope', 'Indicateurs', ''])
			expect(figureParameter(name), name).toBe(false);
	});

	it('give each chart a table, a summary and the same figures in CSV', () => {
		expect(tables.map((t) => t.id)).toEqual(FIGURE_IDS);
		for (const table of tables) {
			const rows = parse(tableToCsv(table)) as string[][];
			expect(rows[0]).toEqual(table.columns.map((c) => c.key));
			expect(rows.slice(1)).toEqual(
				table.rows.map((r) => r.map((cell) => (cell === null ? '' : String(cell))))
			);
			expect(table.summary.length).toBeGreaterThan(10);
		}
	});

	// Walkthrough s46: both had « avancement moyen en % des fiches évaluées ; nombre de fiches par
	// statut », though the first draws the average only and the second the statuses only.
	it('say in their caption what the figures by axis and by orientation draw', () => {
		const units = Object.fromEntries(tables.map((t) => [t.id, t.unit]));
		expect(units['avancement-axes']).toBe('avancement moyen en % des fiches évaluées');
		expect(units['avancement-orientations']).toBe('nombre de fiches par statut');
	});

	it('writes counts of statuses agreeing with their number, in the summaries', () => {
		expect(statusCount('realisee', 2)).toBe('2\u00a0réalisées');
		expect(statusCount('realisee', 1)).toBe('1\u00a0réalisée');
		expect(statusCount('a_lancer', 3)).toBe('3\u00a0à lancer');
		expect(statusCount('abandonnee', 0)).toBe('0\u00a0abandonnée');
		const figures = computeDashboard(input, '2020-12-31');
		figures.totals.statuses.realisee = 2;
		figures.statusByPriority[0]!.statuses.suspendue = 3;
		const summaries = figureTables(figures)
			.map((t) => t.summary)
			.join(' ');
		expect(summaries).toContain('2\u00a0réalisées');
		expect(summaries).toContain('3\u00a0suspendues');
		expect(summaries).not.toMatch(/\b([2-9]|\d{2,})[\s\u00a0](réalisée|suspendue|abandonnée)\b/);
	});

	it('writes machine formats: dot decimals, ISO dates, empty for never assessed', () => {
		expect(tableToCsv(tables.find((t) => t.id === 'indicateurs')!)).toContain(
			'1-1,Bornes,communes,313,2019-06-30,12.5'
		);
		expect(tableToCsv(tables.find((t) => t.id === 'avancement-axes')!)).toContain(
			'b,« b » : Axe B,1,0,,1,0,0,0,0'
		);
		// Status codes, as grille-fiches.csv and the open data; the chart and the page say labels.
		const byPriority = tables.find((t) => t.id === 'statuts-priorites')!;
		const codes = tableToCsv(byPriority).split('\r\n').slice(1, -1);
		expect(codes.map((row) => row.split(',')[0])).toEqual([...FICHE_STATUSES]);
		const chart = statusByPriorityChart(byPriority);
		expect(chart.data.datasets.map((d) => d.label)).toEqual(
			FICHE_STATUSES.map((s) => STATUS_LABELS[s])
		);
	});
});
