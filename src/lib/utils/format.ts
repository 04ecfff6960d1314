const dateFormat = new Intl.DateTimeFormat('fr-FR', {
	day: 'numeric',
	month: 'long',
	year: 'numeric',
	timeZone: 'UTC'
});
const formattedDates = new Map<string, string>();
const numberFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });

/** "2018-07-19" → "19 juillet 2018" (1er for the first day of the month). */
export function formatDate(isoDate: string): string {
	const known = formattedDates.get(isoDate);
	if (known !== undefined) return known;
	const date = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
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

export function pluralize(count: number, singular: string, plural: string): string {
	return `${formatNumber(count)} ${count > 1 ? plural : singular}`;
}
