import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionOf, openDatabase } from '../db';
import { createTestDb, scratchDir } from '../db/testing';
import { openDataFile } from './published';

const closing: (() => unknown)[] = [];
afterEach(async () => {
	for (const close of closing.splice(0).reverse()) await close();
});

/** A file database holding the seeded plan, opened as the server opens its own. */
async function seededFile(patience: number) {
	const memory = await createTestDb();
	const path = join(scratchDir('donnees-verrou'), 'sdusn.db');
	writeFileSync(path, connectionOf(memory).serialize());
	await memory.destroy();
	const db = openDatabase(path, patience);
	closing.push(() => db.destroy());
	return { db, path };
}

/** Another process (a backup, an import, a command) holding SQLite's write lock. */
function holdWriteLock(path: string, begin: 'IMMEDIATE' | 'EXCLUSIVE') {
	const other = new SQLite(path);
	other.pragma('journal_mode = WAL');
	other.exec(`BEGIN ${begin}`);
	// A published change not committed yet: no file may show it.
	other.prepare("UPDATE fiche SET title = 'Titre en cours d’écriture' WHERE code = '1-1'").run();
	closing.push(() => {
		if (other.inTransaction) other.exec('ROLLBACK');
		other.close();
	});
}

const FILES = ['plan', 'fiches', 'mesures', 'mises-a-jour', 'decisions', 'datapackage'];

describe('open-data files while another process holds the write lock', () => {
	for (const begin of ['IMMEDIATE', 'EXCLUSIVE'] as const) {
		it(`are served at once, the same bytes as before it (BEGIN ${begin})`, async () => {
			// A short patience: a file that waited for the lock would fail (503) within the test.
			const { db, path } = await seededFile(300);
			const before = new Map<string, string>();
			for (const name of FILES)
				before.set(name, Buffer.from((await openDataFile(db, name))!.body).toString('utf8'));
			// A new database object: nothing kept from the reading above.
			await db.destroy();
			const again = openDatabase(path, 300);
			closing.push(() => again.destroy());
			holdWriteLock(path, begin);
			const started = Date.now();
			for (const name of FILES) {
				const file = await openDataFile(again, name);
				expect(Buffer.from(file!.body).toString('utf8'), name).toBe(before.get(name));
			}
			expect(before.get('plan')).not.toContain('Titre en cours d’écriture');
			expect(Date.now() - started).toBeLessThan(3000);
		});
	}
});
