import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordAudit } from '../audit/repository';
import { setAccountDisabled } from '../auth/service';
import { createTestUser, PEOPLE } from '../auth/testing';
import { findPreferences } from '../mail/preferences-repository';
import { updateMailPreferences } from '../mail/preferences';
import { restoreDatabase } from './restore';
import { fiveAsStored, fiveChangedAndDisabled, twoAdmins, withDb } from './restore-testing';
import { backUp, scratchDir } from './testing';

const ALL_ON = { reminders: true, validations: true, commission: true };

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
		const { other, five } = await twoAdmins(db);
		await db
			.insertInto('organisation')
			.values({ slug: 'cdg46', name: 'CDG 46', full_name: null, kind: 'epci' })
			.execute();
		const member = await createTestUser(db, PEOPLE.claude);
		const partner = await createTestUser(db, PEOPLE.paul);
		await updateMailPreferences(
			db,
			member,
			{ preferences: { ...ALL_ON, commission: false }, shown: null },
			null
		);
		expect((await setAccountDisabled(db, other, partner.id, true, null)).ok).toBe(true);
		return { other, five, member, partner };
	});
	backUp(live, older);
	await withDb(live, async (db) => {
		await fiveChangedAndDisabled(db, ids);
		await updateMailPreferences(db, ids.member, { preferences: ALL_ON, shown: null }, null);
		expect((await setAccountDisabled(db, ids.other, ids.partner.id, false, null)).ok).toBe(true);
	});
	backUp(live, newer);
	return { older, newer, ...ids };
}

/** Account five, the member's preferences and the partner in the restored database at `file`. */
async function whatCameBack(file: string, ids: { five: number; member: { id: number } }) {
	return withDb(file, async (db) => {
		const partner = await db
			.selectFrom('user_account')
			.select('disabled_at')
			.where('email', '=', PEOPLE.paul.email)
			.executeTakeFirstOrThrow();
		return {
			five: await fiveAsStored(db, ids.five),
			memberPreferences: await findPreferences(db, ids.member.id),
			partnerDisabled: partner.disabled_at !== null
		};
	});
}

const NEWER_STANDS = {
	five: { disabled: true, p1: false, p2: true },
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
