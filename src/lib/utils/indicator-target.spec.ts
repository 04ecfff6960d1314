import { describe, expect, it } from 'vitest';
import { portalSources } from './source-testing';
import {
	baselineText,
	indicatorValueText,
	targetGap,
	targetText,
	type TargetedIndicator
} from './indicator-target';

const count: TargetedIndicator = {
	unit: 'communes',
	kind: 'count',
	target: 340,
	targetDate: '2027-12-31',
	baseline: null,
	baselineDate: null
};

describe('an indicator’s target and how far the latest value is from it', () => {
	it('says what is left and the share of the way done', () => {
		expect(targetText(count)).toBe('340\u00a0communes au 31\u00a0décembre\u00a02027');
		expect(targetGap(count, 85)).toBe(
			'Reste 255\u00a0communes pour atteindre la cible (25\u202f% du chemin parcouru).'
		);
	});
	it('writes a value as typed and stored, with its unit, never rounded', () => {
		expect(indicatorValueText('count', 'km', 3.125)).toBe('3,125\u00a0km');
		expect(indicatorValueText('count', null, 3.125)).toBe('3,125');
		expect(indicatorValueText('amount', '€', 1250.5)).toBe('1\u202f250,50\u00a0€');
		expect(indicatorValueText('amount', '€', 3.125)).toBe('3,125\u00a0€');
		expect(indicatorValueText('amount', '€', 1500)).toBe('1\u202f500,00\u00a0€');
		// Cents always written: « 7,00 € » beside « 1 234,50 € » in the same list, not « 7 € ».
		expect(indicatorValueText('amount', '€', 7)).toBe('7,00\u00a0€');
		expect(indicatorValueText('percentage', '%', 42.125)).toBe('42,125\u202f%');
	});
	it('writes a difference as one subtracts the values as written, not a float artefact', () => {
		const km = { ...count, unit: 'km', target: 10.3, targetDate: null };
		expect(targetGap(km, 10.1)).toMatch(/^Reste 0,2\u00a0km /);
		expect(targetGap(km, 10.45)).toBe('Cible atteinte et dépassée de 0,15\u00a0km.');
		const euros = { ...count, kind: 'amount' as const, unit: null, target: 3.6, targetDate: null };
		expect(targetGap(euros, 1.2)).toMatch(/^Reste 2,40\u00a0€ /);
		const percent = { ...count, kind: 'percentage' as const, unit: null, target: 0.3 };
		expect(targetGap({ ...percent, targetDate: null }, 0.1)).toMatch(/^Reste 0,2\u202f% /);
	});
	it('never says 0 % once something was done, nor 100 % before the target', () => {
		const amount = { ...count, kind: 'amount' as const, unit: '€', target: 1_250_000 };
		expect(targetGap(amount, 1250.5)).toContain('(moins de 1\u202f% du chemin parcouru)');
		expect(targetGap({ ...count, target: 1000 }, 996)).toContain(
			'(plus de 99\u202f% du chemin parcouru)'
		);
		expect(targetGap({ ...count, target: 1000 }, 990)).toContain('(99\u202f% du chemin parcouru)');
		expect(targetGap({ ...count, target: 1000 }, 10)).toContain('(1\u202f% du chemin parcouru)');
		expect(targetGap({ ...count, target: 1000 }, 0)).toContain('(0\u202f% du chemin parcouru)');
		// Behind the baseline: nothing of the way done.
		const withBaseline = { ...count, baseline: 100, baselineDate: '2019-01-01' };
		expect(targetGap(withBaseline, 90)).toContain(
			'(0\u202f% du chemin parcouru depuis la référence)'
		);
	});
	it('measures from the baseline when there is one, and says when the target is reached', () => {
		const withBaseline = { ...count, baseline: 100, baselineDate: '2019-01-01' };
		expect(baselineText(withBaseline)).toBe('100\u00a0communes au 1er\u00a0janvier\u00a02019');
		expect(targetGap(withBaseline, 220)).toBe(
			'Reste 120\u00a0communes pour atteindre la cible (50\u202f% du chemin parcouru depuis la référence).'
		);
		expect(targetGap(withBaseline, 340)).toBe('Cible atteinte.');
		expect(targetGap(withBaseline, 350)).toBe('Cible atteinte et dépassée de 10\u00a0communes.');
	});
	it('reads a falling target, a percentage and a yes/no', () => {
		const falling = { ...count, target: 10, baseline: 50, baselineDate: '2019-01-01' };
		expect(targetGap(falling, 30)).toContain('Reste 20\u00a0communes');
		expect(targetGap(falling, 8)).toContain('dépassée de 2\u00a0communes');
		const share = { ...count, kind: 'percentage' as const, unit: '%', target: 80 };
		expect(targetGap(share, 60)).toBe(
			'Reste 20\u202f% pour atteindre la cible (75\u202f% du chemin parcouru).'
		);
		const yesNo = { ...count, kind: 'boolean' as const, target: 1, targetDate: null };
		expect(targetText(yesNo)).toBe('oui');
		expect(targetGap(yesNo, 0)).toBe('Cible non atteinte (dernière valeur : non).');
	});
	it('writes amounts in euros with their cents', () => {
		const euros = {
			...count,
			kind: 'amount' as const,
			unit: null,
			target: 1500.5,
			targetDate: null
		};
		expect(targetText(euros)).toBe(`1\u202f500,50\u00a0€`);
		expect(indicatorValueText('amount', null, 1200)).toBe(`1\u202f200,00\u00a0€`);
		expect(indicatorValueText('count', 'communes', 12)).toBe('12\u00a0communes');
	});
	it('says nothing without a target or without a value', () => {
		expect(targetGap({ ...count, target: null }, 12)).toBeNull();
		expect(targetGap(count, null)).toBeNull();
	});
});

describe('an indicator’s definition', () => {
	// Review #14: its six fields were declared, member by member, in the fiche form's input, the
	// fiche's stored state, the workbook's row, the fiche page's indicator, the open data summary,
	// the repository's write and here: a seventh field would have been added to some of them.
	it('is declared once (TargetedIndicator, IndicatorDefinition), every other shape extending it', () => {
		const declared = portalSources('src', 'scripts')
			.filter(({ text }) => /\b(targetDate|baselineDate)\??: string \| null;/.test(text))
			.map(({ path }) => path);
		expect(declared).toEqual(['src/lib/utils/indicator-target.ts']);
	});
});
