import { describe, expect, it } from 'vitest';
import { NewFicheSchema, text } from './plan-edit';

describe('a text of the plan forms', () => {
	it('counts a line break once, as the browser’s CRLF or as stored (the import counts so)', () => {
		const five = text('Le texte', 5);
		expect(five.safeParse('ab\r\ncd')).toEqual({ success: true, data: 'ab\ncd' });
		expect(five.safeParse('ab\r\ncde').success).toBe(false);
		expect(five.safeParse('  ab  ').data).toBe('ab');
	});

	it('keeps a title or a name on one line, and names a plural field in the plural', () => {
		const title = text('Le titre', 300, { line: true });
		expect(title.safeParse('Un titre\r\nsur deux lignes').error?.issues[0]?.message).toBe(
			'Le titre tient sur une ligne : retirez ses retours à la ligne.'
		);
		expect(text('Le contexte', 300).safeParse('Deux\nparagraphes').success).toBe(true);
		expect(
			text('Les facteurs', 300, { plural: true }).safeParse('a\u0007').error?.issues[0]?.message
		).toBe('Les facteurs contiennent des caractères non autorisés.');
	});

	it('tells a row’s text without a subject: the summary names its row and field before it', () => {
		const rowText = text(null, 300, { line: true });
		const message = (value: string) => rowText.safeParse(value).error?.issues[0]?.message;
		expect(message('x'.repeat(301))).toBe('300 caractères au plus.');
		expect(message('Sud\u202Eouest')).toBe('Contient des caractères non autorisés : retirez-les.');
	});
});

describe('a fiche’s title', () => {
	const titleProblem = (title: string) =>
		NewFicheSchema.safeParse({ objective: '4', title, reason: 'Ajout voté.', decision: '' })
			.error?.issues.filter((issue) => issue.path[0] === 'title')
			.map((issue) => issue.message);

	it('is asked for when missing, and said too short when under 3 characters', () => {
		expect(titleProblem('  ')).toEqual(['Indiquez le titre de la fiche.']);
		expect(titleProblem('Wi')).toEqual(['Le titre de la fiche compte au moins 3 caractères.']);
		expect(titleProblem('Wifi')).toBeUndefined();
	});
});
