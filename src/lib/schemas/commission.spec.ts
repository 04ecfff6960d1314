import { describe, expect, it } from 'vitest';
import { SessionSchema } from './commission';

const firstMessage = (heldOn: string) =>
	SessionSchema.safeParse({ held_on: heldOn, place: 'Cahors', title: 'Séance de printemps' }).error
		?.issues[0]?.message;

describe('sitting form', () => {
	it('asks for an empty date, and says when a typed one is not a date', () => {
		expect(firstMessage('')).toBe('Indiquez la date de la séance.');
		expect(firstMessage('  ')).toBe('Indiquez la date de la séance.');
		expect(firstMessage('2026-02-30')).toBe(
			'La date de la séance n’est pas une date valide (jj/mm/aaaa).'
		);
		expect(firstMessage('2026-03-12')).toBeUndefined();
	});
});
