import { describe, expect, it } from 'vitest';
import { daysAfter, daysBefore, parisDate, parisDayEnd, parisToday, parisYear } from './dates';
import { formatDate } from './format';

describe('Paris dates', () => {
	it('takes today in Paris: at 0:30 in Paris it is already the next day (UTC is still the day before)', () => {
		// 23:30 UTC on 30 November = 0:30 on 1 December in Paris (winter, UTC+1).
		const lateUtc = new Date('2026-11-30T23:30:00Z');
		expect(lateUtc.toISOString().slice(0, 10)).toBe('2026-11-30');
		expect(parisToday(lateUtc)).toBe('2026-12-01');
		// Summer time (UTC+2): 22:30 UTC is 0:30 the next day.
		expect(parisToday(new Date('2026-06-14T22:30:00Z'))).toBe('2026-06-15');
		expect(parisToday(new Date('2026-06-14T21:30:00Z'))).toBe('2026-06-14');
	});

	it('takes the year in Paris on New Year’s night', () => {
		expect(parisYear(new Date('2026-12-31T23:15:00Z'))).toBe(2027);
		expect(parisDate(new Date('2026-12-31T22:59:00Z'))).toBe('2026-12-31');
	});

	it('shifts calendar days across months and years', () => {
		expect(daysBefore('2026-03-01', 1)).toBe('2026-02-28');
		expect(daysBefore('2026-01-01', 182)).toBe('2025-07-03');
		// Each name says its direction: a positive count goes the way it reads.
		expect(daysAfter('2026-02-28', 1)).toBe('2026-03-01');
		expect(daysAfter('2025-07-03', 182)).toBe('2026-01-01');
		expect(daysAfter('2026-03-10', -7)).toBe('2026-03-03');
	});

	it('shows a stored moment on its Paris day, and a plain day as it is', () => {
		expect(formatDate('2026-11-30T23:30:00.000Z')).toBe('1er\u00a0décembre\u00a02026');
		expect(formatDate('2026-11-30')).toBe('30\u00a0novembre\u00a02026');
	});
});

describe('the end of a Paris day', () => {
	it('is the next midnight in Paris: 23:00 UTC in winter, 22:00 UTC in summer', () => {
		expect(parisDayEnd('2019-12-31')).toBe('2019-12-31T23:00:00.000Z');
		expect(parisDayEnd('2020-06-30')).toBe('2020-06-30T22:00:00.000Z');
		// The days the clocks change (at 2 or 3 in the night) end as their next day begins.
		expect(parisDayEnd('2026-03-28')).toBe('2026-03-28T23:00:00.000Z');
		expect(parisDayEnd('2026-03-29')).toBe('2026-03-29T22:00:00.000Z');
		expect(parisDayEnd('2026-10-25')).toBe('2026-10-25T23:00:00.000Z');
	});
});
