import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { recordAudit } from '../audit/repository';
import { createTestUser, PEOPLE } from '../auth/testing';
import { findPreferences, savePreferences } from '../mail/preferences-repository';
import { openDatabase, type Db } from './index';
import { migrateToLatest, portalMigrator } from './migrate';
import { restoreDatabase } from './restore';
import { backUp, scratchDir } from './testing';

const NOW = Date.UTC(2026, 11, 5, 9, 0);
const ALL_ON = { reminders: true, validations: true, commission: true };

/** Writes into `file`'s outbox a message waiting for each id, the first with a one-time link. */
function addWaiting(file: string, ids: string[]): void {
	const raw = new SQLite(file);
	try {
		for (const [i, id] of ids.entries())
			raw
				.prepare(
					`INSERT INTO mail_outbox (message_id, kind, recipient, subject, text_body, html_body, status, next_attempt_at, created_at, one_time_link)
					 VALUES (?, 'invitation', 'partenaire@sdusn.test', 'Sujet', 'Texte', '<p>Texte</p>', 'pending', ?, ?, ?)`
				)
				.run(id, NOW, NOW, i === 0 ? 'https://sdusn.test/invitation/x' : null);
	} finally {
		raw.close();
	}
}

function setOutbox(file: string, id: string, status: string, error: string): void {
	const raw = new SQLite(file);
	try {
		raw
			.prepare(
				'UPDATE mail_outbox SET status = ?, last_error = ?, one_time_link = NULL WHERE message_id = ?'
			)
			.run(status, error, id);
	} finally {
		raw.close();
	}
}

function outboxOf(file: string) {
	const raw = new SQLite(file, { readonly: true });
	try {
		return raw
			.prepare(
				'SELECT message_id AS id, status, last_error AS error, one_time_link AS link FROM mail_outbox ORDER BY message_id'
			)
			.all();
	} finally {
		raw.close();
	}
}

/**
 * Enables the account again, with `changes` (another role or organisation), and journals it as
 * /admin/utilisateurs does: the journal's line is what says the replaced database enabled it after
 * the backup disabled it.
 */
async function enableAgain(
	db: Db,
	userId: number,
	changes: { role?: 'commission'; organisation_id?: number } = {}
): Promise<void> {
	await db
		.updateTable('user_account')
		.set({ disabled_at: null, ...changes })
		.where('id', '=', userId)
		.execute();
	await recordAudit(
		db,
		{
			actor: null,
			actorLabel: 'Anne Admin',
			action: 'account.enabled',
			target: { type: 'compte', id: userId },
			summary: 'Compte réactivé'
		},
		// After the backup disabled it (2026-12-01), whatever the machine's clock says.
		new Date('2026-12-02T10:00:00.000Z')
	);
}

const GIVEN_UP = 'Abandonné : le serveur de courrier n’a pas répondu pendant 3 jours.';
const REFUSED = '550 5.1.1 destinataire inconnu';
const CANCELLED = 'Non envoyé : destinataire désabonné.';

// Hostile probe s45: a restore brought back the backup's mail preferences (an opt-out since, the
// one-click unsubscribe included, was undone) and sent the messages the replaced database had given
// up, refused or cancelled; an account enabled again since was disabled again.
describe('restoring a backup: what the replaced database says of mail and accounts since', () => {
	it('keeps opt-outs, messages that will not leave, and accounts enabled again', async () => {
		const dir = scratchDir('restauration-depuis');
		const target = join(dir, 'sdusn.db');
		const db = openDatabase(target);
		await migrateToLatest(db);
		const admin = await createTestUser(db, PEOPLE.admin);
		const member = await createTestUser(db, PEOPLE.claude);
		await db
			.updateTable('user_account')
			.set({ disabled_at: '2026-12-01T10:00:00.000Z' })
			.where('id', '=', member.id)
			.execute();
		await db.destroy();
		addWaiting(target, [
			'<m1@sdusn.test>',
			'<m2@sdusn.test>',
			'<m3@sdusn.test>',
			'<m4@sdusn.test>'
		]);
		const backup = join(dir, 'sauvegarde.db');
		backUp(target, backup);

		const current = openDatabase(target);
		// The one-click unsubscribe (RFC 8058) and /compte write the same row.
		await savePreferences(current, admin.id, { ...ALL_ON, commission: false }, NOW + 1000);
		await enableAgain(current, member.id);
		await current.destroy();
		setOutbox(target, '<m1@sdusn.test>', 'failed', GIVEN_UP);
		setOutbox(target, '<m2@sdusn.test>', 'failed', REFUSED);
		setOutbox(target, '<m3@sdusn.test>', 'cancelled', CANCELLED);

		expect(restoreDatabase(backup, target)).toMatchObject({
			preferencesKept: 1,
			stoppedKept: 3,
			accountsEnabled: 1,
			accountsDisabled: 0
		});
		expect(outboxOf(target)).toEqual([
			{ id: '<m1@sdusn.test>', status: 'failed', error: GIVEN_UP, link: null },
			{ id: '<m2@sdusn.test>', status: 'failed', error: REFUSED, link: null },
			{ id: '<m3@sdusn.test>', status: 'cancelled', error: CANCELLED, link: null },
			// Nothing said of it since: it still leaves.
			{ id: '<m4@sdusn.test>', status: 'pending', error: null, link: null }
		]);
		const restored = openDatabase(target);
		try {
			expect(await findPreferences(restored, admin.id)).toEqual({ ...ALL_ON, commission: false });
			expect(await findPreferences(restored, member.id)).toEqual(ALL_ON);
			const enabled = await restored
				.selectFrom('user_account')
				.select('disabled_at')
				.where('id', '=', member.id)
				.executeTakeFirstOrThrow();
			expect(enabled.disabled_at).toBeNull();
		} finally {
			await restored.destroy();
		}
	});

	// Read-back s45: an admin disabled in the backup, enabled again since as a commission member
	// only, came back an enabled admin (the role is the backup's).
	it('leaves disabled an account enabled again since with another role or organisation', async () => {
		const dir = scratchDir('restauration-depuis');
		const target = join(dir, 'sdusn.db');
		const db = openDatabase(target);
		await migrateToLatest(db);
		await db
			.insertInto('organisation')
			.values([
				{ slug: 'cdg46', name: 'CDG 46', full_name: null, kind: 'epci' },
				{ slug: 'sdail', name: 'SDAIL', full_name: null, kind: 'epci' }
			])
			.execute();
		const admin = await createTestUser(db, PEOPLE.admin);
		const partner = await createTestUser(db, PEOPLE.paul);
		const other = await db
			.selectFrom('organisation')
			.select('id')
			.where('slug', '=', 'sdail')
			.executeTakeFirstOrThrow();
		await db
			.updateTable('user_account')
			.set({ disabled_at: '2026-12-01T10:00:00.000Z' })
			.where('id', 'in', [admin.id, partner.id])
			.execute();
		await db.destroy();
		const backup = join(dir, 'sauvegarde.db');
		backUp(target, backup);

		const current = openDatabase(target);
		await enableAgain(current, admin.id, { role: 'commission' });
		await enableAgain(current, partner.id, { organisation_id: other.id });
		await current.destroy();

		expect(restoreDatabase(backup, target)).toMatchObject({
			accountsEnabled: 0,
			accountsLeftDisabled: 2
		});
		const restored = openDatabase(target);
		try {
			expect(
				await restored
					.selectFrom('user_account')
					.select(['role', 'disabled_at'])
					.where('id', 'in', [admin.id, partner.id])
					.orderBy('id')
					.execute()
			).toEqual([
				{ role: 'admin', disabled_at: '2026-12-01T10:00:00.000Z' },
				{ role: 'partenaire', disabled_at: '2026-12-01T10:00:00.000Z' }
			]);
		} finally {
			await restored.destroy();
		}
	});

	it('marks failed, in a backup older than the cancelled status, a message cancelled since', async () => {
		const dir = scratchDir('restauration-depuis');
		const target = join(dir, 'sdusn.db');
		const db = openDatabase(target);
		await migrateToLatest(db);
		await db.destroy();
		addWaiting(target, ['<m1@sdusn.test>']);
		const backup = join(dir, 'ancienne.db');
		backUp(target, backup);
		const old = openDatabase(backup);
		await portalMigrator(old).migrateTo('2026_12_07_100000_mail_link_expiry');
		await old.destroy();
		setOutbox(target, '<m1@sdusn.test>', 'cancelled', CANCELLED);

		expect(restoreDatabase(backup, target).stoppedKept).toBe(1);
		expect(outboxOf(target)).toEqual([
			{ id: '<m1@sdusn.test>', status: 'failed', error: CANCELLED, link: null }
		]);
	});
});
