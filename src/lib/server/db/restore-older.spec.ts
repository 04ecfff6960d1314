import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordAudit } from '../audit/repository';
import { hashPassword, verifyPassword } from '../auth/password';
import { changePassword, createAccountWithPassword, setAccountDisabled } from '../auth/service';
import { createSession } from '../auth/sessions';
import { createTestUser, PEOPLE } from '../auth/testing';
import { findUserById } from '../auth/users';
import { findPreferences } from '../mail/preferences-repository';
import { updateMailPreferences } from '../mail/preferences';
import { openDatabase, type Db } from './index';
import { migrateToLatest } from './migrate';
import { restoreDatabase } from './restore';
import { backUp, scratchDir } from './testing';

const P1 = 'une première phrase pour le compte cinq';
const P2 = 'une seconde phrase choisie depuis le compte';
const ALL_ON = { reminders: true, validations: true, commission: true };

async function withDb<T>(file: string, act: (db: Db) => Promise<T>): Promise<T> {
	const db = openDatabase(file);
	try {
		return await act(db);
	} finally {
		await db.destroy();
	}
}

/**
 * The probe's history, on one portal: an admin made by `user:create` (password P1), an account
 * opted out of the commission's mail, a partner disabled; then the backup M. Since M: the admin
 * changed its password to P2 at /compte and was disabled by another admin, the account subscribed
 * to everything again, the partner was enabled again; then the backup T.
 */
async function olderAndNewer(dir: string) {
	const live = join(dir, 'portail.db');
	const older = join(dir, 'M.db');
	const newer = join(dir, 'T.db');
	const ids = await withDb(live, async (db) => {
		await migrateToLatest(db);
		await db
			.insertInto('organisation')
			.values({ slug: 'cdg46', name: 'CDG 46', full_name: null, kind: 'epci' })
			.execute();
		const other = await createTestUser(db, PEOPLE.admin);
		const made = await createAccountWithPassword(
			db,
			{ email: 'cinq@lot.fr', name: 'Cinq Admin', role: 'admin', organisation: '' },
			await hashPassword(P1),
			'en ligne de commande',
			'commande user:create'
		);
		if (!made.ok) throw new Error('compte non créé');
		const member = await createTestUser(db, PEOPLE.claude);
		const partner = await createTestUser(db, PEOPLE.paul);
		await updateMailPreferences(
			db,
			member,
			{ preferences: { ...ALL_ON, commission: false }, shown: null },
			null
		);
		expect((await setAccountDisabled(db, other, partner.id, true, null)).ok).toBe(true);
		return { other, five: made.value.userId, member, partner };
	});
	backUp(live, older);
	await withDb(live, async (db) => {
		const five = (await findUserById(db, ids.five))!;
		const { session } = await createSession(db, five.id, Date.now());
		expect((await changePassword(db, five, session.id, { current: P1, next: P2 }, null)).ok).toBe(
			true
		);
		expect((await setAccountDisabled(db, ids.other, five.id, true, null)).ok).toBe(true);
		await updateMailPreferences(db, ids.member, { preferences: ALL_ON, shown: null }, null);
		expect((await setAccountDisabled(db, ids.other, ids.partner.id, false, null)).ok).toBe(true);
	});
	backUp(live, newer);
	return { older, newer, ...ids };
}

/** Account five, the member's preferences and the partner in the restored database at `file`. */
async function whatCameBack(file: string, ids: { five: number; member: { id: number } }) {
	return withDb(file, async (db) => {
		const five = await db
			.selectFrom('user_account')
			.select(['disabled_at', 'password_hash'])
			.where('id', '=', ids.five)
			.executeTakeFirstOrThrow();
		const partner = await db
			.selectFrom('user_account')
			.select('disabled_at')
			.where('email', '=', PEOPLE.paul.email)
			.executeTakeFirstOrThrow();
		return {
			fiveDisabled: five.disabled_at !== null,
			fiveP2: await verifyPassword(five.password_hash!, P2),
			fiveP1: await verifyPassword(five.password_hash!, P1),
			memberPreferences: await findPreferences(db, ids.member.id),
			partnerDisabled: partner.disabled_at !== null
		};
	});
}

const NEWER_STANDS = {
	fiveDisabled: true,
	fiveP2: true,
	fiveP1: false,
	memberPreferences: ALL_ON,
	partnerDisabled: false
};

// Hostile probe s46: an older backup restored first (lost disk, new server), then a newer one on
// top: the replaced database, older than the backup, gave back a disabled admin enabled and with
// its old password, and an old opt-out, and the command said so as news since the backup.
describe('restoring a backup over an older database', () => {
	it('carries nothing from a replaced database older than the backup, and says so', async () => {
		const dir = scratchDir('restauration-plus-ancienne');
		const history = await olderAndNewer(dir);
		const target = join(dir, 'nouveau-serveur.db');
		expect(restoreDatabase(history.older, target).aside).toBeNull();

		expect(restoreDatabase(history.newer, target)).toMatchObject({
			replacedOlder: true,
			accountsEnabled: 0,
			accountsDisabled: 0,
			passwordsKept: 0,
			preferencesKept: 0
		});
		expect(await whatCameBack(target, history)).toEqual(NEWER_STANDS);
	});

	// The same, the new server having run a while on the older backup (someone signed in): the
	// replaced database is the newer copy, but what it says of these accounts is older.
	it('keeps each fact of a newer replaced database only when it is newer than the backup’s', async () => {
		const dir = scratchDir('restauration-plus-ancienne');
		const history = await olderAndNewer(dir);
		const target = join(dir, 'nouveau-serveur.db');
		restoreDatabase(history.older, target);
		await withDb(target, async (db) => {
			// A sign-in on the new server: its journal's last line is newer than the backup's.
			await recordAudit(
				db,
				{
					actor: history.other,
					action: 'login.success',
					target: { type: 'compte', id: history.other.id },
					summary: `Connexion de ${history.other.email}`
				},
				new Date(Date.now() + 60_000)
			);
		});

		expect(restoreDatabase(history.newer, target)).toMatchObject({
			replacedOlder: false,
			accountsEnabled: 0,
			accountsDisabled: 0,
			passwordsKept: 0,
			preferencesKept: 0
		});
		expect(await whatCameBack(target, history)).toEqual(NEWER_STANDS);
	});
});
