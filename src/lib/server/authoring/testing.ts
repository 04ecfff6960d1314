import { findUserById, insertUser, type User } from '../auth/users';
import type { Db } from '../db';
import { findFicheState } from './repository';
import { retireFiche } from './service';

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

/** Abandons `code` through the plan's own form (« Projet repris par la Région »): its result. */
export async function abandonFiche(db: Db, admin: User, code: string) {
	const state = (await findFicheState(db, code))!;
	return retireFiche(
		db,
		admin,
		code,
		{ version: state.version, reason: 'Projet repris par la Région', decisionId: null },
		null
	);
}
