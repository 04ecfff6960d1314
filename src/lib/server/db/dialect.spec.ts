import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db, type Executor } from './index';
import { scratchDir } from './testing';

/**
 * Another process's write lock, played by a second connection of this process: it takes the lock
 * at once and lets it go when `release` is called — from a timer, which can only fire if the
 * portal's connection leaves the event loop free while it waits.
 */
function lockHolder(path: string) {
	const other = new SQLite(path);
	other.pragma('journal_mode = WAL');
	other.exec('BEGIN IMMEDIATE');
	other.prepare('INSERT INTO note (text) VALUES (?)').run('écrit par l’autre processus');
	return {
		release() {
			if (other.inTransaction) other.exec('COMMIT');
		},
		close() {
			this.release();
			other.close();
		}
	};
}

const opened: { close(): void }[] = [];
afterEach(() => {
	for (const item of opened.splice(0)) item.close();
});

async function database(patience?: number): Promise<{ db: Db; path: string }> {
	const path = join(scratchDir('occupee'), 'base.db');
	const db = openDatabase(path, patience);
	await sql`CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT`.execute(db);
	await sql`INSERT INTO note (text) VALUES ('avant')`.execute(db);
	opened.push({ close: () => void db.destroy() });
	return { db, path };
}

const count = async (db: Executor) =>
	(await sql<{ n: number }>`SELECT count(*) AS n FROM note`.execute(db)).rows[0]!.n;

describe('a write while another process holds the lock', () => {
	it('waits for it without holding the server, then a transaction that reads first writes', async () => {
		const { db, path } = await database();
		const holder = lockHolder(path);
		opened.push(holder);
		setTimeout(() => holder.release(), 300);
		// Read, then write: begun DEFERRED, the transaction was refused its lock (SQLITE_BUSY) once
		// the other process had written; and SQLite's synchronous wait kept the timer from firing.
		await db.transaction().execute(async (trx) => {
			const before = await count(trx);
			await sql`INSERT INTO note (text) VALUES (${`après ${before}`})`.execute(trx);
		});
		expect(await count(db)).toBe(3);
		const last = await sql<{
			text: string;
		}>`SELECT text FROM note ORDER BY id DESC LIMIT 1`.execute(db);
		expect(last.rows[0]?.text).toBe('après 2');
	});

	it('waits for it with a single statement, too', async () => {
		const { db, path } = await database();
		const holder = lockHolder(path);
		opened.push(holder);
		// Released by a timer: with SQLite's own 5 s wait, the timer never fired before it gave up.
		setTimeout(() => holder.release(), 300);
		await sql`INSERT INTO note (text) VALUES ('seule')`.execute(db);
		expect(await count(db)).toBe(3);
	});

	it('gives up with SQLITE_BUSY once its patience is spent, and the database stays usable', async () => {
		const { db, path } = await database(200);
		const holder = lockHolder(path);
		opened.push(holder);
		const started = Date.now();
		await expect(
			db.transaction().execute(async (trx) => {
				await sql`INSERT INTO note (text) VALUES ('jamais')`.execute(trx);
			})
		).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) });
		expect(Date.now() - started).toBeGreaterThanOrEqual(100);
		holder.release();
		await sql`INSERT INTO note (text) VALUES ('ensuite')`.execute(db);
		expect(await count(db)).toBe(3);
	});
});

describe('a read while a write waits for another process’s lock', () => {
	/** A database whose lock another process holds for `ms`. */
	async function lockedFor(ms: number): Promise<Db> {
		const { db, path } = await database();
		const holder = lockHolder(path);
		opened.push(holder);
		setTimeout(() => holder.release(), ms);
		return db;
	}

	/** Starts `write`, reads 50 ms later: which ended first, what was read, how long it took. */
	async function readWhileWaiting(db: Db, write: () => Promise<unknown>) {
		const ended: string[] = [];
		const writing = write().then(() => ended.push('écriture'));
		await new Promise((resolve) => setTimeout(resolve, 50));
		const started = Date.now();
		const read = await count(db);
		const waited = Date.now() - started;
		ended.push('lecture');
		await writing;
		return { ended, read, waited };
	}

	// Hostile probe s56: with a lock held by another process, a form's write waited its 5 s holding
	// Kysely's one connection: public pages asked for meanwhile answered after 9.6 s and 14.6 s.
	it('is answered while the write waits, which then writes once the lock is let go', async () => {
		const db = await lockedFor(1500);
		const { ended, read, waited } = await readWhileWaiting(db, () =>
			db.transaction().execute(async (trx) => {
				await sql`INSERT INTO note (text) VALUES ('en attente')`.execute(trx);
			})
		);
		// WAL: the read sees the database as it was before the other process's pending write.
		expect(read).toBe(1);
		expect(ended).toEqual(['lecture', 'écriture']);
		expect(waited).toBeLessThan(1000);
		expect(await count(db)).toBe(3);
	});

	it('is answered while a statement alone waits too', async () => {
		const db = await lockedFor(1500);
		const { ended } = await readWhileWaiting(db, () =>
			sql`INSERT INTO note (text) VALUES ('seule')`.execute(db)
		);
		expect(ended).toEqual(['lecture', 'écriture']);
	});

	it('does not break into a transaction another request began while the write paused', async () => {
		const db = await lockedFor(300);
		const order: string[] = [];
		const first = db.transaction().execute(async (trx) => {
			await sql`INSERT INTO note (text) VALUES ('première')`.execute(trx);
			order.push('première écrite');
			await new Promise((resolve) => setTimeout(resolve, 200));
			await sql`INSERT INTO note (text) VALUES ('première, suite')`.execute(trx);
			order.push('première close');
		});
		const second = db.transaction().execute(async (trx) => {
			await sql`INSERT INTO note (text) VALUES ('seconde')`.execute(trx);
			order.push('seconde écrite');
		});
		await Promise.all([first, second]);
		expect([
			['première écrite', 'première close', 'seconde écrite'],
			['seconde écrite', 'première écrite', 'première close']
		]).toContainEqual(order);
		expect(await count(db)).toBe(5);
	});
});

describe('a transaction given where the database is due', () => {
	it('does not compile, and Kysely refuses it at run time', async () => {
		const { db } = await database();
		// A service declared `db: Db` opens its own transaction: given one, Kysely throws. The
		// types say so first: `npm run check` fails if a transaction becomes a `Db` again.
		const opensItsOwn = (database: Db) => database.transaction().execute(async () => 'ouverte');
		await db.transaction().execute(async (trx) => {
			// @ts-expect-error A Transaction is not a Db.
			expect(() => opensItsOwn(trx)).toThrow('not supported');
		});
		expect(await opensItsOwn(db)).toBe('ouverte');
	});
});
