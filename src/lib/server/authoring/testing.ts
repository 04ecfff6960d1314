import { findUserById, insertUser, type User } from '../auth/users';
import type { Db } from '../db';

/** The admin who edits the plan in this folder's tests. */
export async function insertAdmin(db: Db): Promise<User> {
	const id = await insertUser(db, {
		email: 'camille@lot-numerique.fr',
		name: 'Camille Admin',
		role: 'admin',
		organisationId: null,
		passwordHash: null
	});
	return (await findUserById(db, id))!;
}
