import { describe, expect, it } from 'vitest';
import { text } from './plan-edit';

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
});
