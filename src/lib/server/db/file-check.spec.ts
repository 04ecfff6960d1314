// A sound database that cannot be opened for writing is told so, never called damaged: the
// advice for a damaged file (restore a backup) would lose what was written since.
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { handToUnprivileged, runUnprivileged, scratchDir } from './testing';

/** openDatabase(path) in a process of an unprivileged user (root ignores a folder's mode). */
const openAsUnprivileged = (dir: string, path: string): string =>
	runUnprivileged(
		dir,
		`import { openDatabase } from ${JSON.stringify(join(import.meta.dirname, 'index.ts'))};
try { openDatabase(process.argv[2]); console.log('opened'); } catch (e) { console.log(e.message); }`,
		[path]
	);

describe('opening a database the service cannot write beside', () => {
	it('a sound WAL database in a folder the service cannot write to is not called « endommagée » (restore advice on a sound file)', () => {
		const dir = scratchDir('ro');
		chmodSync(dir, 0o755);
		const folder = join(dir, 'donnees');
		mkdirSync(folder);
		const path = join(folder, 'sdusn.db');
		const sqlite = new SQLite(path);
		sqlite.pragma('journal_mode = WAL');
		sqlite.exec('CREATE TABLE kysely_migration (name TEXT, timestamp TEXT)');
		sqlite.close(); // the last connection removes -wal and -shm
		handToUnprivileged(path);
		chmodSync(folder, 0o555); // read-only folder (a read-only mount, a wrong owner)
		try {
			const message = openAsUnprivileged(dir, path);
			expect(message).not.toMatch(/endommagée/);
			expect(message).toMatch(/Impossible d’ouvrir ou de créer la base de données/);
		} finally {
			chmodSync(folder, 0o755);
		}
	});
});
