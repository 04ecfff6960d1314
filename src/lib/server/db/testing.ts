import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject, onTestFinished } from 'vitest';
import { connectionOf, openDatabase, openDatabaseCopy, type Db } from './index';

declare module 'vitest' {
	export interface ProvidedContext {
		/** Files holding the images built once per run by testing.global-setup.ts. */
		seededTestDb: string;
		emptyTestDb: string;
	}
}

/** Builds a private in-memory database, migrated like production and seeded unless told not to. */
async function buildTestDb({ seed = true } = {}): Promise<Db> {
	// Imported here, not at the top: a test file that gets the images from the run's global setup
	// never migrates nor seeds, and would load the seed's modules (most of the services) for nothing.
	const [{ migrateToLatest }, { seedCommissionHistory, seedEditions, seedPlan }] =
		await Promise.all([import('./migrate'), import('../seed')]);
	const db = openDatabase(':memory:');
	await migrateToLatest(db);
	if (seed) {
		await seedPlan(db);
		await seedCommissionHistory(db);
		await seedEditions(db);
	}
	return db;
}

/** The bytes of a built test database (`serialize()`), as the run's global setup keeps them. */
export async function testDbImage(options: { seed?: boolean } = {}): Promise<Buffer> {
	const db = await buildTestDb(options);
	const image = connectionOf(db).serialize();
	await db.destroy();
	return image;
}

const images = new Map<boolean, Promise<Buffer>>();

function image(seed: boolean): Promise<Buffer> {
	let known = images.get(seed);
	if (!known) {
		// Built once per run by testing.global-setup.ts; a test run without it builds its own.
		const file = inject(seed ? 'seededTestDb' : 'emptyTestDb');
		known = file ? Promise.resolve(readFileSync(file)) : testDbImage({ seed });
		images.set(seed, known);
	}
	return known;
}

/**
 * A private in-memory database, migrated like production; seeded with the plan unless told not
 * to. Each call gets its own copy of one database built once per run: a test's writes are never
 * seen by another.
 */
export async function createTestDb({ seed = true } = {}): Promise<Db> {
	return openDatabaseCopy(await image(seed));
}

/**
 * A new folder under the system's temporary one (`sdusn-<label>-XXXXXX`), removed with all it
 * holds when the test that asked for it ends, passed or failed: a run leaves nothing behind.
 */
export function scratchDir(label: string): string {
	const dir = mkdtempSync(join(tmpdir(), `sdusn-${label}-`));
	// Retried: a server a timed-out test had started may still be writing in it for a moment.
	onTestFinished(() => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }));
	return dir;
}
