import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { connectionOf, databasePath, openDatabase } from './index';
import { closeDatabase, initDatabase } from './instance';
import { migrateToLatest } from './migrate';
import { scratchDir } from './testing';

describe('database', () => {
	// initDatabase opens the process's one database: none may be left open by another file.
	beforeEach(closeDatabase);

	it('reads DATABASE_PATH, with data/sdusn.db by default', () => {
		expect(databasePath({})).toBe('data/sdusn.db');
		expect(databasePath({ DATABASE_PATH: ' /srv/x.db ' })).toBe('/srv/x.db');
	});

	it('opens with WAL, synchronous FULL, foreign keys and a busy timeout, creating the folder', async () => {
		const dir = scratchDir('base');
		const db = openDatabase(join(dir, 'a', 'b', 'test.db'));
		await migrateToLatest(db);
		const pragma = async (name: string) =>
			(
				await db.executeQuery<Record<string, unknown>>({
					sql: `PRAGMA ${name}`,
					parameters: [],
					query: { kind: 'RawNode' }
				} as never)
			).rows[0];
		expect(await pragma('journal_mode')).toEqual({ journal_mode: 'wal' });
		expect(await pragma('synchronous')).toEqual({ synchronous: 2 });
		expect(await pragma('foreign_keys')).toEqual({ foreign_keys: 1 });
		expect(await pragma('busy_timeout')).toEqual({ timeout: 5000 });
		await db.destroy();
	});

	it('refuses a corrupt file with one French sentence', async () => {
		const dir = scratchDir('base');
		const path = join(dir, 'corrupt.db');
		writeFileSync(
			path,
			'ceci n’est pas une base SQLite, mais un texte assez long pour occuper une page'
		);
		await expect(initDatabase(path)).rejects.toThrow(/illisible ou corrompue/);
	});

	it('refuses a path whose folder cannot be created', async () => {
		const dir = scratchDir('base');
		writeFileSync(join(dir, 'file'), '');
		await expect(initDatabase(join(dir, 'file', 'x.db'))).rejects.toThrow(
			/Impossible d’ouvrir ou de créer/
		);
	});
});

describe('statements through Kysely', () => {
	it('are compiled by SQLite once per text and connection, the values bound on each run', async () => {
		const db = openDatabase(':memory:');
		await migrateToLatest(db);
		const prepare = vi.spyOn(connectionOf(db), 'prepare');
		const read = (slug: string) =>
			db.selectFrom('organisation').select('name').where('slug', '=', slug).execute();
		await db
			.insertInto('organisation')
			.values([
				{ slug: 'a', name: 'A', full_name: null, kind: 'epci' },
				{ slug: 'b', name: 'B', full_name: null, kind: 'epci' }
			])
			.execute();
		expect(await read('a')).toEqual([{ name: 'A' }]);
		expect(await read('b')).toEqual([{ name: 'B' }]);
		expect(await read('a')).toEqual([{ name: 'A' }]);
		// A value that tries to escape the SQL is bound as a parameter, never part of the text.
		expect(await read("a' or '1'='1")).toEqual([]);
		// The insert and the select: two texts, prepared once each.
		expect(prepare).toHaveBeenCalledTimes(2);
		await db.destroy();
	});

	it('do not keep a statement with more parameters than a page’s query has (a posted list)', async () => {
		const db = openDatabase(':memory:');
		await migrateToLatest(db);
		const prepare = vi.spyOn(connectionOf(db), 'prepare');
		const slugs = (n: number) => Array.from({ length: n }, (_, i) => `s${i}`);
		const read = (n: number) =>
			db.selectFrom('organisation').select('name').where('slug', 'in', slugs(n)).execute();
		await read(100);
		await read(100);
		await read(101);
		await read(101);
		// A hundred parameters: compiled once and kept; one more: compiled on each run.
		expect(prepare).toHaveBeenCalledTimes(3);
		await db.destroy();
	});
});
