/**
 * The portal's calendar is Lot's: every "today", "this year" and every date shown for a moment
 * (a timestamp stored in UTC) is taken in Europe/Paris, never in the server's or UTC's day.
 */
const PORTAL_TIME_ZONE = 'Europe/Paris';

const isoDay = new Intl.DateTimeFormat('en-CA', {
	timeZone: PORTAL_TIME_ZONE,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit'
});

/** The calendar day in Paris of a moment, as "YYYY-MM-DD". */
export function parisDate(moment: Date): string {
	const parts = Object.fromEntries(isoDay.formatToParts(moment).map((p) => [p.type, p.value]));
	return `${parts.year}-${parts.month}-${parts.day}`;
}

const isoClock = new Intl.DateTimeFormat('en-GB', {
	timeZone: PORTAL_TIME_ZONE,
	hour: '2-digit',
	minute: '2-digit',
	hourCycle: 'h23'
});

/** The time of day in Paris of a moment, as "HH:MM". */
export function parisClockTime(moment: Date): string {
	return isoClock.format(moment);
}

/** Today in Paris, "YYYY-MM-DD". */
export function parisToday(now = new Date()): string {
	return parisDate(now);
}

/** The current year in Paris. */
export function parisYear(now = new Date()): number {
	return Number(parisToday(now).slice(0, 4));
}

/** The calendar day `days` before a "YYYY-MM-DD" day (after it, if `days` is negative). */
export function daysBefore(day: string, days: number): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** The calendar day `days` after a "YYYY-MM-DD" day (before it, if `days` is negative). */
export function daysAfter(day: string, days: number): string {
	return daysBefore(day, -days);
}

/**
 * The moment a Paris day ends (the next day's midnight in Paris), as a UTC ISO timestamp: what
 * happened before it, stamped in UTC, happened by the end of that day in Lot.
 */
export function parisDayEnd(day: string): string {
	const next = daysAfter(day, 1);
	const midnightUtc = Date.parse(`${next}T00:00:00Z`);
	// Paris is one hour ahead of UTC in winter, two in summer (never changing at midnight).
	for (const hours of [2, 1]) {
		const moment = new Date(midnightUtc - hours * 3_600_000);
		if (parisDate(moment) === next) return moment.toISOString();
	}
	return new Date(midnightUtc).toISOString();
}
