import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { textField } from '$lib/schemas/form';
import { refuse } from '../result';
import { invalidFormAnswer, readPostedForm, refusalAnswer } from './form-answer';

const Schema = z.object({ title: textField('Le titre', 20), note: textField('La note', 5) });
const form = (entries: [string, string][]) => {
	const data = new FormData();
	for (const [key, value] of entries) data.append(key, value);
	return data;
};

describe('a refusal', () => {
	it('names no field: its message above the form, or nowhere but `message` when told so', () => {
		const refusal = refuse(400, 'Deux problèmes à corriger.');
		expect(refusalAnswer(refusal).data.errors).toEqual({ form: 'Deux problèmes à corriger.' });
		const aside = refusalAnswer(refusal, undefined, undefined, { underForm: false }).data;
		expect(aside.errors).toEqual({});
		expect(aside.message).toBe('Deux problèmes à corriger.');
	});
});

describe('reading a posted form', () => {
	it('gives the data and what was typed, with the values the route keeps', () => {
		const read = readPostedForm(
			form([
				['title', ' Wifi '],
				['note', 'ok'],
				['other', 'ignoré']
			]),
			['title', 'note'],
			Schema,
			{ which: 'modifier' }
		);
		expect(read.answer).toBeUndefined();
		expect(read.data).toEqual({ title: 'Wifi', note: 'ok' });
		expect(read.values).toEqual({ title: ' Wifi ', note: 'ok', which: 'modifier' });
	});

	it('answers 400 with the message under each field and everything typed', () => {
		const read = readPostedForm(
			form([
				['title', ''],
				['note', 'bien trop long'],
				['note', 'deux fois']
			]),
			['title', 'note'],
			Schema,
			{ which: 'retirer' }
		);
		expect(read.data).toBeUndefined();
		expect(read.answer?.status).toBe(400);
		expect(read.answer?.data).toEqual({
			values: { title: '', note: 'bien trop long', which: 'retirer' },
			message: 'Le formulaire contient des erreurs : corrigez les champs signalés.',
			errors: {
				title: 'Le titre est obligatoire.',
				note: 'Ce champ a été envoyé plusieurs fois : renvoyez le formulaire.'
			},
			changes: [],
			stored: null
		});
	});

	it('gives back only what the form echoes (never a password), the route still reads all', () => {
		const Login = z.object({
			title: textField('Le titre', 20),
			note: z.string().min(3, 'Trop court.')
		});
		const read = readPostedForm(
			form([
				['title', 'abcdef'],
				['note', 'x']
			]),
			['title', 'note'],
			Login,
			undefined,
			{ echo: (typed) => ({ title: typed.title.slice(0, 3) }) }
		);
		expect(read.typed).toEqual({ title: 'abcdef', note: 'x' });
		expect(read.values).toEqual({ title: 'abc' });
		expect(read.answer?.data.values).toEqual({ title: 'abc' });
		expect(read.answer?.data.errors).toEqual({ note: 'Trop court.' });
	});

	it('answers a one-field form with the field’s own message above it', () => {
		const read = readPostedForm(
			form([['title', '']]),
			['title'],
			Schema.pick({ title: true }),
			undefined,
			{
				oneField: true
			}
		);
		expect(read.answer?.status).toBe(400);
		expect(read.answer?.data.message).toBe('Le titre est obligatoire.');
		expect(read.answer?.data.values).toEqual({ title: '' });
	});

	it('gives the messages in the order the page shows its fields, not the schema’s nor the route’s', () => {
		const Three = z.object({
			title: textField('Le titre', 20),
			note: textField('La note', 5),
			kind: z.enum(['a', 'b'], { error: 'Choisissez une nature.' })
		});
		// The page shows the note, then the kind (a radio left unchosen: not posted), then the title.
		const read = readPostedForm(
			form([
				['note', 'bien trop long'],
				['title', '']
			]),
			['title', 'kind', 'note'],
			Three,
			{ which: 'créer' }
		);
		expect(Object.keys(read.values)).toEqual(['note', 'title', 'kind', 'which']);
		expect(Object.keys(read.answer?.data.errors ?? {})).toEqual(['note', 'title', 'kind']);
		// A problem the route adds after the schema's (a year already taken) takes its field's place.
		const added = invalidFormAnswer({ ...read.errors, note: 'Déjà prise.' }, read.values);
		expect(Object.keys(added.data.errors)).toEqual(['note', 'title', 'kind']);
	});
});
