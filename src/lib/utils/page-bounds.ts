// How many of the latest values of each indicator a page shows (the open data has them all).
// Shared by the queries that fetch them and the sentences that tell the visitor.

/** On a fiche's page. */
export const FICHE_PAGE_MEASUREMENTS = 24;

/** On the dashboard and in the editions: a year of monthly values, three years of quarterly ones. */
export const INDICATOR_POINTS = 12;
