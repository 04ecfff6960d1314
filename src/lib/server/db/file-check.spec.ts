// A sound database that cannot be opened for writing is told so, never called damaged: the
// advice for a damaged file (restore a backup) would lose what was written since.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './index';
import { scratchDir } from './testing';

const root = resolve(import.meta.dirname, '../../../..');

/** openDatabase(path) in a process of an unprivileged user (root ignores a folder's mode). */
function openAsUnprivileged(path: string): string {
	if (process.getuid?.() !== 0) {
		try {
			openDatabase(path);
			return 'opened';
		} catch (error) {
			return (error as Error).message;
		}
	}
	const script = join(path, '..', '..', 'probe.mts');
	writeFileSync(
		script,
		`import { openDatabase } from ${JSON.stringify(join(root, 'src/lib/server/db/index.ts'))};
try { openDatabase(process.argv[2]); console.log('opened'); } catch (e) { console.log(e.message); }`
	);
	chmodSync(script, 0o644);
	const run = spawnSync(
		'setpriv',
		[
			'--reuid=65534',
			'--regid=65534',
			'--clear-groups',
			join(root, 'node_modules/.bin/tsx'),
			script,
			path
		],
		{ encoding: 'utf8', cwd: root }
	);
	return (run.stdout + run.stderr).trim();
}

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
		if (process.getuid?.() === 0) chownSync(path, 65534, 65534);
		chmodSync(folder, 0o555); // read-only folder (a read-only mount, a wrong owner)
		try {
			const message = openAsUnprivileged(path);
			expect(message).not.toMatch(/endommagée/);
			expect(message).toMatch(/Impossible d’ouvrir ou de créer la base de données/);
		} finally {
			chmodSync(folder, 0o755);
		}
	});
});
