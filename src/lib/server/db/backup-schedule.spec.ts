import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import SQLite from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { recordAudit } from '../audit/repository';
import {
	backupName,
	firstBackupDelay,
	rotateBackups,
	runScheduledBackup,
	scheduleBackups
} from './backup-schedule';
import { openDatabase } from './index';
import { migrateToLatest } from './migrate';
import { checkBackupFile, restoreDatabase } from './restore';
import { pidFileOf } from './server-pid.js';
import { scratchDir } from './testing';

function summaries(path: string): Set<string> {
	const db = new SQLite(path, { readonly: true });
	try {
		const rows = db.prepare('SELECT summary FROM audit_event').all() as { summary: string }[];
		return new Set(rows.map((row) => row.summary));
	} finally {
		db.close();
	}
}

/** A new folder holding one migrated database, closed, under `name`. */
async function migratedIn(name: string): Promise<{ dir: string; file: string }> {
	const dir = scratchDir('restauration');
	const file = join(dir, name);
	const db = openDatabase(file);
	await migrateToLatest(db);
	await db.destroy();
	return { dir, file };
}

describe('scheduled backups', () => {
	it('keeps every write acknowledged before the backup started, while writes go on', async () => {
		const dir = scratchDir('sauvegardes');
		const source = join(dir, 'live.db');
		const db = openDatabase(source);
		await migrateToLatest(db);
		const acknowledged: string[] = [];
		let writing = true;
		// A partner writes without pause, before, during and after the backup.
		const writer = (async () => {
			for (let i = 0; writing; i++) {
				const summary = `écriture ${i}`;
				await recordAudit(db, {
					actor: null,
					actorLabel: 'test',
					action: 'login.success',
					summary
				});
				acknowledged.push(summary);
				await new Promise((resolve) => setImmediate(resolve));
			}
		})();
		while (acknowledged.length < 200) await new Promise((resolve) => setTimeout(resolve, 5));
		const before = [...acknowledged];
		const file = await runScheduledBackup(source, { dir: join(dir, 'sauvegardes'), keep: 3 });
		writing = false;
		await writer;
		expect(acknowledged.length).toBeGreaterThan(before.length);
		await db.destroy();

		checkBackupFile(file);
		const target = join(dir, 'restauree', 'sdusn.db');
		await openDatabase(target).destroy();
		const { aside } = restoreDatabase(file, target);
		expect(aside).toMatch(/avant-restauration/);
		const restored = summaries(target);
		for (const summary of before) expect(restored.has(summary), summary).toBe(true);
	});

	it('runs a minute after the start, then every BACKUP_EVERY, until stopped', async () => {
		const dir = scratchDir('sauvegardes');
		const source = join(dir, 'live.db');
		const db = openDatabase(source);
		await migrateToLatest(db);
		const backups = join(dir, 'sauvegardes');
		const written = () => readdirSync(backups).filter((name) => name.endsWith('.db'));
		vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'Date'] });
		try {
			const stop = scheduleBackups(source, { dir: backups, everyMs: 3_600_000, keep: 5 });
			await vi.advanceTimersByTimeAsync(60_000);
			await vi.waitFor(() => expect(written()).toHaveLength(1), { timeout: 5000 });
			await vi.advanceTimersByTimeAsync(3_600_000);
			await vi.waitFor(() => expect(written()).toHaveLength(2), { timeout: 5000 });
			stop();
			await vi.advanceTimersByTimeAsync(3 * 3_600_000);
			expect(written()).toHaveLength(2);
		} finally {
			vi.useRealTimers();
			await db.destroy();
		}
	});

	// Review s59, ops: each start added a backup a minute after it, so a service restarted every
	// hour kept a day of copies, not the week BACKUP_EVERY=6h BACKUP_KEEP=28 promise.
	it('waits, after a start, for the period since the newest scheduled backup', () => {
		const dir = scratchDir('sauvegardes-redemarrage');
		const hour = 3_600_000;
		const now = Date.parse('2026-12-07T15:00:00.000Z');
		expect(firstBackupDelay(join(dir, 'absent'), 6 * hour, now)).toBe(60_000);
		expect(firstBackupDelay(dir, 6 * hour, now)).toBe(60_000);
		expect(firstBackupDelay(dir, 30_000, now)).toBe(30_000);
		writeFileSync(join(dir, 'sdusn-2026-12-07T13-00-00-000Z.db'), '');
		// Another command's copy, of another name, does not count.
		writeFileSync(join(dir, 'sdusn-manuel.db'), '');
		expect(firstBackupDelay(dir, 6 * hour, now)).toBe(4 * hour);
		expect(firstBackupDelay(dir, hour, now)).toBe(60_000);
		writeFileSync(join(dir, 'sdusn-2026-12-07T14-59-30-000Z.db'), '');
		expect(firstBackupDelay(dir, 6 * hour, now)).toBe(6 * hour - 30_000);
		// Dated in the future (a clock set back): no longer than the period.
		writeFileSync(join(dir, 'sdusn-2027-01-01T00-00-00-000Z.db'), '');
		expect(firstBackupDelay(dir, 6 * hour, now)).toBe(6 * hour);
	});

	it('keeps the newest BACKUP_KEEP backups and what an interrupted one left', () => {
		const dir = scratchDir('sauvegardes');
		const names = [0, 1, 2, 3, 4].map((day) => backupName(new Date(Date.UTC(2026, 10, 20 + day))));
		for (const name of [...names, 'a-garder.db', `${names[4]}.partiel`])
			writeFileSync(join(dir, name), '');
		rotateBackups(dir, 2);
		expect(readdirSync(dir).sort()).toEqual(['a-garder.db', names[3], names[4]].sort());
	});

	it('leaves the temporary files of a db:backup written at the same time in the same folder', () => {
		const dir = scratchDir('sauvegardes-partagees');
		const scheduled = backupName(new Date(Date.UTC(2026, 11, 5)));
		// `npm run db:backup -- …/sdusn-2026-12-05.db` still copying: removing its files made it
		// fail with « disk I/O error ».
		const manual = ['sdusn-2026-12-05.db.partiel', 'sdusn-2026-12-05.db.partiel-journal'];
		const leftovers = [`${scheduled}.partiel`, `${scheduled}.partiel-journal`];
		for (const name of [scheduled, ...manual, ...leftovers]) writeFileSync(join(dir, name), '');
		expect(rotateBackups(dir, 2).sort()).toEqual(leftovers.sort());
		expect(readdirSync(dir).sort()).toEqual([scheduled, ...manual].sort());
	});
});

describe('db:restore', () => {
	it('restores the rows a backup still holds in its WAL file, not only its main file', async () => {
		const dir = scratchDir('restauration-wal');
		const source = join(dir, 'source.db');
		const db = openDatabase(source);
		await migrateToLatest(db);
		await db.destroy();
		// A copy taken while a server held rows in its WAL (a set-aside database after a crash).
		const live = new SQLite(source);
		live.pragma('journal_mode = WAL');
		live.pragma('wal_autocheckpoint = 0');
		live.exec(
			"INSERT INTO audit_event (occurred_at, actor_label, action, summary) VALUES ('2026-01-01T00:00:00.000Z', 'test', 'login.success', 'dans le WAL')"
		);
		const backup = join(dir, 'copie-avec-wal.db');
		copyFileSync(source, backup);
		copyFileSync(`${source}-wal`, `${backup}-wal`);
		live.close();
		expect(summaries(backup).has('dans le WAL')).toBe(true);

		const target = join(dir, 'sdusn.db');
		restoreDatabase(backup, target);
		expect(summaries(target).has('dans le WAL')).toBe(true);
	});

	it('refuses while a server uses the database, and refuses a file that is not a sound backup', async () => {
		const { dir, file: target } = await migratedIn('sdusn.db');
		const backup = join(dir, 'copie.db');
		const copy = new SQLite(target);
		await copy.backup(backup);
		copy.close();

		writeFileSync(pidFileOf(target), `${process.pid}\n`);
		expect(() => restoreDatabase(backup, target)).toThrow(/arrêtez-le avant de restaurer/);
		// A pid file left by a server that is gone (crash) does not block.
		writeFileSync(pidFileOf(target), '999999999\n');

		const notSqlite = join(dir, 'texte.db');
		writeFileSync(notSqlite, 'pas une base '.repeat(100));
		expect(() => restoreDatabase(notSqlite, target)).toThrow(/SDUSN|SQLite/);
		const other = join(dir, 'autre.db');
		const o = new SQLite(other);
		o.exec('CREATE TABLE t (x)');
		o.close();
		expect(() => restoreDatabase(other, target)).toThrow(/pas une sauvegarde du portail/);
		const newer = join(dir, 'plus-recente.db');
		const n = new SQLite(newer);
		n.exec(
			"CREATE TABLE kysely_migration (name TEXT); INSERT INTO kysely_migration VALUES ('2099_01_01_000000_futur')"
		);
		n.close();
		expect(() => restoreDatabase(newer, target)).toThrow(/version plus récente/);
		// A backup cut short (a copy interrupted) or altered: said damaged, in French.
		const bytes = readFileSync(backup);
		const truncated = join(dir, 'tronquee.db');
		writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
		expect(() => restoreDatabase(truncated, target)).toThrow(/« .*tronquee\.db » est endommagé/);
		const altered = join(dir, 'alteree.db');
		writeFileSync(
			altered,
			Buffer.concat([bytes.subarray(0, 4096), Buffer.alloc(8192, 7), bytes.subarray(12288)])
		);
		expect(() => restoreDatabase(altered, target)).toThrow(/« .*alteree\.db » est endommagé/);
		expect(restoreDatabase(backup, target).aside).toBeTruthy();
	});

	it('refuses a DATABASE_PATH naming a folder, or in a folder that is not there, and moves nothing', async () => {
		const { dir, file: backup } = await migratedIn('copie.db');
		// The data folder given without the file's name: not set aside with all it holds.
		const data = join(dir, 'donnees');
		mkdirSync(data);
		writeFileSync(join(data, 'sdusn.db'), 'la base en service');
		expect(() => restoreDatabase(backup, data)).toThrow(
			/^« .*donnees » est un dossier : DATABASE_PATH doit nommer le fichier de la base/
		);
		expect(readdirSync(dir).sort()).toEqual(['copie.db', 'donnees']);
		expect(readdirSync(data)).toEqual(['sdusn.db']);
		expect(() => restoreDatabase(backup, join(dir, 'absent', 'sdusn.db'))).toThrow(
			/^Le dossier « .*absent » de la base \(DATABASE_PATH\) n’existe pas : rien n’a été changé/
		);
		expect(readdirSync(dir).sort()).toEqual(['copie.db', 'donnees']);
	});

	it('says in French that it cannot write beside the database', async () => {
		const { file: backup } = await migratedIn('copie.db');
		// /proc takes no new file, not even from root (who writes in any folder of his own).
		expect(() => restoreDatabase(backup, '/proc/sdusn.db')).toThrow(
			/^Impossible d’écrire dans le dossier « \/proc » : rien n’a été changé/
		);
	});
});
