import { describe, expect, it } from 'vitest';
import { isStale, STALE_AFTER_DAYS } from './rules';

describe('staleness rule (« aucune mise à jour depuis 6 mois »)', () => {
	it('counts six months as 182 days before the day of reference', () => {
		expect(STALE_AFTER_DAYS).toBe(182);
		// 2026-06-30 minus 182 days is 2025-12-30.
		expect(isStale('2025-12-30', '2026-06-30')).toBe(false);
		expect(isStale('2025-12-29', '2026-06-30')).toBe(true);
		expect(isStale('2026-06-30', '2026-06-30')).toBe(false);
	});

	it('holds a fiche never updated as stale', () => {
		expect(isStale(null, '2019-01-01')).toBe(true);
	});
});
