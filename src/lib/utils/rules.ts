// The portal's rules that more than one page applies: one home for each, so that a page and the
// sentence that explains it never disagree.

import type { SittingFacts } from '../server/db/schema';
import { daysBefore, parisClockTime, parisDate, parisDayEnd, parisToday } from './dates';
import { formatDate, formatDuration, pluralize } from './format';
import { BASELINE_WORD } from './vocabulary';

/** A fiche is « sans mise à jour depuis 6 mois » after this many days without a validated update. */
export const STALE_AFTER_DAYS = 182;

/** STALE_AFTER_DAYS as the pages say it: « 6 mois » (a month being 30,4 days on average). */
export const STALE_AFTER_WORDS = pluralize(Math.round(STALE_AFTER_DAYS / 30.4), 'mois', 'mois');

/**
 * What a page says of a fiche that `isStale`: « Aucune mise à jour depuis 6 mois », and « Jamais
 * mise à jour » for one never updated (not « depuis 6 mois » beside « Dernière mise à jour :
 * jamais »). The one wording of /espace and of the commission's file of a fiche.
 */
export function staleWords(lastUpdate: string | null): string {
	return lastUpdate === null
		? 'Jamais mise à jour'
		: `Aucune mise à jour depuis ${STALE_AFTER_WORDS}`;
}

// How long the ways in last: the server holds to them (auth/), the pages and mails say them in
// words made from the same constants.
const MINUTE_MS = 60_000;

/** A « mot de passe oublié » link serves once, within this time of its request. */
export const RESET_LIFETIME_MS = 30 * MINUTE_MS;

/** RESET_LIFETIME_MS as the pages and mails say it: « 30 minutes ». */
export const RESET_LIFETIME_WORDS = formatDuration(RESET_LIFETIME_MS);

const DAY_MS = 24 * 60 * MINUTE_MS;

/** A session closes after this long without a visit (renewed while it is used)… */
export const SESSION_IDLE_MS = 30 * DAY_MS;

/** …and this long after its sign-in at the latest, whatever the activity. */
export const SESSION_MAX_MS = 90 * DAY_MS;

/** SESSION_IDLE_MS and SESSION_MAX_MS as /donnees-personnelles says them: « 30 jours », « 90 jours ». */
export const SESSION_IDLE_WORDS = formatDuration(SESSION_IDLE_MS);
export const SESSION_MAX_WORDS = formatDuration(SESSION_MAX_MS);

/** An invitation's link (or a new password's, sent by the team) serves once, within this time. */
export const INVITATION_LIFETIME_MS = 7 * DAY_MS;

/** INVITATION_LIFETIME_MS as the pages, mails and journal say it: « 7 jours ». */
export const INVITATION_LIFETIME_WORDS = formatDuration(INVITATION_LIFETIME_MS);

/** A browser signed in to an account is known to it this long (its device cookie, auth/device.ts). */
export const DEVICE_LIFETIME_MS = 365 * DAY_MS;

/** DEVICE_LIFETIME_MS as /donnees-personnelles says it: « 1 an ». */
export const DEVICE_LIFETIME_WORDS = formatDuration(DEVICE_LIFETIME_MS);

/** A mail relay down this long (a long weekend): the messages written before are given up. */
export const RELAY_GIVE_UP_MS = 3 * DAY_MS;

/** RELAY_GIVE_UP_MS as /admin/courriels says it: « 3 jours ». */
export const RELAY_GIVE_UP_WORDS = formatDuration(RELAY_GIVE_UP_MS);

/** /espace lists its organisation's updates validated in the last this many days (« Validées récemment »). */
export const RECENTLY_VALIDATED_DAYS = 30;

/**
 * Since when an update counts as « validée récemment » on `today` ("YYYY-MM-DD"): the start, in
 * Paris, of the first of the RECENTLY_VALIDATED_DAYS days that end with today (today and the 29
 * before it), as a UTC ISO timestamp.
 */
export function recentlyValidatedSince(today: string): string {
	return parisDayEnd(daysBefore(today, RECENTLY_VALIDATED_DAYS));
}

/**
 * How far ahead a séance or a campaign's deadline may be set, in days: « un an » to the person,
 * so that a year mistyped (2062 for 2026) does not file it decades away.
 */
export const MAX_DAYS_AHEAD = 366;

/** A fiche the plan abandoned: nothing is asked of it any more (update, measurement). */
export function asksNothingOf(fiche: { status: string }): boolean {
	return fiche.status === 'abandonnee';
}

/**
 * No validated update for six months before `asOf` ("YYYY-MM-DD"), or none ever since the fiche
 * was added to the plan (`addedAt`, a UTC timestamp; null for the plan's first fiches) — never
 * said of a fiche of which nothing is asked, nor of one added less than six months ago.
 */
export function isStale(
	fiche: { status: string; lastUpdate: string | null; addedAt?: string | null },
	asOf: string
): boolean {
	if (asksNothingOf(fiche)) return false;
	const since = fiche.lastUpdate ?? (fiche.addedAt ? parisDate(new Date(fiche.addedAt)) : null);
	return since === null || since < daysBefore(asOf, STALE_AFTER_DAYS);
}

/**
 * A validated update's place in its fiche's order — its day, then its id — as text that sorts so
 * (the repositories compute the same in SQL: `printf('%s|%012d', reported_on, id)`).
 */
export const updateRank = (update: { reportedOn: string; id: number }): string =>
	`${update.reportedOn}|${String(update.id).padStart(12, '0')}`;

/**
 * The updates of a list that share their fiche and day with another one of it: each is said with
 * its number (`updateNumberWords`), or their lines and links read the same (WCAG 2.4.4) —
 * « Validées récemment » on /espace, the history of a fiche's public page (one fiche: no code).
 */
export function sameDayUpdates(
	updates: readonly { id: number; reportedOn: string; ficheCode?: string }[]
): Set<number> {
	const key = (u: (typeof updates)[number]) => `${u.ficheCode ?? ''}|${u.reportedOn}`;
	const count = new Map<string, number>();
	for (const u of updates) count.set(key(u), (count.get(key(u)) ?? 0) + 1);
	return new Set(updates.filter((u) => count.get(key(u))! > 1).map((u) => u.id));
}

/**
 * Whether the fiche's latest status, « à lancer », was stated after the update its advancement
 * comes from: nothing has begun, so it publishes no advancement (never « à lancer » at 10 %).
 */
export function restartedAfterAdvancement(
	status: string | null | undefined,
	statusRank: string | null | undefined,
	progressRank: string | null | undefined
): boolean {
	return status === 'a_lancer' && !!statusRank && !!progressRank && statusRank > progressRank;
}

// Page bounds: how much of the history a page shows (the open data has it all), shared by the
// queries that fetch it and the sentences that tell the visitor.

/** The latest values of each indicator on a fiche's page. */
export const FICHE_PAGE_MEASUREMENTS = 24;

/** The latest validated updates on a fiche's page; older ones are listed by year. */
export const FICHE_PAGE_HISTORY = 12;

/** On the dashboard and in the editions: a year of monthly values, three years of quarterly ones. */
export const INDICATOR_POINTS = 12;

/** The latest events of the plan's history on the home page; `/historique` lists them all. */
export const HOME_PAGE_EVENTS = 10;

/** The decisions a relevé's mail lists; the others are counted, the relevé has them all. */
export const RELEVE_MAIL_DECISIONS = 20;

/** How much of a decision's text the relevé's mail quotes (then « … »): the relevé has it whole. */
export const RELEVE_MAIL_DECISION_TEXT = 200;

/** How many organisations the activity chart names; the others are counted together. */
export const NAMED_ORGANISATIONS = 10;

/** The years an indicator's target and baseline may be dated: a baseline measured before the plan, a target after it. */
const INDICATOR_DATE_YEARS = { first: 2000, last: 2100 } as const;

/**
 * What is wrong with an indicator's dates ("YYYY-MM-DD", already valid), by part: a year out of
 * INDICATOR_DATE_YEARS (1900 typed for 2019), or a baseline dated on or after its target.
 */
export function indicatorDateProblems(
	targetDate: string | null,
	baselineDate: string | null,
	/** What the message calls the baseline. */
	baselineName = BASELINE_WORD
): { target?: string; baseline?: string } {
	const problems: { target?: string; baseline?: string } = {};
	const { first, last } = INDICATOR_DATE_YEARS;
	const outOfRange = (date: string) => date < `${first}-01-01` || date > `${last}-12-31`;
	const rangeMessage = `Cette date doit tomber entre le ${formatDate(`${first}-01-01`)} et le ${formatDate(`${last}-12-31`)}.`;
	if (targetDate && outOfRange(targetDate)) problems.target = rangeMessage;
	if (baselineDate && outOfRange(baselineDate)) problems.baseline = rangeMessage;
	else if (baselineDate && targetDate && !problems.target && baselineDate >= targetDate)
		problems.baseline = `La ${baselineName} doit être datée avant la cible.`;
	return problems;
}

/**
 * The fiches suggested for a séance's agenda, those with the most signals first: without an
 * update for six months, priority 1 not started, an indicator never measured (the séance page
 * explains the same three).
 */
export function rankAgendaSuggestions<
	F extends { stale: boolean; priorityOneNotStarted: boolean; neverMeasured: number }
>(flags: F[]): (F & { score: number })[] {
	return flags
		.map((f) => ({
			...f,
			score: Number(f.stale) + Number(f.priorityOneNotStarted) + Number(f.neverMeasured > 0)
		}))
		.sort((a, b) => b.score - a.score);
}

/**
 * What of a séance's start is past (Paris): its day (`'day'`), or, today, its hour when given
 * (`'hour'`); null when it is still to come. Such a séance is no longer convened: the convocation
 * would call people to a moment gone. Its pages say which one is past.
 */
export function sittingPastPart(
	sitting: { heldOn: string; startsAt: string | null },
	now = new Date()
): 'day' | 'hour' | null {
	const today = parisToday(now);
	if (sitting.heldOn !== today) return sitting.heldOn < today ? 'day' : null;
	return sitting.startsAt !== null && sitting.startsAt <= parisClockTime(now) ? 'hour' : null;
}

/**
 * How long before its announced time a séance may be opened (« tenue ») and closed: the
 * commission may start a little early, not hours before the members it convened have come.
 */
const SITTING_EARLY_MS = 60 * MINUTE_MS;
/** SITTING_EARLY_MS in words (« 1 heure »). */
export const SITTING_EARLY_WORDS = formatDuration(SITTING_EARLY_MS);

/**
 * From when (Paris, "HH:MM" on its day) a séance announced at `startsAt` may be held and closed:
 * SITTING_EARLY_MS before; null: from the start of its day (no time given, or one so early).
 */
export function sittingOpensAt(startsAt: string | null): string | null {
	if (startsAt === null) return null;
	const [hours, minutes] = startsAt.split(':').map(Number);
	const from = hours! * 60 + minutes! - SITTING_EARLY_MS / MINUTE_MS;
	if (from <= 0) return null;
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${pad(Math.floor(from / 60))}:${pad(from % 60)}`;
}

/** Whether a séance may be held, or closed, at `now`: on or after its day, and sittingOpensAt. */
export function sittingMayOpen(
	sitting: Pick<SittingFacts, 'heldOn' | 'startsAt'>,
	now = new Date()
): boolean {
	const today = parisToday(now);
	if (today !== sitting.heldOn) return today > sitting.heldOn;
	const from = sittingOpensAt(sitting.startsAt);
	return from === null || parisClockTime(now) >= from;
}

/** Whether a séance's start is past (Paris): its day, or today its hour (`sittingPastPart`). */
export function sittingStartIsPast(
	sitting: Pick<SittingFacts, 'heldOn' | 'startsAt'>,
	now = new Date()
): boolean {
	return sittingPastPart(sitting, now) !== null;
}
