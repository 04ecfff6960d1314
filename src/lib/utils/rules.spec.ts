import { describe, expect, it } from 'vitest';
import {
	DEVICE_LIFETIME_WORDS,
	INVITATION_LIFETIME_WORDS,
	isStale,
	MAX_DAYS_AHEAD,
	rankAgendaSuggestions,
	recentlyValidatedSince,
	SITTING_EARLY_WORDS,
	sittingMayOpen,
	sittingOpensAt,
	sittingPastPart,
	sittingStartIsPast,
	RESET_LIFETIME_WORDS,
	SESSION_IDLE_WORDS,
	SESSION_MAX_WORDS,
	STALE_AFTER_DAYS,
	STALE_AFTER_WORDS,
	staleWords
} from './rules';
import { portalSources } from './source-testing';
import { updateNumberWords } from './vocabulary';

const fiche = (lastUpdate: string | null, status = 'en_cours') => ({ status, lastUpdate });

describe('staleness rule (« aucune mise à jour depuis 6 mois »)', () => {
	it('counts six months as 182 days before the day of reference', () => {
		expect(STALE_AFTER_DAYS).toBe(182);
		// 2026-06-30 minus 182 days is 2025-12-30.
		expect(isStale(fiche('2025-12-30'), '2026-06-30')).toBe(false);
		expect(isStale(fiche('2025-12-29'), '2026-06-30')).toBe(true);
		expect(isStale(fiche('2026-06-30'), '2026-06-30')).toBe(false);
	});

	it('holds a fiche never updated as stale, unless it was added to the plan less than six months ago', () => {
		expect(isStale(fiche(null), '2019-01-01')).toBe(true);
		const added = (addedAt: string) => ({ ...fiche(null), addedAt });
		// Added on 4 December 2026 in Paris (23:30 UTC on the 3rd is 00:30 on the 4th there).
		expect(isStale(added('2026-12-03T23:30:00.000Z'), '2026-12-04')).toBe(false);
		expect(isStale(added('2026-12-03T23:30:00.000Z'), '2027-06-04')).toBe(false);
		expect(isStale(added('2026-12-03T23:30:00.000Z'), '2027-06-05')).toBe(true);
	});

	it('never holds an abandoned fiche as stale: nothing is asked of it', () => {
		expect(isStale(fiche(null, 'abandonnee'), '2026-06-30')).toBe(false);
		expect(isStale(fiche('2020-01-01', 'abandonnee'), '2026-06-30')).toBe(false);
	});
});

describe('agenda suggestions', () => {
	it('come with the most signals first, each signal counted once', () => {
		const flag = (
			code: string,
			stale: boolean,
			priorityOneNotStarted: boolean,
			neverMeasured: number
		) => ({
			code,
			stale,
			priorityOneNotStarted,
			neverMeasured
		});
		const ranked = rankAgendaSuggestions([
			flag('1-1', false, false, 0),
			flag('2-1', true, false, 3),
			flag('3-1', true, true, 1),
			flag('4-1', false, true, 0)
		]);
		expect(ranked.map((f) => [f.code, f.score])).toEqual([
			['3-1', 3],
			['2-1', 2],
			['4-1', 1],
			['1-1', 0]
		]);
	});
});

// Review h43: a séance of today whose hour had passed was still convened.
describe('a séance whose start is past (Paris)', () => {
	// 5 December 2026, 16:04 in Paris (UTC+1).
	const now = new Date('2026-12-05T15:04:00Z');
	it('is one of a day past, or of today whose hour has come', () => {
		expect(sittingStartIsPast({ heldOn: '2026-12-04', startsAt: '18:00' }, now)).toBe(true);
		expect(sittingStartIsPast({ heldOn: '2026-12-05', startsAt: '08:00' }, now)).toBe(true);
		expect(sittingStartIsPast({ heldOn: '2026-12-05', startsAt: '16:04' }, now)).toBe(true);
		expect(sittingStartIsPast({ heldOn: '2026-12-05', startsAt: '16:05' }, now)).toBe(false);
		// Today without an hour: its day has not passed.
		expect(sittingStartIsPast({ heldOn: '2026-12-05', startsAt: null }, now)).toBe(false);
		expect(sittingStartIsPast({ heldOn: '2026-12-06', startsAt: '08:00' }, now)).toBe(false);
		// Past midnight in Paris, still the 5th in UTC: the 5th is past.
		const night = new Date('2026-12-05T23:30:00Z');
		expect(sittingStartIsPast({ heldOn: '2026-12-05', startsAt: '23:59' }, night)).toBe(true);
		expect(sittingStartIsPast({ heldOn: '2026-12-06', startsAt: '00:15' }, night)).toBe(true);
		expect(sittingStartIsPast({ heldOn: '2026-12-06', startsAt: '00:45' }, night)).toBe(false);
	});
	// Review s44: the banner of a séance created today at an hour past said « un jour passé ».
	it('says whether its day or, today, its hour is past', () => {
		expect(sittingPastPart({ heldOn: '2026-12-04', startsAt: '18:00' }, now)).toBe('day');
		expect(sittingPastPart({ heldOn: '2026-12-04', startsAt: null }, now)).toBe('day');
		expect(sittingPastPart({ heldOn: '2026-12-05', startsAt: '08:00' }, now)).toBe('hour');
		expect(sittingPastPart({ heldOn: '2026-12-05', startsAt: '16:05' }, now)).toBeNull();
		expect(sittingPastPart({ heldOn: '2026-12-05', startsAt: null }, now)).toBeNull();
		expect(sittingPastPart({ heldOn: '2026-12-06', startsAt: '08:00' }, now)).toBeNull();
	});
});

describe('a séance opened (« tenue ») or closed', () => {
	// Walkthrough s49: convened for 23 h 30, opened and closed at 9 h 40, before the meeting.
	it('is so on its day, from an hour before its announced time', () => {
		expect(SITTING_EARLY_WORDS).toBe('1\u00a0heure');
		expect(sittingOpensAt('23:30')).toBe('22:30');
		expect(sittingOpensAt('09:05')).toBe('08:05');
		expect(sittingOpensAt('00:45')).toBeNull();
		expect(sittingOpensAt(null)).toBeNull();
		// 10 December 2026, 9 h 40 in Paris (UTC+1).
		const morning = new Date('2026-12-10T08:40:00Z');
		expect(sittingMayOpen({ heldOn: '2026-12-10', startsAt: '23:30' }, morning)).toBe(false);
		expect(sittingMayOpen({ heldOn: '2026-12-10', startsAt: '10:40' }, morning)).toBe(true);
		expect(sittingMayOpen({ heldOn: '2026-12-10', startsAt: '10:41' }, morning)).toBe(false);
		expect(sittingMayOpen({ heldOn: '2026-12-10', startsAt: null }, morning)).toBe(true);
		expect(sittingMayOpen({ heldOn: '2026-12-09', startsAt: '23:30' }, morning)).toBe(true);
		expect(sittingMayOpen({ heldOn: '2026-12-11', startsAt: null }, morning)).toBe(false);
	});
});

/**
 * The lines of what the portal writes (comments aside) that type `words` (« 30 minutes ») by hand,
 * with a plain or a no-break space, instead of taking them from the rule's constant.
 */
function typedByHand(words: string, flags = ''): string[] {
	const pattern = new RegExp(`(?<![\\d,])${words.replace('\u00a0', '[ \\u00a0]')}\\b`, `u${flags}`);
	return portalSources('src').flatMap(({ path, text }) =>
		text
			.split('\n')
			.flatMap((line, i) =>
				!/^\s*(?:\/\/|\/?\*)/.test(line) && pattern.test(line) ? [`${path}:${i + 1}`] : []
			)
	);
}

describe('the rules said in words', () => {
	it('says the staleness delay from the rule, never typed again in a page', () => {
		expect(STALE_AFTER_WORDS).toBe('6\u00a0mois');
		const typed = portalSources('src')
			.filter(({ path, text }) => path.endsWith('.svelte') && /\b(?:6|six) mois\b/.test(text))
			.map(({ path }) => path);
		expect(typed).toEqual([]);
	});

	// Issue #14: « valable 30 minutes » was typed in seven places beside RESET_LIFETIME_MS.
	it('says a reset link’s life from RESET_LIFETIME_MS, never typed again', () => {
		expect(RESET_LIFETIME_WORDS).toBe('30\u00a0minutes');
		expect(typedByHand(RESET_LIFETIME_WORDS)).toEqual([]);
	});

	// Issue #14: /donnees-personnelles wrote « 30 jours … 90 jours » beside the session's constants.
	it('says a session’s life from SESSION_IDLE_MS and SESSION_MAX_MS, never typed again', () => {
		expect([SESSION_IDLE_WORDS, SESSION_MAX_WORDS]).toEqual(['30\u00a0jours', '90\u00a0jours']);
		expect([SESSION_IDLE_WORDS, SESSION_MAX_WORDS].flatMap((words) => typedByHand(words))).toEqual(
			[]
		);
	});

	// Issue #14: « valable 7 jours » was typed in seven places beside INVITATION_LIFETIME_MS.
	it('says an invitation’s life from INVITATION_LIFETIME_MS, never typed again', () => {
		expect(INVITATION_LIFETIME_WORDS).toBe('7\u00a0jours');
		expect(typedByHand(INVITATION_LIFETIME_WORDS)).toEqual([]);
	});

	// Issue #14: /donnees-personnelles wrote « un an » beside the device cookie's lifetime.
	it('says the device cookie’s life from DEVICE_LIFETIME_MS, never typed again', () => {
		expect(DEVICE_LIFETIME_WORDS).toBe('1\u00a0an');
		const typed = portalSources('src/routes')
			.filter(({ text }) => /\(un an\)/.test(text))
			.map(({ path }) => path);
		expect(typed).toEqual([]);
	});

	it('has one limit of a year ahead, for a séance’s day and a campaign’s deadline', () => {
		expect(MAX_DAYS_AHEAD).toBe(366);
		const again = portalSources('src/lib/server')
			.filter(({ text }) => /\b366\b/.test(text))
			.map(({ path }) => path);
		expect(again).toEqual([]);
	});
});

describe('an update’s place in its fiche’s order', () => {
	// Review h46: /admin/suivis/[id] wrote « day, then id » again beside updateRank.
	it('is compared by updateRank alone, not day then id written again', () => {
		const byHand = /reportedOn\s*===\s*[\w.]+\.reportedOn\s*&&\s*[\w.]+\.id\s*[<>]/g;
		const found = portalSources('src').flatMap(({ path, text }) =>
			[...text.replace(/\s+/g, ' ').matchAll(byHand)].map((m) => `${path}: ${m[0]}`)
		);
		expect(found).toEqual([]);
	});
});

describe('« Validées récemment » (/espace)', () => {
	it('starts at midnight in Paris on the first of the 30 days that end today', () => {
		// 16 June 2026 to 15 July 2026: summer time, two hours ahead of UTC.
		expect(recentlyValidatedSince('2026-07-15')).toBe('2026-06-15T22:00:00.000Z');
		// 2 to 31 December 2026: winter time, one hour ahead.
		expect(recentlyValidatedSince('2026-12-31')).toBe('2026-12-01T23:00:00.000Z');
	});
});

// A walkthrough of December 2026: /espace said « Aucune mise à jour depuis 6 mois » beside « Dernière mise à
// jour : jamais », the commission's file « …(jamais mise à jour) ».
describe('staleWords', () => {
	it('says a fiche never updated so, and one updated long ago since how long', () => {
		expect(staleWords(null)).toBe('Jamais mise à jour');
		expect(staleWords('2025-01-10')).toBe('Aucune mise à jour depuis 6\u00a0mois');
	});

	// Issue #14: the agenda's proposal still typed « jamais mise à jour » among a fiche's signals.
	it('is the only place that types « Jamais mise à jour », in any case', () => {
		expect(
			typedByHand('jamais mise à jour', 'i').filter(
				(at) => !at.startsWith('src/lib/utils/rules.ts:')
			)
		).toEqual([]);
	});
});

// ReplacedValues.svelte wrote « mise à jour n° 12 » itself, beside updateNumberWords.
describe('an update named by its number', () => {
	it('is said by updateNumberWords alone', () => {
		expect(updateNumberWords(12)).toBe('mise à jour n°\u00a012');
		expect(
			typedByHand('mise à jour n(?=°)', 'i').filter(
				(at) => !at.startsWith('src/lib/utils/vocabulary.ts:')
			)
		).toEqual([]);
	});
});
