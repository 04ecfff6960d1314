import type { Kysely, Transaction } from 'kysely';
import type { Database, Role } from '../db/schema';

type Executor = Kysely<Database> | Transaction<Database>;

export type { Role };

/** What the application knows of a signed-in person; never the password hash. */
export interface User {
	id: number;
	email: string;
	name: string;
	role: Role;
	organisationId: number | null;
	organisationName: string | null;
	organisationSlug: string | null;
	disabled: boolean;
}

/** The only user columns any query may select (the password hash is read by login alone). */
export const USER_COLUMNS = [
	'user_account.id',
	'user_account.email',
	'user_account.name',
	'user_account.role',
	'user_account.organisation_id',
	'user_account.disabled_at',
	'organisation.name as organisation_name',
	'organisation.slug as organisation_slug'
] as const;

export function userQuery(db: Executor) {
	return db
		.selectFrom('user_account')
		.leftJoin('organisation', 'organisation.id', 'user_account.organisation_id')
		.select(USER_COLUMNS);
}

type UserRow = Awaited<ReturnType<ReturnType<typeof userQuery>['executeTakeFirstOrThrow']>>;

export function toUser(row: UserRow): User {
	return {
		id: row.id,
		email: row.email,
		name: row.name,
		role: row.role,
		organisationId: row.organisation_id,
		organisationName: row.organisation_name,
		organisationSlug: row.organisation_slug,
		disabled: row.disabled_at !== null
	};
}

export function normaliseEmail(email: string): string {
	return email.trim().toLowerCase();
}

export async function findUserById(db: Executor, id: number): Promise<User | undefined> {
	const row = await userQuery(db).where('user_account.id', '=', id).executeTakeFirst();
	return row ? toUser(row) : undefined;
}

export async function findUserByEmail(db: Executor, email: string): Promise<User | undefined> {
	const row = await userQuery(db)
		.where('user_account.email', '=', normaliseEmail(email))
		.executeTakeFirst();
	return row ? toUser(row) : undefined;
}

/** For login only: the account and its password hash. */
export async function findCredentials(
	db: Executor,
	email: string
): Promise<{ user: User; passwordHash: string | null } | undefined> {
	const row = await userQuery(db)
		.select('user_account.password_hash')
		.where('user_account.email', '=', normaliseEmail(email))
		.executeTakeFirst();
	return row ? { user: toUser(row), passwordHash: row.password_hash } : undefined;
}

export async function findPasswordHash(db: Executor, userId: number): Promise<string | null> {
	const row = await db
		.selectFrom('user_account')
		.select('password_hash')
		.where('id', '=', userId)
		.executeTakeFirst();
	return row?.password_hash ?? null;
}

export async function insertUser(
	db: Executor,
	values: {
		email: string;
		name: string;
		role: Role;
		organisationId: number | null;
		passwordHash: string | null;
	},
	now = new Date()
): Promise<number> {
	const stamp = now.toISOString();
	const { id } = await db
		.insertInto('user_account')
		.values({
			email: normaliseEmail(values.email),
			name: values.name.trim(),
			role: values.role,
			organisation_id: values.role === 'partenaire' ? values.organisationId : null,
			password_hash: values.passwordHash,
			disabled_at: null,
			created_at: stamp,
			updated_at: stamp
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return id;
}

export async function setPasswordHash(
	db: Executor,
	userId: number,
	passwordHash: string,
	now = new Date()
): Promise<void> {
	await db
		.updateTable('user_account')
		.set({ password_hash: passwordHash, updated_at: now.toISOString() })
		.where('id', '=', userId)
		.execute();
}

export async function setDisabled(
	db: Executor,
	userId: number,
	disabled: boolean,
	now = new Date()
): Promise<void> {
	await db
		.updateTable('user_account')
		.set({ disabled_at: disabled ? now.toISOString() : null, updated_at: now.toISOString() })
		.where('id', '=', userId)
		.execute();
}

export async function listUsers(
	db: Executor
): Promise<(User & { hasPassword: boolean; createdAt: string })[]> {
	const rows = await userQuery(db)
		.select([
			'user_account.created_at',
			(eb) => eb('user_account.password_hash', 'is not', null).as('has_password')
		])
		.orderBy('user_account.name')
		.execute();
	return rows.map((r) => ({
		...toUser(r),
		hasPassword: Boolean(r.has_password),
		createdAt: r.created_at
	}));
}

export async function findOrganisationIdByNameOrSlug(
	db: Executor,
	nameOrSlug: string
): Promise<number | undefined> {
	const value = nameOrSlug.trim();
	const row = await db
		.selectFrom('organisation')
		.select('id')
		.where((eb) =>
			eb.or([
				eb('slug', '=', value.toLowerCase()),
				eb(eb.fn('lower', ['name']), '=', value.toLowerCase())
			])
		)
		.executeTakeFirst();
	return row?.id;
}
