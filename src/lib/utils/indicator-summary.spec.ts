import { describe, expect, it } from 'vitest';
import { indicatorSummary } from './indicator-summary';

describe('indicator chart summary', () => {
	it('says the period, the range, the latest value and the target in one sentence', () => {
		expect(
			indicatorSummary('Bornes wifi', 'communes', 300, [
				{ date: '2019-01-01', value: 10 },
				{ date: '2019-06-30', value: 1250.5 },
				{ date: '2019-12-31', value: 42 }
			])
		).toBe(
			'Bornes wifi : 3 valeurs du 1er janvier 2019 au 31 décembre 2019, de 10 communes à 1\u202f250,5 communes ; dernière valeur 42 communes ; cible 300 communes.'
		);
	});

	it('reads well with one value, or none, and without unit or target', () => {
		expect(indicatorSummary('Participants', null, null, [{ date: '2018-12-31', value: 10 }])).toBe(
			'Participants : 10 au 31 décembre 2018.'
		);
		expect(indicatorSummary('Participants', null, 50, [])).toBe(
			'Participants : aucune valeur publiée ; cible 50.'
		);
	});
});
