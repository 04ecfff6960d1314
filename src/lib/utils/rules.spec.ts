import { describe, expect, it } from 'vitest';
import { isStale, STALE_AFTER_DAYS } from './rules';

const fiche = (lastUpdate: string | null, status = 'en_cours') => ({ status, lastUpdate });

describe('staleness rule (« aucune mise à jour depuis 6 mois »)', () => {
	it('counts six months as 182 days before the day of reference', () => {
		expect(STALE_AFTER_DAYS).toBe(182);
		// 2026-06-30 minus 182 days is 2025-12-30.
		expect(isStale(fiche('2025-12-30'), '2026-06-30')).toBe(false);
		expect(isStale(fiche('2025-12-29'), '2026-06-30')).toBe(true);
		expect(isStale(fiche('2026-06-30'), '2026-06-30')).toBe(false);
	});

	it('holds a fiche never updated as stale', () => {
		expect(isStale(fiche(null), '2019-01-01')).toBe(true);
	});

	it('never holds an abandoned fiche as stale: nothing is asked of it', () => {
		expect(isStale(fiche(null, 'abandonnee'), '2026-06-30')).toBe(false);
		expect(isStale(fiche('2020-01-01', 'abandonnee'), '2026-06-30')).toBe(false);
	});
});
