import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordAudit } from '../audit/repository';
import { createTestUser, PEOPLE } from '../auth/testing';
import { markCancelled } from '../mail/outbox-repository';
import { openDatabase, type Db } from './index';
import { migrateToLatest } from './migrate';
import { restoreDatabase } from './restore';
import { scratchDir } from './testing';

// Left noticed s47: a message's stop was dated by its `next_attempt_at`, which for a message
// cancelled while its retry was still to come is a moment in the future: a database that wrote
// nothing since took that moment for its last write, and looked newer than a backup written after
// it (what it said happened « since » was then carried into that newer backup).

const T0 = Date.now();
const T1 = T0 + 60_000;
const RETRY = T0 + 86_400_000;

async function withDb<T>(file: string, act: (db: Db) => Promise<T>): Promise<T> {
	const db = openDatabase(file);
	try {
		return await act(db);
	} finally {
		await db.destroy();
	}
}

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
