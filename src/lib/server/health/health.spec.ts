import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db';
import { scratchDir } from '../db/testing';
import { noteDiskFull } from '../db/dialect';
import { migrateToLatest } from '../db/migrate';
import { checkHealth, isLoopback, watchFreeSpace } from '.';

describe('health', () => {
	it('is ok when the database answers and has every migration', async () => {
		const db = openDatabase(':memory:');
		await migrateToLatest(db);
		// A full disk noted by an earlier file of this worker (isolate: false) is long past.
		noteDiskFull(Date.now() - 10 * 60_000);
		const health = await checkHealth(db, true);
		expect(health).toMatchObject({ statut: 'ok', base: 'joignable', migrations: 'à jour' });
		// package.json's version never changes: the build's time tells one upgrade from the next.
		expect(health.version).toMatch(/^\d+\.\d+\.\d+\+\d{8}T\d{6}Z$/);
		// Small and impersonal: exactly these fields.
		expect(Object.keys(health).sort()).toEqual(
			['base', 'disque', 'enMarcheDepuis', 'migrations', 'statut', 'version'].sort()
		);
		// Probe s43: the build's time and the uptime (a restart oracle) for the operator only.
		expect(Object.keys(await checkHealth(db)).sort()).toEqual(
			['base', 'disque', 'migrations', 'statut'].sort()
		);
		await db.destroy();
	});

	it('is degraded when a migration is missing', async () => {
		const db = openDatabase(':memory:');
		await migrateToLatest(db);
		await sql`delete from kysely_migration where name = (select max(name) from kysely_migration)`.execute(
			db
		);
		expect(await checkHealth(db)).toMatchObject({ statut: 'dégradé', migrations: 'en retard' });
		await db.destroy();
	});

	it('is degraded when the database does not answer', async () => {
		const db = openDatabase(':memory:');
		await db.destroy();
		expect(await checkHealth(db)).toMatchObject({ statut: 'dégradé', base: 'injoignable' });
		expect(await checkHealth(null)).toMatchObject({ statut: 'dégradé', base: 'injoignable' });
	});

	// Review s42, ops: on a full disk every write failed while /sante answered 200 « ok ».
	it('is degraded for a few minutes after a write refused for a full disk', async () => {
		const db = openDatabase(':memory:');
		await migrateToLatest(db);
		noteDiskFull(Date.now());
		expect(await checkHealth(db)).toMatchObject({ statut: 'dégradé', disque: 'plein' });
		noteDiskFull(Date.now() - 10 * 60_000);
		expect(await checkHealth(db)).toMatchObject({ statut: 'ok', disque: 'ok' });
		await db.destroy();
	});

	// Review s42, ops: a disk filling up was seen only once a write had failed. statfs stubbed.
	it('is degraded while the database’s folder has less free space than DISK_MIN_FREE', async () => {
		const db = openDatabase(':memory:');
		await migrateToLatest(db);
		let free = 101 * 1024 * 1024;
		const measured: string[] = [];
		const measure = async (folder: string) => {
			measured.push(folder);
			return { bavail: free / 4096, bsize: 4096 };
		};
		try {
			watchFreeSpace('/srv/sdusn/data/sdusn.db', 100 * 1024 * 1024, measure);
			expect(await checkHealth(db)).toMatchObject({ statut: 'ok', disque: 'ok' });
			free = 99 * 1024 * 1024;
			const short = await checkHealth(db);
			expect(short).toMatchObject({ statut: 'dégradé', disque: 'presque plein' });
			// Measured at each call, in the database's folder; and the answer says no figure, no path.
			expect(measured).toEqual(['/srv/sdusn/data', '/srv/sdusn/data']);
			expect(Object.keys(short).sort()).toEqual(['base', 'disque', 'migrations', 'statut'].sort());
			expect(JSON.stringify(short)).not.toContain('srv');
			free = 200 * 1024 * 1024;
			expect(await checkHealth(db)).toMatchObject({ statut: 'ok', disque: 'ok' });
			// 0 measures nothing; a folder that cannot be measured is not said short of space.
			watchFreeSpace('/srv/sdusn/data/sdusn.db', 0, measure);
			free = 0;
			expect(await checkHealth(db)).toMatchObject({ statut: 'ok', disque: 'ok' });
			watchFreeSpace('/srv/sdusn/data/sdusn.db', 100 * 1024 * 1024, () =>
				Promise.reject(new Error('ENOENT'))
			);
			expect(await checkHealth(db)).toMatchObject({ statut: 'ok', disque: 'ok' });
		} finally {
			watchFreeSpace(':memory:', 0);
			await db.destroy();
		}
	});

	// Review s45, ops: /sante took 4.49 s while another process held a write lock: its read queued
	// behind a write of the server (the mail sender's) that waited for the lock, up to 5 s.
	it('answers while another process holds the write lock and a write of the server waits for it', async () => {
		const file = join(scratchDir('sante-verrou'), 'sdusn.db');
		const db = openDatabase(file);
		await migrateToLatest(db);
		const other = new SQLite(file);
		try {
			other.exec('BEGIN IMMEDIATE');
			let writeSettled = false;
			const write = db
				.transaction()
				.execute((trx) => sql`delete from kysely_migration where 0`.execute(trx))
				.then(
					() => 'écrit',
					(error: unknown) => error
				)
				.finally(() => (writeSettled = true));
			// The write waits for the lock (it gives up after its 5 s); the health read does not.
			expect(await checkHealth(db)).toMatchObject({
				statut: 'ok',
				base: 'joignable',
				migrations: 'à jour'
			});
			expect(writeSettled).toBe(false);
			other.exec('COMMIT');
			expect(await write).toBe('écrit');
		} finally {
			other.close();
			await db.destroy();
		}
	});

	it('knows this machine’s own addresses from any other', () => {
		for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])
			expect(isLoopback(address)).toBe(true);
		for (const address of [null, '10.0.0.1', '203.0.113.5', '::ffff:10.0.0.1', '1127.0.0.1', '::2'])
			expect(isLoopback(address)).toBe(false);
	});
});
