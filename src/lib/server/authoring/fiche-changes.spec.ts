import { describe, expect, it } from 'vitest';
import { readableIndicator } from './fiche-changes';

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
