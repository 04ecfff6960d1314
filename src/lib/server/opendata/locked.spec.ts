import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { json } from '@sveltejs/kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handleError } from '../../../hooks.server';
import { GET as fileAnswer } from '../../../routes/donnees/[fichier=ressource]/+server';
import { GET as workbookAnswer } from '../../../routes/donnees/plan.xlsx/+server';
import type { KyselyPlugin } from 'kysely';
import { connectionOf, openDatabase, type Db } from '../db';
import { DATABASE_BUSY_MESSAGE } from '../db/dialect';
import { createTestDb, scratchDir } from '../db/testing';
import { busyAnswers } from '../http/busy-answer';
import { log } from '../log.js';
import { openDataFile } from './published';

// The routes read getDb(): here, the database routesDatabase() gives them.
const routes = vi.hoisted(() => ({ db: undefined as Db | undefined }));
vi.mock('../db/instance', () => ({ getDb: () => routes.db }));

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

/**
 * The database of the routes (getDb), whose reads in a read transaction SQLite refuses
 * (SQLITE_BUSY) while `held()`, as it does while another process recovers the WAL after being
 * killed, or keeps the file in EXCLUSIVE locking mode; reads outside one are not touched (the
 * dialect waits for the lock there).
 */
async function routesDatabase(held: () => boolean) {
	const { path } = await seededFile(5000);
	const db = openDatabase(path);
	closing.push(() => db.destroy());
	const sqlite = connectionOf(db);
	const refusing: KyselyPlugin = {
		transformQuery({ node }) {
			if (sqlite.inTransaction && held())
				throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
			return node;
		},
		transformResult: async ({ result }) => result
	};
	routes.db = db.withPlugin(refusing) as Db;
}

/** GET `address` as SvelteKit answers it: a thrown error through handleError, then busyAnswers. */
function answerTo(address: string, answer: (event: never) => Response | Promise<Response>) {
	const url = new URL(address, 'http://localhost');
	const event = {
		request: new Request(url),
		url,
		route: { id: '/donnees/[fichier=ressource]' },
		params: { fichier: url.pathname.split('/').pop() },
		locals: {} as App.Locals
	};
	return busyAnswers({
		event,
		resolve: async () => {
			try {
				return await answer(event as never);
			} catch (error) {
				const body = await handleError({
					error,
					event: { ...event },
					status: 500,
					message: 'Internal Error'
				} as never);
				return json(body, { status: 500 });
			}
		}
	} as never);
}

// Review s57: a file's read refused for another process's lock answered 503 at once, where a write
// waits for the lock up to the patience (5 s).
describe('open-data files whose reads SQLite refuses for another process’s lock', () => {
	it('wait for it as a write does: let go within the patience, the files are served', async () => {
		// Refused for 300 ms from the first read.
		let since: number | undefined;
		await routesDatabase(() => Date.now() - (since ??= Date.now()) < 300);
		const file = await answerTo('/donnees/plan.json', fileAnswer);
		expect(file.status).toBe(200);
		expect(JSON.parse(await file.text())).toHaveProperty('fiches');
		expect(Date.now() - since!).toBeGreaterThanOrEqual(300);
		const workbook = await answerTo('/donnees/plan.xlsx', workbookAnswer);
		expect(workbook.status).toBe(200);
	});

	it('held past the patience (5 s): 503 and the French sentence, as a write', async () => {
		vi.spyOn(log(), 'warn').mockImplementation(() => undefined);
		await routesDatabase(() => true);
		const started = Date.now();
		const answer = await answerTo('/donnees/plan.json', fileAnswer);
		expect(answer.status).toBe(503);
		expect(answer.headers.get('retry-after')).toBe('5');
		expect(await answer.json()).toMatchObject({ message: DATABASE_BUSY_MESSAGE });
		expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
	});
});
