import { describe, expect, it } from 'vitest';
import { parisYear } from '../utils/dates';
import { editionSchema, editionYearMessage } from './edition';

const AXES = [
	{ code: 'performance', shortName: 'performance' },
	{ code: 'solidarite', shortName: 'solidarité' },
	{ code: 'modernite', shortName: 'modernité' }
];
const EditionSchema = editionSchema(AXES, []);

const form = (year: string, asOf: string) => ({
	year,
	as_of: asOf,
	intro: 'Une année de mise en œuvre.',
	text_performance: '',
	text_solidarite: '',
	text_modernite: '',
	change_note: ''
});
const messages = (year: string, asOf: string) =>
	(EditionSchema.safeParse(form(year, asOf)).error?.issues ?? []).map((i) => [
		i.path.join('.'),
		i.message
	]);

describe('edition form', () => {
	it('accepts a date of arrest within the year', () => {
		expect(messages('2019', '2019-12-31')).toEqual([]);
	});

	it('says when the date of arrest falls outside the year', () => {
		expect(messages('2019', '2020-01-15')).toEqual([
			[
				'as_of',
				'La date d’arrêté doit tomber dans l’année du bilan, entre le 1er\u00a0janvier\u00a02019 et le 31\u00a0décembre\u00a02019.'
			]
		]);
	});

	// Review s58: « n’est pas une date valide (jj/mm/aaaa) », a format the date field never shows.
	it('says a date of arrest not read with the writing that is read', () => {
		expect(messages('2019', '31/12/2019')).toEqual([
			[
				'as_of',
				'La date d’arrêté des chiffres n’a pas pu être lue comme un jour du calendrier : choisissez-la dans le calendrier du champ ou, sans calendrier, écrivez l’année, le mois puis le jour (2026-12-07 pour le 7\u00a0décembre\u00a02026).'
			]
		]);
	});

	it('refuses a year before the plan, or one no edition could be about', () => {
		const refusal = [
			[
				'year',
				`L’année doit être comprise entre 2018 et ${parisYear()} : un bilan porte sur une année commencée.`
			]
		];
		expect(messages('2017', '')).toEqual(refusal);
		expect(messages('2101', '')).toEqual(refusal);
		expect(messages('2018', '')).toEqual([]);
	});

	it('refuses a year not begun, unless that year has a draft already', () => {
		const next = parisYear() + 1;
		expect(messages(String(next), '')).toEqual([['year', editionYearMessage(parisYear())]]);
		const withDraft = editionSchema(AXES, [next]).safeParse(form(String(next), ''));
		expect(withDraft.success).toBe(true);
	});

	it('gives one message for a badly written year, not a second one on the date', () => {
		expect(messages('20x9', '2025-12-31')).toEqual([
			['year', 'L’année s’écrit sur quatre chiffres (exemple : 2019).']
		]);
	});

	// Walkthrough s58: « 2025 » pasted with spaces around was refused as not four digits.
	it('reads a year typed or pasted with spaces around', () => {
		expect(messages(' 2019\u00a0', '')).toEqual([]);
		const parsed = EditionSchema.safeParse(form('\t2019 ', ''));
		expect(parsed.success && parsed.data.year).toBe(2019);
	});

	it('reads an empty date of arrest as the 31 December of the year', () => {
		expect(messages('2019', '')).toEqual([]);
		const parsed = EditionSchema.safeParse(form('2019', ' '));
		expect(parsed.success && parsed.data.as_of).toBe('2019-12-31');
	});

	it('offers a text for each axis of the plan, an axis added in the portal too, read by code', () => {
		const schema = editionSchema([...AXES, { code: 'ruralite', shortName: 'ruralité' }], []);
		const parsed = schema.safeParse({ ...form('2019', ''), text_ruralite: 'Le quatrième' });
		expect(parsed.success && parsed.data.axisTexts).toEqual({
			performance: '',
			solidarite: '',
			modernite: '',
			ruralite: 'Le quatrième'
		});
		const tooLong = schema.safeParse({ ...form('2019', ''), text_ruralite: 'x'.repeat(5_001) });
		expect(tooLong.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
			['text_ruralite', expect.stringMatching(/^Le texte de l’axe « ruralité » /)]
		]);
	});
});
