import {
	existsSync,
	linkSync,
	lstatSync,
	mkdirSync,
	readdirSync,
	symlinkSync,
	writeFileSync
} from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { findValidReset } from '../auth/recovery';
import { insertPasswordReset, usePasswordReset } from '../auth/recovery-repository';
import { createSession, invalidateSession, validateSessionToken } from '../auth/sessions';
import { createTestUser, PEOPLE } from '../auth/testing';
import { newSplitToken } from '../auth/tokens';
import { MailSender, smtpTransport } from '../mail/sender';
import { startSmtp, type TestSmtp } from '../mail/testing';
import { openDatabase } from './index';
import { migrateToLatest, portalMigrator } from './migrate';
import { restoreBackup, restoreDatabase } from './restore';
import { scratchDir } from './testing';

const NOW = Date.UTC(2026, 11, 5, 9, 0);
const MESSAGE_ID = '<restauration-1@sdusn.test>';

/** Hands what `file`'s outbox has due to `smtp`, as the server's sender does; returns how many left. */
async function deliver(file: string, smtp: TestSmtp): Promise<number> {
	const before = smtp.received.length;
	const db = openDatabase(file);
	try {
		await new MailSender(db, {
			transport: smtpTransport(smtp.config),
			from: 'Portail SDUSN <ne-pas-repondre@sdusn.test>',
			now: () => NOW
		}).deliverDue();
	} finally {
		await db.destroy();
	}
	return smtp.received.length - before;
}

function statusOf(file: string): string {
	const db = new SQLite(file, { readonly: true });
	try {
		const row = db
			.prepare('SELECT status FROM mail_outbox WHERE message_id = ?')
			.get(MESSAGE_ID) as { status: string };
		return row.status;
	} finally {
		db.close();
	}
}

/** A migrated database at `file` whose outbox holds one message waiting; left open. */
async function withWaitingMessage(file: string): Promise<SQLite.Database> {
	const db = openDatabase(file);
	await migrateToLatest(db);
	await db.destroy();
	return addWaitingMessage(new SQLite(file));
}

/** Writes into `raw`'s outbox one message waiting, whatever columns the outbox has beyond. */
function addWaitingMessage(raw: SQLite.Database): SQLite.Database {
	raw
		.prepare(
			`INSERT INTO mail_outbox (message_id, kind, recipient, subject, text_body, html_body, status, next_attempt_at, created_at)
			 VALUES (?, 'notification', 'partenaire@sdusn.test', 'Sujet', 'Texte', '<p>Texte</p>', 'pending', ?, ?)`
		)
		.run(MESSAGE_ID, NOW - 60_000, NOW - 60_000);
	return raw;
}

describe('restoring a backup and the mail it had waiting', () => {
	// Review s42, ops: a message waiting when the backup was taken, sent since, left again after
	// the restore, with the same Message-ID.
	it('does not send again, through a real relay, a message that left after the backup', async () => {
		const dir = scratchDir('restauration-courriel');
		const target = join(dir, 'sdusn.db');
		const raw = await withWaitingMessage(target);
		const backup = join(dir, 'sauvegarde.db');
		raw.prepare('VACUUM INTO ?').run(backup);
		raw.close();

		const smtp = await startSmtp();
		try {
			expect(await deliver(target, smtp)).toBe(1);
			const { alreadySent } = restoreDatabase(backup, target);
			expect(alreadySent).toBe(1);
			expect(statusOf(target)).toBe('sent');
			expect(await deliver(target, smtp)).toBe(0);
			expect(smtp.received.map((r) => r.mail.messageId)).toEqual([MESSAGE_ID]);
		} finally {
			await smtp.close();
		}
	});

	// Review s42, diff: a message the replaced database was handing over when it stopped (it may
	// have arrived: `interrupted`, never sent again) was waiting again after the restore.
	for (const status of ['interrupted', 'sending'])
		it(`does not send again a message ${status} (maybe delivered) after the backup`, async () => {
			const dir = scratchDir('restauration-courriel');
			const target = join(dir, 'sdusn.db');
			const raw = await withWaitingMessage(target);
			const backup = join(dir, 'sauvegarde.db');
			raw.prepare('VACUUM INTO ?').run(backup);
			raw.prepare('UPDATE mail_outbox SET status = ?').run(status);
			raw.close();

			const smtp = await startSmtp();
			try {
				expect(restoreDatabase(backup, target)).toMatchObject({ alreadySent: 0, interrupted: 1 });
				expect(statusOf(target)).toBe('interrupted');
				expect(await deliver(target, smtp)).toBe(0);
			} finally {
				await smtp.close();
			}
		});

	it('still sends what was waiting when nothing says it left (no database replaced)', async () => {
		const dir = scratchDir('restauration-courriel');
		const source = join(dir, 'source.db');
		(await withWaitingMessage(source)).close();
		const target = join(dir, 'sdusn.db');
		expect(restoreDatabase(source, target).alreadySent).toBe(0);
		expect(statusOf(target)).toBe('pending');
	});
});

describe('restoring a backup older than the outbox or its columns', () => {
	/** A database at `file` migrated up to `migration`, as a backup of that time would be. */
	async function migratedTo(file: string, migration: string): Promise<void> {
		const db = openDatabase(file);
		await portalMigrator(db).migrateTo(migration);
		await db.destroy();
	}

	// Review s42, diff: marking sent what the replaced database sent wrote `one_time_link` (or
	// `mail_outbox`) into a copy that did not have it yet, failed with a raw SQLite error and left
	// `sdusn.db.restauration` behind.
	for (const [what, migration] of <[string, string][]>[
		['before the one-time link column', '2026_12_02_110000_structure_versions'],
		['before the outbox', '2026_12_01_100000_plan_authoring']
	])
		it(`restores a backup taken ${what} over a database that sent mail since`, async () => {
			const dir = scratchDir('restauration-ancienne');
			const backup = join(dir, 'ancienne.db');
			await migratedTo(backup, migration);
			const target = join(dir, 'sdusn.db');
			const raw = await withWaitingMessage(target);
			raw.prepare("UPDATE mail_outbox SET status = 'sent', sent_at = ?").run(NOW);
			raw.close();
			expect(restoreDatabase(backup, target).alreadySent).toBe(0);
			expect(existsSync(`${target}.restauration`)).toBe(false);
		});

	it('marks sent, in a backup without the one-time link column, what left since', async () => {
		const dir = scratchDir('restauration-ancienne');
		const target = join(dir, 'sdusn.db');
		// Made first, as a backup is older than the database it replaces (one newer carries nothing).
		const backup = join(dir, 'ancienne.db');
		const db = openDatabase(backup);
		await migrateToLatest(db);
		await portalMigrator(db).migrateTo('2026_12_02_110000_structure_versions');
		await db.destroy();
		addWaitingMessage(new SQLite(backup)).close();
		const raw = await withWaitingMessage(target);
		raw.close();
		const current = new SQLite(target);
		current.prepare("UPDATE mail_outbox SET status = 'sent', sent_at = ?").run(NOW);
		current.close();
		expect(restoreDatabase(backup, target).alreadySent).toBe(1);
		expect(statusOf(target)).toBe('sent');
	});
});

describe('restoring a backup and the sessions it had open', () => {
	// Hostile probe s44: a session closed after the backup (sign-out, password or role changed,
	// account disabled) and a reset link used since worked again once the backup was restored.
	// Read-back s44: an invitation revoked since the backup (sent to a wrong address) opened again.
	it('closes every session, drops pending reset links, and keeps closed the invitations closed since', async () => {
		const dir = scratchDir('restauration-sessions');
		const target = join(dir, 'sdusn.db');
		const db = openDatabase(target);
		await migrateToLatest(db);
		const user = await createTestUser(db, PEOPLE.admin);
		const member = await createTestUser(db, PEOPLE.claude);
		const { token, session } = await createSession(db, user.id, NOW);
		const reset = newSplitToken();
		await insertPasswordReset(
			db,
			{ id: reset.id, secretHash: reset.secretHash, userId: user.id, expiresAt: NOW + 3_600_000 },
			NOW
		);
		await db
			.insertInto('invitation')
			.values(
				['invitation-1', 'invitation-2'].map((id) => ({
					id,
					secret_hash: new Uint8Array(32),
					user_id: user.id,
					created_by: null,
					created_at: NOW,
					expires_at: NOW + 3_600_000,
					used_at: null
				}))
			)
			.execute();
		await db.destroy();
		const backup = join(dir, 'sauvegarde.db');
		const raw = new SQLite(target);
		raw.prepare('VACUUM INTO ?').run(backup);
		raw.close();

		const current = openDatabase(target);
		await invalidateSession(current, session.id);
		await usePasswordReset(current, reset.id, NOW + 1000);
		await current
			.updateTable('invitation')
			.set({ used_at: NOW + 1000 })
			.where('id', '=', 'invitation-2')
			.execute();
		// Second read-back s44: an account disabled since signed in again with the backup's
		// password, and a password changed since (it leaked) was the backup's again.
		await current
			.updateTable('user_account')
			.set({ disabled_at: '2026-12-05T18:00:00.000Z' })
			.where('id', '=', member.id)
			.execute();
		await current
			.updateTable('user_account')
			.set({ password_hash: 'nouveau-hachage' })
			.where('id', '=', user.id)
			.execute();
		await current.destroy();

		expect(restoreDatabase(backup, target)).toMatchObject({
			sessionsClosed: 1,
			resetsDropped: 1,
			invitationsClosed: 1,
			accountsDisabled: 1,
			passwordsKept: 1
		});
		const restored = openDatabase(target);
		try {
			expect((await validateSessionToken(restored, token, NOW + 2000)).session).toBeNull();
			expect(await findValidReset(restored, reset.token, NOW + 2000)).toBeUndefined();
			const invitations = await restored
				.selectFrom('invitation')
				.select(['id', 'used_at'])
				.orderBy('id')
				.execute();
			expect(invitations).toEqual([
				{ id: 'invitation-1', used_at: null },
				{ id: 'invitation-2', used_at: NOW + 1000 }
			]);
			const accounts = await restored
				.selectFrom('user_account')
				.select(['id', 'disabled_at', 'password_hash'])
				.orderBy('id')
				.execute();
			expect(accounts).toEqual([
				{ id: user.id, disabled_at: null, password_hash: 'nouveau-hachage' },
				{
					id: member.id,
					disabled_at: '2026-12-05T18:00:00.000Z',
					password_hash: expect.any(String)
				}
			]);
		} finally {
			await restored.destroy();
		}
	});
	// Read-back s44: the database being replaced is read once for its mail and its access; a part
	// it cannot answer leaves the others carried.
	it('carries the access of a replaced database older than the outbox', async () => {
		const dir = scratchDir('restauration-sessions');
		const target = join(dir, 'sdusn.db');
		const db = openDatabase(target);
		await portalMigrator(db).migrateTo('2026_12_01_100000_plan_authoring');
		const member = await createTestUser(db, PEOPLE.claude);
		await db.destroy();
		const backup = join(dir, 'sauvegarde.db');
		const raw = new SQLite(target);
		raw.prepare('VACUUM INTO ?').run(backup);
		raw
			.prepare('UPDATE user_account SET disabled_at = ? WHERE id = ?')
			.run('2026-12-05T18:00:00.000Z', member.id);
		raw.close();
		expect(restoreDatabase(backup, target)).toMatchObject({
			alreadySent: 0,
			accountsDisabled: 1
		});
	});

	it('restores over a database that cannot be read, carrying nothing from it', async () => {
		const dir = scratchDir('restauration-sessions');
		const target = join(dir, 'sdusn.db');
		(await withWaitingMessage(target)).close();
		const backup = join(dir, 'sauvegarde.db');
		const raw = new SQLite(target);
		raw.prepare('VACUUM INTO ?').run(backup);
		raw.close();
		writeFileSync(target, 'pas une base '.repeat(1000));
		expect(restoreDatabase(backup, target)).toMatchObject({
			alreadySent: 0,
			interrupted: 0,
			invitationsClosed: 0,
			accountsDisabled: 0,
			passwordsKept: 0
		});
		expect(statusOf(target)).toBe('pending');
	});
});

describe('restoring the database over itself', () => {
	// Hostile probe s44: db:restore took the live database itself (same path, a symbolic or a
	// hard link to it) as its backup, set it aside and put a copy in its place.
	for (const [what, link] of <[string, (target: string, other: string) => void][]>[
		['its own path', () => {}],
		['a symbolic link to it', (target, other) => symlinkSync(target, other)],
		['a hard link to it', (target, other) => linkSync(target, other)]
	])
		it(`refuses ${what}, in French, and changes nothing`, async () => {
			const dir = scratchDir('restauration-elle-meme');
			const target = join(dir, 'sdusn.db');
			const db = openDatabase(target);
			await migrateToLatest(db);
			await db.destroy();
			const backup = what === 'its own path' ? target : join(dir, 'sauvegarde.db');
			link(target, backup);
			const files = readdirSync(dir).sort();
			const refusal = `« ${backup} » est la base elle-même (DATABASE_PATH « ${target} »), pas une sauvegarde : rien n’a été changé.`;
			await expect(restoreBackup(backup, target)).rejects.toThrow(refusal);
			expect(() => restoreDatabase(backup, target)).toThrow(refusal);
			expect(readdirSync(dir).sort()).toEqual(files);
		});
});

describe('restoring through a DATABASE_PATH that is a symbolic link', () => {
	// Hostile probe s56: srv/sdusn.db → real/sdusn.db; the restore renamed its copy in the link's
	// place: the link became an ordinary file, the real database stayed as it was, and the « old
	// database » set aside was the link.
	it('restores the file the link leads to, sets the old one aside beside it, and keeps the link', async () => {
		const dir = scratchDir('restauration-lien');
		mkdirSync(join(dir, 'reelle'));
		mkdirSync(join(dir, 'srv'));
		const real = join(dir, 'reelle', 'sdusn.db');
		const link = join(dir, 'srv', 'sdusn.db');
		const db = openDatabase(real);
		await migrateToLatest(db);
		await db.destroy();
		const backup = join(dir, 'sauvegarde.db');
		const raw = new SQLite(real);
		raw.prepare('VACUUM INTO ?').run(backup);
		addWaitingMessage(raw).close();
		symlinkSync(real, link);
		const outbox = (file: string) => {
			const read = new SQLite(file, { readonly: true });
			try {
				return (read.prepare('SELECT count(*) AS n FROM mail_outbox').get() as { n: number }).n;
			} finally {
				read.close();
			}
		};
		const result = await restoreBackup(backup, link, new Date(NOW));
		expect(result.replaced).toBe(real);
		expect(lstatSync(link).isSymbolicLink()).toBe(true);
		expect(outbox(link)).toBe(0);
		expect(result.aside).toMatch(
			new RegExp(`^${join(dir, 'reelle', 'sdusn.db.avant-restauration-')}`)
		);
		expect(lstatSync(result.aside!).isFile()).toBe(true);
		expect(outbox(result.aside!)).toBe(1);
		expect(readdirSync(join(dir, 'srv'))).toEqual(['sdusn.db']);
	});

	it('refuses a link to nothing, in French, and changes nothing', async () => {
		const dir = scratchDir('restauration-lien-vide');
		const link = join(dir, 'sdusn.db');
		symlinkSync(join(dir, 'absente.db'), link);
		const backup = join(dir, 'sauvegarde.db');
		const db = openDatabase(backup);
		await migrateToLatest(db);
		await db.destroy();
		const files = readdirSync(dir).sort();
		await expect(restoreBackup(backup, link)).rejects.toThrow(
			`« ${link} » (DATABASE_PATH) est un lien symbolique vers « ${join(dir, 'absente.db')} », qui n’existe pas : rien n’a été changé.`
		);
		expect(readdirSync(dir).sort()).toEqual(files);
	});
});
