import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import process from 'node:process';
import SQLite from 'better-sqlite3';
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
 * A private copy (createTestDb) made the process's database, for a test that calls a route's own
 * code (which reads `getDb()`); the next one closes it, `closeDatabase` after the file's last test.
 */
export async function createTestInstance(options: { seed?: boolean } = {}): Promise<Db> {
	// Imported here: instance.ts loads the seed and most services, which createTestDb's users need not.
	const [db, { replaceDatabase }] = await Promise.all([
		createTestDb(options),
		import('./instance')
	]);
	replaceDatabase(db);
	return db;
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

/**
 * A scratch folder (`scratchDir`) holding a database migrated to the latest, `sdusn.db`, and a
 * backup of it named `backupName` (a copy by SQLite itself, as `db:backup` writes one).
 */
export async function migratedWithBackup(
	label: string,
	backupName = 'sauvegarde.db'
): Promise<{ dir: string; target: string; backup: string }> {
	const { migrateToLatest } = await import('./migrate');
	const dir = scratchDir(label);
	const target = join(dir, 'sdusn.db');
	const backup = join(dir, backupName);
	const db = openDatabase(target);
	try {
		await migrateToLatest(db);
		connectionOf(db).prepare('VACUUM INTO ?').run(backup);
	} finally {
		await db.destroy();
	}
	return { dir, target, backup };
}

/** Writes a backup of the database at `file` to `backup`, a copy by SQLite itself (`VACUUM INTO`). */
export function backUp(file: string, backup: string): void {
	const raw = new SQLite(file);
	try {
		raw.prepare('VACUUM INTO ?').run(backup);
	} finally {
		raw.close();
	}
}

/** The user a test acts as when it needs a refusal root would never get (nobody). */
const UNPRIVILEGED = 65534;
const runsAsRoot = process.getuid?.() === 0;

/** Gives files or folders to the unprivileged user when the tests run as root (else: nothing). */
export function handToUnprivileged(...paths: string[]): void {
	if (runsAsRoot) for (const path of paths) chownSync(path, UNPRIVILEGED, UNPRIVILEGED);
}

/**
 * Runs `code` (a TypeScript module; its arguments from `process.argv[2]`) in a new process of an
 * unprivileged user, and returns what it printed. Root ignores a folder's mode, so a test of what
 * the portal says when it may not read or write runs as root only this way (`setpriv`, as the
 * tests run on this project's machines); otherwise as the user who runs the tests. The module is
 * written in `dir`, which is opened (0755) to every user for it.
 */
export function runUnprivileged(dir: string, code: string, args: string[] = []): string {
	const root = resolve(import.meta.dirname, '../../../..');
	const script = join(dir, 'unprivileged.mts');
	writeFileSync(script, code);
	chmodSync(script, 0o644);
	chmodSync(dir, 0o755);
	const tsx = join(root, 'node_modules/.bin/tsx');
	const [command, ...prefix] = runsAsRoot
		? ['setpriv', `--reuid=${UNPRIVILEGED}`, `--regid=${UNPRIVILEGED}`, '--clear-groups', tsx]
		: [tsx];
	const run = spawnSync(command, [...prefix, script, ...args], { encoding: 'utf8', cwd: root });
	return (run.stdout + run.stderr).trim();
}
