import { describe, expect, it } from 'vitest';
import { indicatorValueProblem } from './indicator-kinds';

describe('indicator kinds decide which values are accepted', () => {
	it('a count is never negative', () => {
		expect(indicatorValueProblem('count', 0)).toBeNull();
		expect(indicatorValueProblem('count', 1200)).toBeNull();
		expect(indicatorValueProblem('count', -1)).toMatch(/négative/);
	});
	// « Nombre » is every indicator's default kind, a savings or satisfaction one included (9-1).
	it('a count may hold decimals', () => {
		expect(indicatorValueProblem('count', 12.5)).toBeNull();
	});
	it('a percentage stays within 0–100', () => {
		expect(indicatorValueProblem('percentage', 0)).toBeNull();
		expect(indicatorValueProblem('percentage', 100)).toBeNull();
		expect(indicatorValueProblem('percentage', 100.5)).toMatch(/entre 0 et 100/);
		expect(indicatorValueProblem('percentage', -3)).toMatch(/entre 0 et 100/);
	});
	it('an amount is not negative, a yes/no is 0 or 1', () => {
		expect(indicatorValueProblem('amount', 500)).toBeNull();
		expect(indicatorValueProblem('amount', -500)).toMatch(/montant/);
		expect(indicatorValueProblem('boolean', 1)).toBeNull();
		expect(indicatorValueProblem('boolean', 0)).toBeNull();
		expect(indicatorValueProblem('boolean', 0.5)).toMatch(/1 \(oui\) ou 0 \(non\)/);
	});
	it('refuses what is not a number', () => {
		expect(indicatorValueProblem('amount', Number.NaN)).toMatch(/nombre/);
	});
});
