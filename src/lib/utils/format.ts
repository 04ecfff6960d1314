import { parisDate } from './dates';

const dateFormat = new Intl.DateTimeFormat('fr-FR', {
	day: 'numeric',
	month: 'long',
	year: 'numeric',
	timeZone: 'UTC'
});
const formattedDates = new Map<string, string>();
const numberFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });

/**
 * "2018-07-19" → "19 juillet 2018" (1er for the first day of the month). A full timestamp
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
		: dateFormat.format(date).replace(/^1 /, '1er ');
	// Pages format the same days again and again (hundreds per edition): each is formatted once.
	if (formattedDates.size >= 20_000) formattedDates.clear();
	formattedDates.set(isoDate, text);
	return text;
}

export function formatNumber(value: number): string {
	return numberFormat.format(value);
}

export function formatPercent(value: number | null): string {
	return value === null ? 'non évalué' : `${numberFormat.format(value)} %`;
}

const pluralRules = new Intl.PluralRules('fr-FR');

/**
 * The French form for a count, by the language's rule (Intl.PluralRules): singular for 0 and 1
 * (and 1,5), plural from 2 on. `plural(n, 'a été fermée', 'ont été fermées')`.
 */
export function plural(count: number, singular: string, pluralForm: string): string {
	return pluralRules.select(count) === 'one' ? singular : pluralForm;
}

/** A count and its noun: « 1 fiche évaluée », « 4 fiches évaluées », « 0 point ». */
export function pluralize(count: number, singular: string, pluralForm: string): string {
	return `${formatNumber(count)} ${plural(count, singular, pluralForm)}`;
}
