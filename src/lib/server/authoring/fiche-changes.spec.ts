import { describe, expect, it } from 'vitest';
import {
	ficheChanges,
	readableIndicator,
	type ReadableFiche,
	type ReadableIndicator
} from './fiche-changes';

describe('an indicator in the words of a revision (« Modifications »)', () => {
	it('writes its target and baseline as the fiche does: as stored, with their unit', () => {
		const readable = readableIndicator({
			id: 1,
			label: 'Montant engagé',
			unit: '€',
			kind: 'amount',
			target: 1_250_000.5,
			targetDate: null,
			baseline: 3.125,
			baselineDate: '2020-01-01',
			retiredAt: null
		});
		expect(readable.target).toBe('1\u202f250\u202f000,50\u00a0€');
		expect(readable.baseline).toBe('3,125\u00a0€ au 1er\u00a0janvier\u00a02020');
	});
});

// Left noticed s48: a change of the unit alone was listed as one of the target too, its text
// written with the unit (« 340 communes » → « 340 km »).
describe('an indicator’s unit in « Modifications »', () => {
	const indicator = (unit: string, target: number) =>
		readableIndicator({
			id: 7,
			label: 'Communes équipées',
			unit,
			kind: 'count',
			target,
			targetDate: '2027-12-31',
			baseline: 12,
			baselineDate: null,
			retiredAt: null
		});
	const fiche = (indicators: ReadableIndicator[]): ReadableFiche => ({
		code: '1-1',
		objective: '1.1',
		title: 'Titre',
		shortTitle: '',
		context: '',
		existing: '',
		description: '',
		successFactors: '',
		ownersNote: '',
		owners: '',
		partners: '',
		links: '',
		indicators
	});
	const changed = (before: ReadableIndicator, after: ReadableIndicator) =>
		ficheChanges(fiche([before]), fiche([after])).map((c) => [c.label, c.before, c.after]);

	it('shows a change of the unit alone as one of the unit', () => {
		expect(changed(indicator('communes', 340), indicator('sites', 340))).toEqual([
			['Indicateur « Communes équipées » : unité', 'communes', 'sites']
		]);
	});

	it('shows a change of both as both, the target with its units', () => {
		expect(changed(indicator('communes', 340), indicator('sites', 400))).toEqual([
			['Indicateur « Communes équipées » : unité', 'communes', 'sites'],
			[
				'Indicateur « Communes équipées » : cible',
				'340\u00a0communes au 31\u00a0décembre\u00a02027',
				'400\u00a0sites au 31\u00a0décembre\u00a02027'
			]
		]);
		expect(changed(indicator('communes', 340), indicator('communes', 400))).toHaveLength(1);
	});
});
