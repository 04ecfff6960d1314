import { describe, expect, it } from 'vitest';
import { textField } from './form';

describe('textField', () => {
	it('trims, requires and bounds a text, with French messages', () => {
		const place = textField('Le lieu', 10);
		expect(place.parse('  Cahors ')).toBe('Cahors');
		expect(place.safeParse('   ').error?.issues[0]?.message).toBe('Le lieu est obligatoire.');
		expect(place.safeParse('x'.repeat(11)).error?.issues[0]?.message).toBe(
			'Le lieu : 10 caractères au plus (11 saisis, 1 de trop).'
		);
		// How many were typed, and how many to cut, with French spacing.
		expect(
			textField('Le texte', 10_000).safeParse('x'.repeat(10_412)).error?.issues[0]?.message
		).toBe('Le texte : 10\u202f000 caractères au plus (10\u202f412 saisis, 412 de trop).');
		// An emoji is one character to the person typing it (two UTF-16 units).
		expect(place.parse('🎉'.repeat(10))).toBe('🎉'.repeat(10));
		expect(place.safeParse('🎉'.repeat(11)).error?.issues[0]?.message).toBe(
			'Le lieu : 10 caractères au plus (11 saisis, 1 de trop).'
		);
		// A browser sends each line break as CRLF: counted once, as stored.
		const ten = textField('Le texte', 10);
		expect(ten.parse('abc\r\nefgh\r\n.')).toBe('abc\nefgh\n.');
		expect(ten.safeParse('abc\r\nefgh\r\n..').error?.issues[0]?.message).toBe(
			'Le texte : 10 caractères au plus (11 saisis, 1 de trop).'
		);
	});

	it('refuses control characters and makes line ends "\\n"', () => {
		const text = textField('Le texte', 100, { required: false });
		expect(text.safeParse('a\u0000b').error?.issues[0]?.message).toBe(
			'Le texte contient un caractère non autorisé : U+0000 (caractère nul), 2e caractère.'
		);
		// Invisible characters that reverse the text after them (« 0001 » read « 1000 »), each
		// named with its place, as a person counts characters (an emoji is one).
		for (const [reversing, name] of [
			['\u202E', 'U+202E (inversion de sens)'],
			['\u202B', 'U+202B (enchâssement de droite à gauche)'],
			['\u2066', 'U+2066 (isolement de gauche à droite)'],
			['\u2069', 'U+2069 (fin d’isolement)']
		])
			expect(text.safeParse(`Formés ${reversing}0001 agents`).error?.issues[0]?.message).toBe(
				`Le texte contient un caractère non autorisé : ${name}, 8e caractère.`
			);
		expect(text.safeParse('\u202E🙂 a\u0007b\u2069').error?.issues[0]?.message).toBe(
			'Le texte contient un caractère non autorisé : U+202E (inversion de sens), 1er caractère, et 2\u00a0autres.'
		);
		expect(text.safeParse('🙂🙂 a\u001fb\u2069').error?.issues[0]?.message).toBe(
			'Le texte contient un caractère non autorisé : U+001F (caractère de contrôle), 5e caractère, et 1\u00a0autre.'
		);
		expect(text.parse('Adresse\u00a0: « Cahors » \u200e')).toBe('Adresse\u00a0: « Cahors » \u200e');
		expect(text.parse('un\r\ndeux\rtrois')).toBe('un\ndeux\ntrois');
		expect(text.parse('')).toBe('');
		const plural = textField('Les difficultés', 100, { plural: true });
		expect(plural.safeParse('a\u0007').error?.issues[0]?.message).toBe(
			'Les difficultés contiennent un caractère non autorisé : U+0007 (caractère de contrôle), 2e caractère.'
		);
		expect(plural.safeParse(' ').error?.issues[0]?.message).toBe(
			'Les difficultés sont obligatoires.'
		);
		// A title or a name: one line (it heads pages, mail subjects and CSV cells).
		const title = textField('L’intitulé', 100, { line: true });
		expect(title.safeParse('Commission\r\nextraordinaire').error?.issues[0]?.message).toBe(
			'L’intitulé tient sur une ligne : retirez ses retours à la ligne.'
		);
		// Nor Unicode's line and paragraph separators, which break the line where they are shown.
		for (const separator of ['\u2028', '\u2029'])
			expect(
				title.safeParse(`Commission${separator}extraordinaire`).error?.issues[0]?.message
			).toBe('L’intitulé tient sur une ligne : retirez ses retours à la ligne.');
		expect(title.parse('Commission extraordinaire')).toBe('Commission extraordinaire');
		// Nor a tab, which a long text may hold.
		expect(title.safeParse('Commission\textraordinaire').error?.issues[0]?.message).toBe(
			'L’intitulé contient un caractère non autorisé : U+0009 (tabulation), 11e caractère.'
		);
		expect(text.parse('un\tdeux')).toBe('un\tdeux');
	});

	it('keeps spaces when asked to (the progress form)', () => {
		expect(textField('Le texte', 100, { required: false, trim: false }).parse('  a  ')).toBe(
			'  a  '
		);
	});

	it('says what to write for a text missing or too short when the form does (`missing`, `short`)', () => {
		const reason = textField('La raison', 500, {
			min: 3,
			missing: 'Indiquez pourquoi.',
			short: 'Indiquez pourquoi (3 caractères au moins).'
		});
		const messages = (value: string) =>
			reason.safeParse(value).error?.issues.map((issue) => issue.message);
		expect(messages('  ')).toEqual(['Indiquez pourquoi.']);
		expect(messages('🙂🙂')).toEqual(['Indiquez pourquoi (3 caractères au moins).']);
		expect(messages('🙂🙂🙂')).toBeUndefined();
		expect(
			textField('Le nom', 100, { min: 2 })
				.safeParse('N')
				.error?.issues.map((issue) => issue.message)
		).toEqual(['Le nom compte au moins 2 caractères.']);
	});
});
