// Test helpers: accounts made the way the portal makes them. Not part of the portal.
import type { Executor } from '../db';
import { hashPassword } from './password';
import { findUserById, insertUser, type Role, type User } from './users';

/** The password of test accounts unless a test names another. */
export const TEST_PASSWORD = 'trois pommes vertes au marché';

// Hashing is slow on purpose: each password is hashed once per test file.
const hashes = new Map<string, Promise<string>>();

function hashOnce(password: string): Promise<string> {
	let hash = hashes.get(password);
	if (!hash) {
		hash = hashPassword(password);
		hashes.set(password, hash);
	}
	return hash;
}

/**
 * An account of the organisation `organisation` (its slug), or of none; with `TEST_PASSWORD`
 * unless told otherwise (`null`: an account that has not chosen one yet).
 */
export async function createTestUser(
	db: Executor,
	account: {
		email: string;
		name: string;
		role: Role;
		organisation?: string | null;
		password?: string | null;
	}
): Promise<User> {
	const { organisation = null, password = TEST_PASSWORD } = account;
	const org = organisation
		? await db
				.selectFrom('organisation')
				.select('id')
				.where('slug', '=', organisation)
				.executeTakeFirstOrThrow()
		: null;
	const id = await insertUser(db, {
		email: account.email,
		name: account.name,
		role: account.role,
		organisationId: org?.id ?? null,
		passwordHash: password === null ? null : await hashOnce(password)
	});
	return (await findUserById(db, id))!;
}
