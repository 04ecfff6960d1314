import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FICHE_STATUSES } from '$lib/utils/vocabulary';
import {
	countChart,
	dayNumber,
	indicatorChart,
	progressChart,
	progressChartHeight,
	statusStackChart,
	wrapLabel
} from './configs';

describe('status colours', () => {
	const chart = statusStackChart(
		{ columns: [{ key: 'libelle', label: 'Axe' }], rows: [['Axe', 1, 1, 1, 1, 1]] },
		'libelle'
	);
	const colours = chart.data.datasets.map((d) => String(d.backgroundColor));
	const channels = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
	/** Rec. 601 luma, 0–255: how light a colour prints in grey. */
	const luma = (hex: string) => {
		const [r = 0, g = 0, b = 0] = channels(hex);
		return 0.299 * r + 0.587 * g + 0.114 * b;
	};
	/** WCAG contrast ratio against white. */
	const contrast = (hex: string) => {
		const [r = 0, g = 0, b = 0] = channels(hex).map((c) =>
			c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4
		);
		return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05);
	};

	it('stay apart in grey: at least 20 levels of luma between any two statuses', () => {
		expect(colours).toHaveLength(FICHE_STATUSES.length);
		const close = colours.flatMap((a, i) =>
			colours
				.slice(i + 1)
				.filter((b) => Math.abs(luma(a) - luma(b)) < 20)
				.map((b) => [a, b])
		);
		expect(close).toEqual([]);
	});

	it('are each at least 3:1 against white, and the dashboard’s tiles use them', () => {
		for (const colour of colours) expect(contrast(colour)).toBeGreaterThanOrEqual(3);
		const dashboard = readFileSync('src/lib/components/charts/Dashboard.svelte', 'utf8');
		FICHE_STATUSES.forEach((status, i) =>
			expect(dashboard).toMatch(
				new RegExp(`\\.status-${status} \\{\\s*border-left-color: ${colours[i]};`)
			)
		);
	});
});

describe('chart labels', () => {
	it('cuts a long axis label into lines at spaces, keeping every word', () => {
		const label = '« solidarité » : Accompagnement du territoire dans la transition numérique';
		const lines = wrapLabel(label);
		expect(lines.length).toBeGreaterThan(1);
		expect(lines.every((l) => l.length <= 22 || !l.includes(' '))).toBe(true);
		expect(lines.join(' ')).toBe(label);
	});
	it('draws every axis label, never skipping one for lack of room', () => {
		const config = progressChart({
			columns: [
				{ key: 'libelle', label: 'Axe' },
				{ key: 'avancement_moyen', label: 'Avancement' }
			],
			rows: [
				['« performance » : Transformation vers l’e-administration', 10],
				['« modernité » : Développement de l’innovation', 20]
			]
		});
		expect(config.data.labels?.[0]).toEqual([
			'« performance » :',
			'Transformation vers',
			'l’e-administration'
		]);
		expect(config.options?.scales?.y?.ticks).toMatchObject({ autoSkip: false });
	});
	// Walkthrough s46: the stacked bars by orientation had no axis title (their caption:
	// figures.spec).
	it('names what each figure by axis or orientation draws on its axis', () => {
		const stack = statusStackChart(
			{
				columns: [{ key: 'libelle', label: 'Orientation' }],
				rows: [['Orientation', 1, 1, 1, 1, 1]]
			},
			'libelle'
		);
		// The x scale is a linear (cartesian) one: its options have a title.
		const xTitle = (config: typeof stack) =>
			(config.options?.scales?.x as { title?: unknown } | undefined)?.title;
		expect(xTitle(stack)).toMatchObject({ display: true, text: 'fiches' });
		const progress = progressChart({ columns: [{ key: 'libelle', label: 'Axe' }], rows: [] });
		expect(xTitle(progress)).toMatchObject({ display: true, text: '%' });
	});
	it('is as tall as its wrapped labels need, never less than its minimum', () => {
		const columns = [
			{ key: 'libelle', label: 'Axe' },
			{ key: 'avancement_moyen', label: 'Avancement' }
		];
		const long = '« solidarité » : Accompagnement du territoire dans la transition numérique';
		// Three axes of five lines each (« (non évalué) » included) took 240 px: 52 px a band.
		const tall = progressChartHeight(
			{
				columns,
				rows: [
					[long, null],
					[long, 10],
					[long, null]
				]
			},
			240
		);
		const lines = wrapLabel(long).length;
		expect(lines).toBe(4);
		expect(tall).toBeGreaterThanOrEqual(90 + 3 * (lines + 1) * 18);
		expect(progressChartHeight({ columns, rows: [['« a »', 10]] }, 240)).toBe(240);
	});
	it('draws no bar for a group none of whose fiches is assessed, and says so in its label', () => {
		const config = progressChart({
			columns: [
				{ key: 'libelle', label: 'Axe' },
				{ key: 'avancement_moyen', label: 'Avancement' }
			],
			rows: [
				['« performance »', 43.8],
				['« modernité »', null]
			]
		});
		expect(config.data.datasets[0]!.data).toEqual([43.8, null]);
		expect(config.data.labels?.[1]).toEqual(['« modernité »', '(non évalué)']);
	});
	it('names every organisation, but writes as many quarters, level, as the width holds', () => {
		const table = {
			columns: [
				{ key: 'trimestre', label: 'Trimestre' },
				{ key: 'mises_a_jour', label: 'Mises à jour' }
			],
			rows: [
				['2018-T3', 2],
				['2018-T4', 0]
			]
		};
		const quarters = countChart(table, 'trimestre');
		expect(quarters.data.labels?.map((l) => String(l).replace(/\s/g, ' '))).toEqual([
			'T3 2018',
			'T4 2018'
		]);
		expect(quarters.options?.scales?.x?.ticks).toMatchObject({ autoSkip: true, maxRotation: 0 });
		const organisations = countChart(
			{ ...table, columns: [{ key: 'libelle', label: 'Organisation' }, table.columns[1]!] },
			'libelle',
			true
		);
		expect(organisations.options?.scales?.y?.ticks).toMatchObject({ autoSkip: false });
	});
	it('names an indicator’s series « Valeurs » and « Cible »: the caption names the indicator', () => {
		const config = indicatorChart(
			[
				{ date: '2018-12-31', value: 10 },
				{ date: '2019-06-30', value: 14 }
			],
			20
		);
		expect(config.data.datasets.map((d) => d.label)).toEqual(['Valeurs', 'Cible']);
		// Placed by date: x counts days since 1970, the axis is marked for chart-setup.ts.
		expect(config.data.datasets[0]!.data).toEqual([
			{ x: dayNumber('2018-12-31'), y: 10 },
			{ x: dayNumber('2019-06-30'), y: 14 }
		]);
		expect(dayNumber('2019-06-30') - dayNumber('2018-12-31')).toBe(181);
		expect(config.options?.plugins).toMatchObject({ dayAxis: true });
	});
	it('gives a count indicator whole ticks only, and leaves the others’ as Chart.js sets them', () => {
		const points = [{ date: '2026-06-30', value: 2 }];
		expect(indicatorChart(points, null, 'count').options?.scales?.y).toEqual({
			beginAtZero: true,
			ticks: { precision: 0 }
		});
		expect(indicatorChart(points, null, 'percentage').options?.scales?.y).toEqual({
			beginAtZero: true
		});
		expect(indicatorChart(points, null).options?.scales?.y).toEqual({ beginAtZero: true });
	});
	it('draws a single value’s target as a point, since one point makes no line', () => {
		const [, single] = indicatorChart([{ date: '2018-12-31', value: 10 }], 20).data.datasets;
		expect(single).toMatchObject({
			label: 'Cible',
			data: [{ x: dayNumber('2018-12-31'), y: 20 }],
			pointRadius: 4
		});
		const [, line] = indicatorChart(
			[
				{ date: '2018-12-31', value: 10 },
				{ date: '2019-12-31', value: 12 }
			],
			20
		).data.datasets;
		expect(line).toMatchObject({
			data: [
				{ x: dayNumber('2018-12-31'), y: 20 },
				{ x: dayNumber('2019-12-31'), y: 20 }
			],
			pointRadius: 0
		});
	});
});
