import type { SittingFacts } from '../server/db/schema';
import { parisDate } from './dates';
import { plural } from './plural.js';

const dateFormat = new Intl.DateTimeFormat('fr-FR', {
	day: 'numeric',
	month: 'long',
	year: 'numeric',
	timeZone: 'UTC'
});
const formattedDates = new Map<string, string>();
const numberFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });

/**
 * "2018-07-19" → "19 juillet 2018" (1er for the first day of the month), its three parts joined
 * by no-break spaces so that a line never splits a date. A full timestamp
 * ("2026-11-30T23:30:00.000Z") is shown on its day in Paris (here 1er décembre 2026).
 */
export function formatDate(isoDate: string): string {
	const known = formattedDates.get(isoDate);
	if (known !== undefined) return known;
	const moment = isoDate.length > 10 ? new Date(isoDate) : null;
	const day = moment && !Number.isNaN(moment.getTime()) ? parisDate(moment) : isoDate.slice(0, 10);
	const date = new Date(`${day}T00:00:00Z`);
	const text = Number.isNaN(date.getTime())
		? isoDate
		: dateFormat.format(date).replace(/^1 /, '1er ').replaceAll(' ', '\u00a0');
	// Pages format the same days again and again (hundreds per edition): each is formatted once.
	if (formattedDates.size >= 20_000) formattedDates.clear();
	formattedDates.set(isoDate, text);
	return text;
}

/**
 * A quarter as people read it, from its machine form « 2018-T3 » (kept in CSV files): « 3e
 * trimestre 2018 » in tables and sentences, « T3 2018 » under a chart's bars. Anything else is
 * given back as it is.
 */
export function formatQuarter(quarter: string, form: 'long' | 'short' = 'long'): string {
	const match = /^(\d{4})-T([1-4])$/.exec(quarter);
	if (!match) return quarter;
	const [, year, rank] = match;
	return form === 'short'
		? `T${rank}\u00a0${year}`
		: `${rank === '1' ? '1er' : `${rank}e`} trimestre ${year}`;
}

/** "31/12/2019" for "2019-12-31" (chart axes and labels, where a long date takes too much room). */
export function formatShortDate(isoDate: string): string {
	return `${isoDate.slice(8, 10)}/${isoDate.slice(5, 7)}/${isoDate.slice(0, 4)}`;
}

const dateTimeFormat = new Intl.DateTimeFormat('fr-FR', {
	dateStyle: 'short',
	timeStyle: 'medium',
	timeZone: 'Europe/Paris'
});

/** A moment to the second, in Paris: "30/11/2026 14:05:09" (an ISO text or milliseconds). */
export function formatDateTime(moment: string | number): string {
	return dateTimeFormat.format(new Date(moment));
}

const parisClock = new Intl.DateTimeFormat('fr-FR', {
	hour: '2-digit',
	minute: '2-digit',
	hourCycle: 'h23',
	timeZone: 'Europe/Paris'
});

/** A moment to the minute, in Paris, in words: « 2 mars 2026 à 10 h 30 » (ISO text or ms). */
export function formatMoment(moment: string | number): string {
	const date = new Date(moment);
	return `${formatMomentDay(date.getTime())} à ${formatClock(parisClock.format(date))}`;
}

const parisClockSeconds = new Intl.DateTimeFormat('fr-FR', {
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hourCycle: 'h23',
	timeZone: 'Europe/Paris'
});

/**
 * A moment to the second, in Paris, in words: « 2 mars 2026 à 10 h 30 min 05 s » (ISO text or ms),
 * where the minute is not enough to tell two moments apart.
 */
export function formatMomentToSecond(moment: string | number): string {
	const date = new Date(moment);
	const [hours, minutes, seconds] = parisClockSeconds.format(date).split(':');
	const clock = `${String(Number(hours))}\u00a0h\u00a0${minutes}\u00a0min\u00a0${seconds}\u00a0s`;
	return `${formatMomentDay(date.getTime())} à ${clock}`;
}

/** A time of day "14:30" the French way: « 14 h 30 », « 9 h » (no-break spaces). */
export function formatClock(hhmm: string): string {
	const [hours, minutes] = hhmm.split(':');
	const h = String(Number(hours));
	return minutes === '00' ? `${h}\u00a0h` : `${h}\u00a0h\u00a0${minutes}`;
}

/** A séance's day and time: « 20 novembre 2026 à 14 h 30 » (« séance du … »), or the day alone. */
export function formatSittingDay(sitting: Pick<SittingFacts, 'heldOn' | 'startsAt'>): string {
	const day = formatDate(sitting.heldOn);
	return sitting.startsAt ? `${day} à ${formatClock(sitting.startsAt)}` : day;
}

/** When a séance meets: « le 20 novembre 2026 à 14 h 30 », or the day alone when its time was not given. */
export function formatSittingMoment(sitting: Pick<SittingFacts, 'heldOn' | 'startsAt'>): string {
	return `le ${formatSittingDay(sitting)}`;
}

/** The day of a moment in milliseconds, in Paris: "1er décembre 2026". */
export function formatMomentDay(ms: number): string {
	return formatDate(new Date(ms).toISOString());
}

const formattedNumbers = new Map<number, string>();

/** French style: "1 234,5" (a narrow no-break space between thousands, a comma), two decimals at most. */
export function formatNumber(value: number): string {
	// Tables and charts show the same values again and again: each is formatted once (Intl is slow).
	const known = formattedNumbers.get(value);
	if (known !== undefined) return known;
	const text = numberFormat.format(value);
	if (formattedNumbers.size >= 20_000) formattedNumbers.clear();
	formattedNumbers.set(value, text);
	return text;
}

/** French typography puts a narrow no-break space (U+202F) between a number and « % ». */
const PERCENT = '\u202f%';

/** "42,5 %" (narrow no-break space); `missing` when there is no value. */
export function formatPercent(value: number | null, missing = 'non évalué'): string {
	return value === null ? missing : `${formatNumber(value)}${PERCENT}`;
}

const euroFormat = new Intl.NumberFormat('fr-FR', {
	minimumFractionDigits: 2,
	maximumFractionDigits: 20
});

/**
 * An amount in euros as stored, cents always written: "1 500,00 €", "1 200,50 €" (and any decimal
 * beyond them: "3,125 €"), a no-break space before €. A whole amount read « 7 € » beside
 * « 1 234,50 € » in the same list.
 */
export function formatEuros(value: number): string {
	return `${euroFormat.format(value)}\u00a0€`;
}

const exactNumberFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 20 });

/**
 * A measured value and its unit as stored, every decimal kept, a no-break space between them:
 * "1 234 heures", "3,125 km", "12" when the indicator has no unit.
 */
export function formatQuantity(value: number, unit: string | null | undefined): string {
	return unit ? `${formatExactNumber(value)}\u00a0${unit}` : formatExactNumber(value);
}

/** Every decimal kept, French style: "1 200,125" (where rounding would hide a change). */
export function formatExactNumber(value: number): string {
	return exactNumberFormat.format(value);
}

const scientificFormat = new Intl.NumberFormat('fr-FR', {
	notation: 'scientific',
	maximumFractionDigits: 14
});
const SUPERSCRIPT: Record<string, string> = Object.fromEntries(
	[...'-0123456789'].map((c, i) => [c, '⁻⁰¹²³⁴⁵⁶⁷⁸⁹'[i]!])
);

/**
 * A number too large or too small to write out, French style: « 1,5 × 10³⁰⁰ », « 2 × 10⁻³⁰ »
 * (not « 1.5e+300 »).
 */
export function formatScientific(value: number): string {
	const [mantissa, exponent = '0'] = scientificFormat.format(value).split('E');
	return `${mantissa}\u00a0×\u00a010${[...exponent].map((c) => SUPERSCRIPT[c] ?? c).join('')}`;
}

/**
 * A number as a form field shows it for editing: every decimal kept, a decimal comma ("2,75").
 * Three decimals after one to three digits get a fourth, zero: « 12,125 » reads two ways once
 * typed (« 1,000 » pasted from English is a thousand) and would be refused when saved again;
 * « 12,1250 » reads one way.
 */
export function formatNumberInput(value: number): string {
	const text = String(value).replace('.', ',');
	return /^-?[1-9]\d{0,2},\d{3}$/.test(text) ? `${text}0` : text;
}

/**
 * A file size in the units French uses, decimal ones (1 Ko = 1 000 octets, 1 Mo = 1 000 000, the
 * SI's kilo and méga; Kio and Mio are the binary ones): "512 octets", "25,9 Ko", "8,3 Mo" for
 * 8 279 282 octets (a no-break space before the unit). A size that rounds to 1 000 Ko is 1 Mo.
 */
export function formatBytes(bytes: number): string {
	if (bytes < 1000) return `${formatNumber(bytes)}\u00a0octets`;
	const kilo = Math.round(bytes / 100) / 10;
	if (kilo < 1000) return `${formatNumber(kilo)}\u00a0Ko`;
	return `${formatNumber(Math.round(bytes / 100_000) / 10)}\u00a0Mo`;
}

export { plural };

/**
 * A count and its noun: « 1 fiche évaluée », « 4 fiches évaluées », « 0 point », joined by a
 * no-break space so that a line never ends on the number.
 */
export function pluralize(count: number, singular: string, pluralForm: string): string {
	return `${formatNumber(count)}\u00a0${plural(count, singular, pluralForm)}`;
}

/** A French list: « 7-1, 7-2 et 7-3 », « a et b », « a », « » for none. */
export function listInWords(items: readonly string[]): string {
	return items.length < 2
		? (items[0] ?? '')
		: `${items.slice(0, -1).join(', ')} et ${items.at(-1)}`;
}

const DURATION_UNITS = [
	[365 * 86_400_000, 'an', 'ans'],
	[86_400_000, 'jour', 'jours'],
	[3_600_000, 'heure', 'heures'],
	[60_000, 'minute', 'minutes'],
	[1000, 'seconde', 'secondes']
] as const;

/**
 * A set length of time (a link's or a session's life, a limit) in French, in the largest unit that
 * counts it whole: « 30 minutes », « 7 jours », « 1 an », « 90 secondes » (a no-break space, as
 * frenchSpacing puts between a number and its word). The words beside a constant come from it, so
 * that a page never says another length than the rule's.
 */
export function formatDuration(ms: number): string {
	const [size, one, many] =
		DURATION_UNITS.find(([size]) => ms >= size && ms % size === 0) ?? DURATION_UNITS[4];
	return pluralize(ms / size, one, many);
}

/** How long to wait, in French: « 45 secondes », « 2 minutes » (rounded up, a no-break space). */
export function formatWait(ms: number): string {
	const seconds = Math.ceil(ms / 1000);
	if (seconds < 60) return pluralize(seconds, 'seconde', 'secondes');
	return pluralize(Math.ceil(seconds / 60), 'minute', 'minutes');
}

/**
 * A reminder's day against the campaign's deadline, as the campaign page and the journal write it:
 * « J-14 », « J+3 ».
 */
export function formatReminderOffset(days: number): string {
	return days > 0 ? `J+${days}` : `J${days}`;
}

/**
 * A reminder written, on its campaign's page and follow-up: « J-3 », and the deadline it announced
 * when that one has changed since: « J-3 (échéance du 1 avril 2026) ».
 */
export function formatSentReminder(
	reminder: { offset: number; deadline: string },
	currentDeadline: string
): string {
	const offset = formatReminderOffset(reminder.offset);
	return reminder.deadline === currentDeadline
		? offset
		: `${offset} (échéance du ${formatDate(reminder.deadline)})`;
}

/** « Échéance reportée du 1 avril 2026 au 15 avril 2026 » (or « avancée », or the same kept). */
export function deadlineChangeWords(before: string, after: string): string {
	if (before === after) return `Échéance inchangée (le ${formatDate(after)})`;
	return `Échéance ${after > before ? 'reportée' : 'avancée'} du ${formatDate(before)} au ${formatDate(after)}`;
}

/** A campaign's reminders on its page: « rappels à J-14, J-3, J+1 », « rappel à J+1 », « aucun rappel ». */
export function reminderSchedule(days: number[]): string {
	if (days.length === 0) return 'aucun rappel';
	return `${plural(days.length, 'rappel', 'rappels')} à ${days.map(formatReminderOffset).join(', ')}`;
}
