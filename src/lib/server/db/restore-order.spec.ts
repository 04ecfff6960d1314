import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordAudit } from '../audit/repository';
import { createTestUser, PEOPLE } from '../auth/testing';
import { markCancelled } from '../mail/outbox-repository';
import { openDatabase, type Db } from './index';
import { migrateToLatest } from './migrate';
import { restoreDatabase } from './restore';
import { backUp, scratchDir } from './testing';

// Hostile probe s47: what a restore carries without a date (an invitation closed, a message
// cancelled, a message being handed over) left the restored copy as old as the backup; a newer
// backup restored on top then took it for the older database and gave back an open invitation and
// two waiting messages. Restoring the newer backup directly kept all three.

const T0 = Date.now();
const T1 = T0 + 60_000;
const T2 = T0 + 120_000;

async function withDb<T>(file: string, act: (db: Db) => Promise<T>): Promise<T> {
	const db = openDatabase(file);
	try {
		return await act(db);
	} finally {
		await db.destroy();
	}
}

/**
 * The probe's history: at T0 an invitation and two waiting messages, backup B1; a journal line at
 * T1, backup B5; then in the live database at T2 what `since` says (the invitation revoked with
 * its journal line, the messages cancelled and being handed over).
 */
async function history(dir: string, since: { invitation: boolean; messages: boolean }) {
	const live = join(dir, 'portail.db');
	const first = join(dir, 'B1.db');
	const second = join(dir, 'B5.db');
	const admin = await withDb(live, async (db) => {
		await migrateToLatest(db);
		const admin = await createTestUser(db, PEOPLE.admin);
		const invited = await createTestUser(db, PEOPLE.claude);
		await db
			.insertInto('invitation')
			.values({
				id: 'invX',
				secret_hash: new Uint8Array(32),
				user_id: invited.id,
				created_by: admin.id,
				created_at: T0,
				expires_at: T0 + 7 * 86_400_000,
				used_at: null
			})
			.execute();
		await db
			.insertInto('mail_outbox')
			.values(
				['m1', 'm2'].map((id) => ({
					message_id: id,
					kind: 'validation',
					recipient: PEOPLE.claude.email,
					subject: 'Sujet',
					text_body: 'Texte',
					html_body: '<p>Texte</p>',
					status: 'pending' as const,
					next_attempt_at: T0,
					created_at: T0
				}))
			)
			.execute();
		return admin;
	});
	backUp(live, first);
	await withDb(live, (db) =>
		recordAudit(
			db,
			{
				actor: admin,
				action: 'login.success',
				target: { type: 'compte', id: admin.id },
				summary: 'Connexion'
			},
			new Date(T1)
		)
	);
	backUp(live, second);
	await withDb(live, async (db) => {
		if (since.invitation) {
			await db.updateTable('invitation').set({ used_at: T2 }).where('id', '=', 'invX').execute();
			await recordAudit(
				db,
				{
					actor: admin,
					action: 'account.invitation_revoked',
					target: { type: 'compte', id: admin.id },
					summary: 'Invitation révoquée'
				},
				new Date(T2)
			);
		}
		if (since.messages) {
			await db
				.updateTable('mail_outbox')
				.set({ status: 'cancelled', last_error: 'Annulé' })
				.where('message_id', '=', 'm1')
				.execute();
			await db
				.updateTable('mail_outbox')
				.set({ status: 'sending' })
				.where('message_id', '=', 'm2')
				.execute();
		}
	});
	return { live, first, second };
}

/** The invitation's and the messages' state in `file`. */
function state(file: string) {
	return withDb(file, async (db) => ({
		invitationUsedAt: (
			await db
				.selectFrom('invitation')
				.select('used_at')
				.where('id', '=', 'invX')
				.executeTakeFirstOrThrow()
		).used_at,
		messages: await db
			.selectFrom('mail_outbox')
			.select(['message_id', 'status'])
			.orderBy('message_id')
			.execute()
	}));
}

const CASES = [
	{ what: 'an invitation revoked and two messages stopped', invitation: true, messages: true },
	{ what: 'an invitation revoked', invitation: true, messages: false },
	{ what: 'two messages stopped, nothing else written', invitation: false, messages: true }
];

describe('restoring the older backup first, then the newer one', () => {
	for (const since of CASES)
		it(`keeps what it carried the first time: ${since.what}`, async () => {
			const expected = {
				invitationUsedAt: since.invitation ? T2 : null,
				messages: [
					{ message_id: 'm1', status: since.messages ? 'cancelled' : 'pending' },
					{ message_id: 'm2', status: since.messages ? 'interrupted' : 'pending' }
				]
			};
			// The newer backup restored directly: the reference.
			const direct = await history(scratchDir('restauration-directe'), since);
			expect(restoreDatabase(direct.second, direct.live).replacedOlder).toBe(false);
			expect(await state(direct.live)).toEqual(expected);

			const { live, first, second } = await history(scratchDir('restauration-ordre'), since);
			restoreDatabase(first, live);
			expect(await state(live)).toEqual(expected);
			expect(restoreDatabase(second, live).replacedOlder).toBe(false);
			expect(await state(live)).toEqual(expected);
		});
});

// Left noticed s47: a message's stop was dated by its `next_attempt_at`, which for a message
// cancelled while its retry was still to come is a moment in the future: a database that wrote
// nothing since took that moment for its last write, and looked newer than a backup written after
// it (what it said happened « since » was then carried into that newer backup).

const RETRY = T0 + 86_400_000;

describe('a message cancelled while its retry is still to come', () => {
	it('is dated by its cancellation, not by the retry it will never make', async () => {
		const dir = scratchDir('restauration-arret');
		// The database in place: a message waiting for a retry tomorrow, cancelled at T0.
		const replaced = join(dir, 'portail.db');
		await withDb(replaced, async (db) => {
			await migrateToLatest(db);
			const { id } = await db
				.insertInto('mail_outbox')
				.values({
					message_id: 'm1',
					kind: 'validation',
					recipient: PEOPLE.claude.email,
					subject: 'Sujet',
					text_body: 'Texte',
					html_body: '<p>Texte</p>',
					status: 'sending',
					next_attempt_at: RETRY,
					created_at: T0
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			await markCancelled(db, id, 'Non envoyé : lien expiré.', T0);
			const row = await db
				.selectFrom('mail_outbox')
				.select(['status', 'stopped_at'])
				.where('id', '=', id)
				.executeTakeFirstOrThrow();
			expect(row).toEqual({ status: 'cancelled', stopped_at: T0 });
		});
		// A backup written after it, at T1 (before the retry's moment).
		const backup = join(dir, 'sauvegarde.db');
		await withDb(backup, async (db) => {
			await migrateToLatest(db);
			const admin = await createTestUser(db, PEOPLE.admin);
			await recordAudit(
				db,
				{
					actor: admin,
					action: 'login.success',
					target: { type: 'compte', id: admin.id },
					summary: 'Connexion'
				},
				new Date(T1)
			);
		});
		expect(restoreDatabase(backup, replaced).replacedOlder).toBe(true);
	});
});
