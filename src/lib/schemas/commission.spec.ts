import { describe, expect, it } from 'vitest';
import { SittingSchema } from './commission';

const firstMessage = (heldOn: string) =>
	SittingSchema.safeParse({
		held_on: heldOn,
		starts_at: '',
		place: 'Cahors',
		title: 'Séance de printemps'
	}).error?.issues[0]?.message;

describe('sitting form', () => {
	it('asks for an empty date, and says when a typed one is not a date', () => {
		expect(firstMessage('')).toBe('Indiquez la date de la séance.');
		expect(firstMessage('  ')).toBe('Indiquez la date de la séance.');
		expect(firstMessage('2026-02-30')).toBe(
			'La date de la séance n’est pas une date valide (jj/mm/aaaa).'
		);
		expect(firstMessage('2026-03-12')).toBeUndefined();
	});

	it('takes an optional time of day, hours and minutes', () => {
		const parse = (startsAt: string) =>
			SittingSchema.safeParse({
				held_on: '2026-03-12',
				starts_at: startsAt,
				place: 'Cahors',
				title: 'Séance de printemps'
			});
		expect(parse('').data?.starts_at).toBeNull();
		expect(parse(' 09:05 ').data?.starts_at).toBe('09:05');
		for (const bad of ['24:00', '9h', '14:3', '14:30:00'])
			expect(parse(bad).error?.issues[0]?.message).toBe(
				'L’heure s’écrit en heures et minutes (par exemple 14:30).'
			);
	});
});
