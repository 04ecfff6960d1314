import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordAudit } from '../audit/repository';
import { hashPassword, verifyPassword } from '../auth/password';
import { changePassword, createAccountWithPassword, setAccountDisabled } from '../auth/service';
import { createSession } from '../auth/sessions';
import { createTestUser, PEOPLE } from '../auth/testing';
import { findUserById } from '../auth/users';
import { openDatabase, type Db } from './index';
import { migrateToLatest } from './migrate';
import { restoreDatabase } from './restore';
import { backUp, scratchDir } from './testing';

// Read-back s46: the wrong (older) backup restored first carried the newer facts in without a
// date the next restore could see; the right backup restored on top then took the database for
// the older copy and carried nothing: a leaked admin, disabled since, came back enabled with the
// leaked password.

const P1 = 'une première phrase pour le compte cinq';
const P2 = 'une seconde phrase choisie depuis le compte';

async function withDb<T>(file: string, act: (db: Db) => Promise<T>): Promise<T> {
	const db = openDatabase(file);
	try {
		return await act(db);
	} finally {
		await db.destroy();
	}
}

describe('two restores, the older backup first', () => {
	it('keeps an admin disabled after both backups disabled, with its new password', async () => {
		const dir = scratchDir('deux-restaurations');
		const live = join(dir, 'portail.db');
		const first = join(dir, 'B1.db');
		const second = join(dir, 'B5.db');
		const ids = await withDb(live, async (db) => {
			await migrateToLatest(db);
			const other = await createTestUser(db, PEOPLE.admin);
			const made = await createAccountWithPassword(
				db,
				{ email: 'cinq@lot.fr', name: 'Cinq Admin', role: 'admin', organisation: '' },
				await hashPassword(P1),
				'en ligne de commande',
				'commande user:create'
			);
			if (!made.ok) throw new Error('compte non créé');
			return { other, five: made.value.userId };
		});
		backUp(live, first);
		await withDb(live, (db) =>
			recordAudit(
				db,
				{
					actor: ids.other,
					action: 'login.success',
					target: { type: 'compte', id: ids.other.id },
					summary: 'Connexion'
				},
				new Date()
			)
		);
		backUp(live, second);
		await new Promise((resolve) => setTimeout(resolve, 50));
		// After both backups: the password leaked, changed, and the account disabled.
		await withDb(live, async (db) => {
			const five = (await findUserById(db, ids.five))!;
			const { session } = await createSession(db, five.id, Date.now());
			const changed = await changePassword(db, five, session.id, { current: P1, next: P2 }, null);
			expect(changed.ok).toBe(true);
			expect((await setAccountDisabled(db, ids.other, five.id, true, null)).ok).toBe(true);
		});
		const state = () =>
			withDb(live, async (db) => {
				const row = await db
					.selectFrom('user_account')
					.select(['disabled_at', 'password_hash'])
					.where('id', '=', ids.five)
					.executeTakeFirstOrThrow();
				return {
					disabled: row.disabled_at !== null,
					newPassword: await verifyPassword(row.password_hash!, P2)
				};
			});
		restoreDatabase(first, live);
		expect(await state()).toEqual({ disabled: true, newPassword: true });
		restoreDatabase(second, live);
		expect(await state()).toEqual({ disabled: true, newPassword: true });
	});
});
