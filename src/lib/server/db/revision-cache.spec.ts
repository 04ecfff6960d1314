import { expect, it } from 'vitest';
import { cachedByRevision } from './revision-cache';
import { createTestDb } from './testing';

it('computes once per revision of the published data', async () => {
	const db = await createTestDb();
	let computations = 0;
	const cached = cachedByRevision(async () => ++computations);
	expect(await cached(db)).toBe(1);
	expect(await cached(db)).toBe(1);
	await db.updateTable('fiche').set({ progress: 10 }).where('code', '=', '1-1').execute();
	expect(await cached(db)).toBe(2);
	expect(await cached(db)).toBe(2);
	await db.destroy();
});
