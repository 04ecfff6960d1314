import { seedCommissionHistory, seedEditions, seedPlan } from '../seed';
import { openDatabase, type Db } from './index';
import { migrateToLatest } from './migrate';

/** A private in-memory database, migrated like production; seeded with the plan unless told not to. */
export async function createTestDb({ seed = true } = {}): Promise<Db> {
	const db = openDatabase(':memory:');
	await migrateToLatest(db);
	if (seed) {
		await seedPlan(db, undefined, new Date('2026-01-31T10:00:00Z'));
		await seedCommissionHistory(db);
		await seedEditions(db);
	}
	return db;
}
