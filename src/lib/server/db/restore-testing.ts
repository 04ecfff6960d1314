// Test helpers of the restore specs: a database file opened for a while, and the probe's admin
// « cinq » made by user:create, whose password leaked, was changed and whose account was disabled.
// Not part of the portal.
import { hashPassword, verifyPassword } from '../auth/password';
import { changePassword, createAccountWithPassword, setAccountDisabled } from '../auth/service';
import { createSession } from '../auth/sessions';
import { createTestUser, PEOPLE } from '../auth/testing';
import { findUserById, type User } from '../auth/users';
import { openDatabase, type Db } from './index';
import { migrateToLatest } from './migrate';

/** Account five's first password (given to user:create), and the one it chose since at /compte. */
const P1 = 'une première phrase pour le compte cinq';
const P2 = 'une seconde phrase choisie depuis le compte';

/** `act` on the database at `file`, closed after. */
export async function withDb<T>(file: string, act: (db: Db) => Promise<T>): Promise<T> {
	const db = openDatabase(file);
	try {
		return await act(db);
	} finally {
		await db.destroy();
	}
}

/**
 * Migrates `db` and makes its two admins: `other` (PEOPLE.admin) and « Cinq Admin », made by
 * `user:create` with P1 (`five`, its id).
 */
export async function twoAdmins(db: Db): Promise<{ other: User; five: number }> {
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
}

/** Account five changes its password from P1 to P2 at /compte, then `other` disables it. */
export async function fiveChangedAndDisabled(db: Db, ids: { other: User; five: number }) {
	const five = (await findUserById(db, ids.five))!;
	const { session } = await createSession(db, five.id, Date.now());
	const changed = await changePassword(db, five, session.id, { current: P1, next: P2 }, null);
	if (!changed.ok) throw new Error(changed.message);
	const disabled = await setAccountDisabled(db, ids.other, five.id, true, null);
	if (!disabled.ok) throw new Error(disabled.message);
}

/** Account five as `db` holds it: disabled or not, and which of P1 and P2 it takes. */
export async function fiveAsStored(db: Db, five: number) {
	const row = await db
		.selectFrom('user_account')
		.select(['disabled_at', 'password_hash'])
		.where('id', '=', five)
		.executeTakeFirstOrThrow();
	return {
		disabled: row.disabled_at !== null,
		p1: await verifyPassword(row.password_hash!, P1),
		p2: await verifyPassword(row.password_hash!, P2)
	};
}
