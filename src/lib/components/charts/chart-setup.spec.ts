import { Chart, type ChartConfiguration } from 'chart.js';
import { describe, expect, it } from 'vitest';
import { withDayAxis, withValueText } from './chart-setup';
import { dayNumber, indicatorChart, progressChart } from './configs';

describe('Chart.js setup', () => {
	it('formats numbers the French way and registers only bars and lines', () => {
		expect(Chart.defaults.locale).toBe('fr-FR');
		expect(new Intl.NumberFormat(Chart.defaults.locale).format(1000)).toBe('1\u202f000');
		expect(Chart.registry.controllers.get('bar')).toBeDefined();
		expect(Chart.registry.controllers.get('line')).toBeDefined();
		expect(() => Chart.registry.getController('pie')).toThrow();
	});

	it('writes a tooltip the French way: a space before its colon', () => {
		const label = Chart.defaults.plugins.tooltip.callbacks.label as unknown as (
			item: unknown
		) => string;
		expect(label({ dataset: { label: 'Valeurs' }, raw: 1729, formattedValue: '1729' })).toBe(
			'Valeurs\u00a0: 1\u202f729'
		);
		expect(label({ dataset: {}, raw: 3, formattedValue: '3' })).toBe('3');
	});

	// Left noticed s48: a tooltip wrote a value in Chart.js's own format (« 1250,5 », no unit), the
	// table beside it « 1 250,5 communes ».
	it('writes a tooltip’s value as the table beside the chart does: the project’s format, the unit', () => {
		const labelOf = (config: ChartConfiguration) =>
			(
				withValueText(withDayAxis(config)).options!.plugins!.tooltip!.callbacks as unknown as {
					label: (item: unknown) => string;
				}
			).label;
		const points = [
			{ date: '2019-01-31', value: 1250.5 },
			{ date: '2019-06-30', value: 1300.125 }
		];
		const communes = labelOf(indicatorChart(points, 1500, 'count', 'communes'));
		expect(communes({ dataset: { label: 'Valeurs' }, raw: { x: 17927, y: 1250.5 } })).toBe(
			'Valeurs\u00a0: 1\u202f250,5\u00a0communes'
		);
		// Every decimal kept, as the table writes it (Chart.js rounded to three).
		expect(communes({ dataset: { label: 'Valeurs' }, raw: { x: 18077, y: 1300.125 } })).toBe(
			'Valeurs\u00a0: 1\u202f300,125\u00a0communes'
		);
		expect(communes({ dataset: { label: 'Cible' }, raw: { x: 17927, y: 1500 } })).toBe(
			'Cible\u00a0: 1\u202f500\u00a0communes'
		);
		const euros = labelOf(indicatorChart(points, null, 'amount', '€'));
		expect(euros({ dataset: { label: 'Valeurs' }, raw: { x: 17927, y: 1250.5 } })).toBe(
			'Valeurs\u00a0: 1\u202f250,50\u00a0€'
		);
		// A dashboard frozen before indicators had a kind: a count.
		expect(
			labelOf(indicatorChart(points, null, undefined, 'sites'))({
				dataset: { label: 'Valeurs' },
				raw: { x: 17927, y: 2 }
			})
		).toBe('Valeurs\u00a0: 2\u00a0sites');
		// The advancement per axis, in %.
		const progress = labelOf(
			progressChart({
				columns: [
					{ key: 'libelle', label: 'Axe' },
					{ key: 'avancement_moyen', label: 'Avancement moyen (%)' }
				],
				rows: [['Axe 1', 42.5]]
			} as never)
		);
		expect(progress({ dataset: { label: 'Avancement' }, raw: 42.5 })).toBe(
			'Avancement\u00a0: 42,5\u202f%'
		);
		// Its day still titles it.
		const title = (
			withValueText(withDayAxis(indicatorChart(points, null, 'count', 'communes'))).options!
				.plugins!.tooltip!.callbacks as unknown as { title: (items: unknown[]) => string }
		).title;
		expect(title([{ parsed: { x: dayNumber('2019-01-31') } }])).toBe('31\u00a0janvier\u00a02019');
	});

	it('writes a chart by date with its ticks at the measurements’ days, as dates', () => {
		const config = withDayAxis(
			indicatorChart(
				[
					{ date: '2019-01-31', value: 1 },
					{ date: '2019-02-28', value: 2 },
					{ date: '2021-06-30', value: 3 }
				],
				5
			)
		);
		const x = config.options!.scales!.x as unknown as {
			type: string;
			afterBuildTicks: (scale: { ticks: { value: number }[]; maxWidth: number }) => void;
			ticks: { callback: (value: number) => string };
		};
		expect(x.type).toBe('linear');
		// Wide enough for every label; on a phone, February's would overlap January's.
		const wide = { ticks: [{ value: 0 }], maxWidth: 4000 };
		x.afterBuildTicks(wide);
		expect(wide.ticks.map((t) => x.ticks.callback(t.value))).toEqual([
			'31/01/2019',
			'28/02/2019',
			'30/06/2021'
		]);
		const narrow = { ticks: [{ value: 0 }], maxWidth: 350 };
		x.afterBuildTicks(narrow);
		expect(narrow.ticks.map((t) => x.ticks.callback(t.value))).toEqual([
			'31/01/2019',
			'30/06/2021'
		]);
		const title = (
			config.options!.plugins!.tooltip!.callbacks as unknown as {
				title: (items: { parsed: { x: number } }[]) => string;
			}
		).title;
		expect(title([{ parsed: { x: dayNumber('2019-02-28') } }])).toBe('28\u00a0février\u00a02019');
		// Other charts are left as they are.
		const bars = { type: 'bar', data: { datasets: [] }, options: {} } as const;
		expect(withDayAxis(bars as never)).toBe(bars);
	});
});
