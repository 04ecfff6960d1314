import { describe, expect, it } from 'vitest';
import { parseReminderDays } from './campaign';

describe('parseReminderDays', () => {
	it('reads days before and after the deadline, in order, once each', () => {
		expect(parseReminderDays('-14, -3, +1')).toEqual([-14, -3, 1]);
		expect(parseReminderDays('+1 ; −3 -14 -3')).toEqual([-14, -3, 1]);
	});

	it('refuses « 1,5 »: a French decimal, not the days 1 and 5', () => {
		expect(parseReminderDays('-14, 1,5')).toBeNull();
		expect(parseReminderDays('-14,-3')).toEqual([-14, -3]);
	});

	it('refuses days out of range, words and more than six reminders', () => {
		expect(parseReminderDays('-61')).toBeNull();
		expect(parseReminderDays('+31')).toBeNull();
		expect(parseReminderDays('demain')).toBeNull();
		expect(parseReminderDays('-7 -6 -5 -4 -3 -2 -1')).toBeNull();
	});
});
