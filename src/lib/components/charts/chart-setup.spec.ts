import { Chart } from 'chart.js';
import { describe, expect, it } from 'vitest';
import { withDayAxis } from './chart-setup';
import { dayNumber, indicatorChart } from './configs';

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
		expect(label({ dataset: { label: 'Valeurs' }, formattedValue: '1\u202f729' })).toBe(
			'Valeurs\u00a0: 1\u202f729'
		);
		expect(label({ dataset: {}, formattedValue: '3' })).toBe('3');
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
