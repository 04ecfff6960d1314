import { describe, expect, it } from 'vitest';
import { mailingSummary } from './mailing-summary';

describe('the summary of a mailing written to nobody', () => {
	const nobody = { members: 0, partners: 0, released: 0, notReached: [] };

	// Review: the sentence shared by both kinds read « Aucun convocation n’a été écrit : personne
	// ne le reçoit » for a convocation.
	it('agrees with a convocation (feminine) and a relevé (masculine)', () => {
		expect(mailingSummary('convocation', nobody, true, null)).toBe(
			'Aucune convocation n’a été écrite : personne ne la reçoit parmi les membres de la commission et les partenaires concernés.'
		);
		expect(mailingSummary('releve', nobody, true, null)).toBe(
			'Aucun relevé n’a été écrit : personne ne le reçoit parmi les membres de la commission et les partenaires concernés.'
		);
	});
});
