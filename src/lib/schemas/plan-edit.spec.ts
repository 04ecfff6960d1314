import { describe, expect, it } from 'vitest';
import { text } from './plan-edit';

describe('a text of the plan forms', () => {
	it('counts a line break once, as the browser’s CRLF or as stored (the import counts so)', () => {
		const five = text('Le texte', 5);
		expect(five.safeParse('ab\r\ncd')).toEqual({ success: true, data: 'ab\ncd' });
		expect(five.safeParse('ab\r\ncde').success).toBe(false);
		expect(five.safeParse('  ab  ').data).toBe('ab');
	});
});
