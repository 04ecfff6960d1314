import { describe, expect, it } from 'vitest';
import { formatEuros } from './format';
import { indicatorSummary } from './indicator-summary';

describe('indicator chart summary', () => {
	it('says the period, the range, the latest value and the target in one sentence', () => {
		expect(
			indicatorSummary('Bornes wifi', { kind: 'count', unit: 'communes', target: 300 }, [
				{ date: '2019-01-01', value: 10 },
				{ date: '2019-06-30', value: 1250.5 },
				{ date: '2019-12-31', value: 42 }
			])
		).toBe(
			'Bornes wifi : 3 valeurs du 1er\u00a0janvier\u00a02019 au 31\u00a0décembre\u00a02019, de 10\u00a0communes à 1\u202f250,5\u00a0communes ; dernière valeur 42\u00a0communes ; cible 300\u00a0communes.'
		);
	});

	it('reads well with one value, or none, and without unit or target', () => {
		expect(
			indicatorSummary('Participants', { kind: 'count', unit: null, target: null }, [
				{ date: '2018-12-31', value: 10 }
			])
		).toBe('Participants : 10 au 31\u00a0décembre\u00a02018.');
		expect(indicatorSummary('Participants', { kind: 'count', unit: null, target: 50 }, [])).toBe(
			'Participants : aucune valeur publiée ; cible 50.'
		);
	});

	it('writes amounts in euros and yes/no as words, as the table beside it', () => {
		expect(
			indicatorSummary('Budget', { kind: 'amount', unit: null, target: 1500.5 }, [
				{ date: '2018-12-31', value: 1200.5 }
			])
		).toBe(
			`Budget : ${formatEuros(1200.5)} au 31\u00a0décembre\u00a02018 ; cible ${formatEuros(1500.5)}.`
		);
		expect(
			indicatorSummary('Charte signée', { kind: 'boolean', unit: null, target: 1 }, [
				{ date: '2018-12-31', value: 0 }
			])
		).toBe('Charte signée : non au 31\u00a0décembre\u00a02018 ; cible oui.');
	});
});
