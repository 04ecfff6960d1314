import { afterEach, describe, expect, it } from 'vitest';
import {
	dropPendingImport,
	findPendingImport,
	keepPendingImport as keepFor,
	MAX_PENDING,
	MAX_PENDING_PER_ACCOUNT,
	PENDING_IMPORT_LIFETIME_WORDS
} from './pending-imports';
import { readFileSync } from 'node:fs';

const HOUR = 60 * 60 * 1000;
const bytes = new Uint8Array([0x50, 0x4b]);
// Each test starts hours after the previous one (and after what other test files kept, on the real
// clock): what was kept before has expired. What these tests keep is dropped after each, so that
// the files run after them find the room they expect.
let clock = Date.now();
const later = () => (clock += 10 * HOUR);
const kept: string[] = [];
function keepPendingImport(userId: number, workbook: Uint8Array, now: number): string | null {
	const token = keepFor(userId, workbook, now);
	if (token) kept.push(token);
	return token;
}
afterEach(() => {
	for (const token of kept.splice(0)) dropPendingImport(token);
});

describe('workbooks waiting for their confirmation', () => {
	it('a colleague’s many previews do not push out another account’s pending import', () => {
		const now = later();
		const mine = keepPendingImport(1, bytes, now)!;
		// Sixty corrected versions of a colleague’s workbook within the half hour.
		for (let i = 0; i < 60; i++) keepPendingImport(2, bytes, now + i);
		expect(findPendingImport(mine, 1, now + 1000)).toEqual(bytes);
	});

	it('an account’s newest previews replace its own oldest, past its share', () => {
		const now = later();
		const tokens = Array.from({ length: MAX_PENDING_PER_ACCOUNT + 1 }, (_, i) =>
			keepPendingImport(3, bytes, now + i)!
		);
		expect(tokens.map((t) => findPendingImport(t, 3, now + 100) !== null)).toEqual([
			false,
			...Array(MAX_PENDING_PER_ACCOUNT).fill(true)
		]);
	});

	it('once the server holds as many as it keeps, a new one is refused, none evicted', () => {
		const now = later();
		const held = Array.from({ length: MAX_PENDING }, (_, i) =>
			keepPendingImport(100 + i, bytes, now)
		);
		expect(held.every((t) => t !== null)).toBe(true);
		expect(keepPendingImport(999, bytes, now + 1)).toBeNull();
		expect(held.every((t, i) => findPendingImport(t!, 100 + i, now + 2) !== null)).toBe(true);
		// Thirty minutes later they have expired: room again.
		expect(keepPendingImport(999, bytes, now + HOUR)).not.toBeNull();
	});
});

// Review h48 (maintainer): the import page wrote « plus de 30 minutes » beside TTL_MS.
describe('how long a workbook waits, in words', () => {
	it('is computed from the lifetime, and the import page says it so', () => {
		expect(PENDING_IMPORT_LIFETIME_WORDS).toBe('30\u00a0minutes');
		const route = readFileSync('src/routes/admin/plan/import/+page.server.ts', 'utf8');
		expect(route).toContain('${PENDING_IMPORT_LIFETIME_WORDS}');
		expect(route).not.toMatch(/\d+ minutes/);
	});
});
