// Test helpers: accounts made the way the portal makes them. Not part of the portal.
import type { Executor } from '../db';
import { hashPassword } from './password';
import { findUserById, insertUser, setDisabled, type Role, type User } from './users';

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

type TestAccount = {
	email: string;
	name: string;
	role: Role;
	organisation?: string | null;
	password?: string | null;
	/** Disabled by an admin at that moment (an ISO instant), as the accounts' page does. */
	disabledAt?: string;
};

/** The people of the specs: staff, partners of two organisations, a commission member. */
export const PEOPLE = {
	admin: { email: 'admin@lot.fr', name: 'Anne Admin', role: 'admin' },
	paul: {
		email: 'paul@cdg46.fr',
		name: 'Paul Partenaire',
		role: 'partenaire',
		organisation: 'cdg46'
	},
	chloe: {
		email: 'chloe@cdg46.fr',
		name: 'Chloé Collègue',
		role: 'partenaire',
		organisation: 'cdg46'
	},
	sam: { email: 'sam@sdail.fr', name: 'Sam Sdail', role: 'partenaire', organisation: 'sdail' },
	claude: { email: 'claude@commission.fr', name: 'Claude Commission', role: 'commission' }
} as const satisfies Record<string, TestAccount>;

/**
 * An account of the organisation `organisation` (its slug), or of none; with `TEST_PASSWORD`
 * unless told otherwise (`null`: an account that has not chosen one yet); disabled if `disabledAt`.
 */
export async function createTestUser(db: Executor, account: TestAccount): Promise<User> {
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
	if (account.disabledAt !== undefined)
		await setDisabled(db, id, true, new Date(account.disabledAt));
	return (await findUserById(db, id))!;
}
