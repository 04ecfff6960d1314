import { Chart } from 'chart.js';
import { describe, expect, it } from 'vitest';
import './chart-setup';

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
});
