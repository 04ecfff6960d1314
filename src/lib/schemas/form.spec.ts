import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
	confirmField,
	INCOMPLETE_FORM,
	parseForm,
	readForm,
	typedText,
	versionField
} from './form';
import { OrganisationEditSchema } from './organisation';
import { abandonUnconfirmed, AbandonSchema, RetireSchema } from './retire';
import { PlanImportConfirmSchema } from './plan-import';
import { ReviewSchema } from './review';

const Schema = z.object({
	title: z.string().trim().min(1, 'Indiquez un titre.'),
	count: z.coerce.number().int('Un nombre entier.')
});

const form = (entries: [string, string][]) => {
	const data = new FormData();
	for (const [name, value] of entries) data.append(name, value);
	return data;
};

describe('parseForm', () => {
	it('gives the schema’s output and no message for a good form, ignoring other fields', () => {
		const result = parseForm(
			form([
				['title', ' Séance '],
				['count', '3'],
				['role', 'admin']
			]),
			['title', 'count'],
			Schema
		);
		expect(result).toEqual({
			values: { title: ' Séance ', count: '3' },
			errors: {},
			data: { title: 'Séance', count: 3 }
		});
	});

	it('reads a value that shows nothing (characters without width) as empty, and keeps them in text', () => {
		const invisible = '\u200b\u2060 \ufeff\u00ad\u200c\u200d\u200e\u200f\u061c\u034f\u2800\u3164';
		const blank = parseForm(
			form([
				['title', invisible],
				['count', '3']
			]),
			['title', 'count'],
			Schema
		);
		expect(blank.errors).toEqual({ title: 'Indiquez un titre.' });
		expect(blank.values.title).toBe('');
		// Within a visible text they stay as typed (a soft hyphen in a long word).
		const word = parseForm(
			form([
				['title', 'Numé\u00adrique'],
				['count', '3']
			]),
			['title', 'count'],
			Schema
		);
		expect(word.data?.title).toBe('Numé\u00adrique');
		// Direction marks are dropped: a right-to-left one shows « 1 500 000 » as « 000 500 1 ».
		const budget = parseForm(
			form([
				['title', 'Budget : \u200f1 500 000 €, \u061c2 000 €, \u200e3 €'],
				['count', '3']
			]),
			['title', 'count'],
			Schema
		);
		expect(budget.data?.title).toBe('Budget : 1 500 000 €, 2 000 €, 3 €');
		// A password is a secret, read as typed: its hash was made with its marks.
		const secret = 'Cahors\u200fnumérique-2026!';
		expect(
			readForm(
				form([
					['password', secret],
					['current', secret],
					['next', secret],
					['confirm', secret]
				]),
				['password', 'current', 'next', 'confirm']
			).values
		).toEqual({ password: secret, current: secret, next: secret, confirm: secret });
		// Spaces alone are left to the schema (trimmed there).
		expect(
			parseForm(form([['title', '   ']]), ['title'], Schema.pick({ title: true })).values
		).toEqual({
			title: '   '
		});
	});

	it('keeps what was typed and gives one French message per field', () => {
		const result = parseForm(form([['count', '2,5']]), ['title', 'count'], Schema);
		expect(result.data).toBeNull();
		expect(result.values).toEqual({ title: '', count: '2,5' });
		expect(result.errors.title).toBe('Indiquez un titre.');
		expect(result.errors.count).toBeDefined();
	});

	it('reports a field sent twice even when the schema accepts the first value', () => {
		const result = parseForm(
			form([
				['title', 'Un'],
				['title', 'Deux'],
				['count', '1']
			]),
			['title', 'count'],
			Schema
		);
		expect(result.data).toEqual({ title: 'Un', count: 1 });
		expect(result.errors).toEqual({
			title: 'Ce champ a été envoyé plusieurs fois : renvoyez le formulaire.'
		});
	});
});

describe('versionField', () => {
	it('is the one « version » of every form: a number, or the one message of a stale page', () => {
		expect(versionField.parse('12')).toBe(12);
		expect(versionField.safeParse('x').error?.issues[0]?.message).toBe(INCOMPLETE_FORM);
		// The forms that edit a record share it, message included.
		for (const schema of [OrganisationEditSchema, RetireSchema, ReviewSchema])
			expect(schema.shape.version).toBe(versionField);
	});
});

// Issue #14: « tick the box to abandon » was z.literal('oui') on the fiche's form, and 'oui'
// compared by hand in the import's route.
describe('confirmField', () => {
	it('reads a ticked box as true, anything else as false, refused with its message when asked', () => {
		expect(['oui', '', 'non'].map((v) => confirmField().parse(v))).toEqual([true, false, false]);
		expect(confirmField('Cochez la case.').safeParse('').error?.issues[0]?.message).toBe(
			'Cochez la case.'
		);
		expect(confirmField('Cochez la case.').parse('oui')).toBe(true);
	});

	it('is the box of an abandonment, on the fiche’s page and on the import’s, with one message', () => {
		const fiche = { version: '3', reason: 'Action reprise', decision: '' };
		expect(AbandonSchema.safeParse({ ...fiche, confirm: '' }).error?.issues[0]?.message).toBe(
			abandonUnconfirmed()
		);
		expect(AbandonSchema.parse({ ...fiche, confirm: 'oui' }).confirm).toBe(true);
		const imported = { token: crypto.randomUUID(), digest: 'a'.repeat(64), reason: 'Révision' };
		expect(PlanImportConfirmSchema.parse({ ...imported, confirm: 'oui' }).confirm).toBe(true);
		expect(PlanImportConfirmSchema.parse({ ...imported, confirm: '' }).confirm).toBe(false);
		expect(abandonUnconfirmed(['13-1', '13-2'])).toBe(
			'Cochez la case pour confirmer l’abandon des fiches 13-1 et 13-2, absentes du classeur : une fiche abandonnée ne peut pas être reprise.'
		);
	});
});

describe('typedText', () => {
	it('drops characters without width among the spaces at either end, not one that belongs to a character', () => {
		expect(typedText('Titre \u200B')).toBe('Titre ');
		expect(typedText('\u200B\u2060 Titre')).toBe(' Titre');
		expect(typedText('Titre\u00a0\u200B\u00a0')).toBe('Titre\u00a0\u00a0');
		// An emoji's variation selector, a joiner inside a word: part of the text.
		expect(typedText('Bravo ❤\uFE0F')).toBe('Bravo ❤\uFE0F');
		expect(typedText('👩\u200D💻 à la une')).toBe('👩\u200D💻 à la une');
		expect(typedText('Titre\u200B')).toBe('Titre\u200B');
		expect(typedText('\u200B \u200B')).toBe('');
	});
});
