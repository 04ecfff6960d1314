// The portal's rules that more than one page applies: one home for each, so that a page and the
// sentence that explains it never disagree.

import { shiftDay } from './dates';

/** A fiche is « sans mise à jour depuis 6 mois » after this many days without a validated update. */
export const STALE_AFTER_DAYS = 182;

/** No validated update for six months before `asOf` ("YYYY-MM-DD"), or none ever. */
export function isStale(lastUpdate: string | null, asOf: string): boolean {
	return lastUpdate === null || lastUpdate < shiftDay(asOf, STALE_AFTER_DAYS);
}

// Page bounds: how much of the history a page shows (the open data has it all), shared by the
// queries that fetch it and the sentences that tell the visitor.

/** The latest values of each indicator on a fiche's page. */
export const FICHE_PAGE_MEASUREMENTS = 24;

/** The latest validated updates on a fiche's page; older ones are listed by year. */
export const FICHE_PAGE_HISTORY = 12;

/** On the dashboard and in the editions: a year of monthly values, three years of quarterly ones. */
export const INDICATOR_POINTS = 12;

/** How many organisations the activity chart names; the others are counted together. */
export const NAMED_ORGANISATIONS = 10;
