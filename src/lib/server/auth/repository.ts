import { foldForSearch, sortByName } from '../../utils/text';
import type { Executor } from '../db';
import { invitationRefusals } from '../mail/outbox-repository';
import type { Role, User } from './users';

/** An address as accounts are stored and looked up: trimmed, in lower case. */
export function normaliseEmail(email: string): string {
	return email.trim().toLowerCase();
}

// — Accounts —

/** The only user columns any query may select (the password hash is read by login alone). */
const USER_COLUMNS = [
	'user_account.id',
	'user_account.email',
	'user_account.name',
	'user_account.role',
	'user_account.organisation_id as organisationId',
	'user_account.disabled_at as disabledAt',
	'organisation.name as organisationName',
	'organisation.slug as organisationSlug'
] as const;

function userQuery(db: Executor) {
	return db
		.selectFrom('user_account')
		.leftJoin('organisation', 'organisation.id', 'user_account.organisation_id')
		.select(USER_COLUMNS);
}

type UserRow = Awaited<ReturnType<ReturnType<typeof userQuery>['executeTakeFirstOrThrow']>>;

/** The account alone (a row may carry more columns), `disabled` as a flag. */
function toUser(row: UserRow): User {
	const { id, email, name, role, organisationId, organisationName, organisationSlug } = row;
	return {
		id,
		email,
		name,
		role,
		organisationId,
		organisationName,
		organisationSlug,
		disabled: row.disabledAt !== null
	};
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
		.select('user_account.password_hash as passwordHash')
		.where('user_account.email', '=', normaliseEmail(email))
		.executeTakeFirst();
	return row ? { user: toUser(row), passwordHash: row.passwordHash } : undefined;
}

export async function findPasswordHash(db: Executor, userId: number): Promise<string | null> {
	const row = await db
		.selectFrom('user_account')
		.select('password_hash as passwordHash')
		.where('id', '=', userId)
		.executeTakeFirst();
	return row?.passwordHash ?? null;
}

/**
 * Whether the account still has this password hash and is not disabled: read again in the
 * transaction that acts on a password checked before it (a sign-in, a change), so that a password
 * changed or reset, or an account disabled, during the slow check is not acted on.
 */
export async function passwordStillValid(
	db: Executor,
	userId: number,
	passwordHash: string
): Promise<boolean> {
	const row = await db
		.selectFrom('user_account')
		.select('id')
		.where('id', '=', userId)
		.where('password_hash', '=', passwordHash)
		.where('disabled_at', 'is', null)
		.executeTakeFirst();
	return row !== undefined;
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

/**
 * Ends every unused one-time link of the account (invitations and password resets): a link sent
 * before the password changed, or before the account was disabled, must not set a password later.
 */
async function endOneTimeLinks(db: Executor, userId: number, now: Date): Promise<void> {
	for (const table of ['invitation', 'password_reset'] as const)
		await db
			.updateTable(table)
			.set({ used_at: now.getTime() })
			.where('user_id', '=', userId)
			.where('used_at', 'is', null)
			.execute();
}

/** A new password (changed, reset or first chosen); the account's other one-time links end. */
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
	await endOneTimeLinks(db, userId, now);
}

/**
 * Disables (its one-time links end) or enables the account; false when it already was (another
 * admin did it meanwhile): the condition is in the UPDATE, so two admins cannot both do it.
 */
export async function setDisabled(
	db: Executor,
	userId: number,
	disabled: boolean,
	now = new Date()
): Promise<boolean> {
	const result = await db
		.updateTable('user_account')
		.set({ disabled_at: disabled ? now.toISOString() : null, updated_at: now.toISOString() })
		.where('id', '=', userId)
		.where('disabled_at', disabled ? 'is' : 'is not', null)
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) !== 1) return false;
	if (disabled) await endOneTimeLinks(db, userId, now);
	return true;
}

/**
 * Gives the account another role and organisation (a partner's alone); false when its role or
 * organisation is no longer `expected` (another admin changed them meanwhile): the condition is in
 * the UPDATE, so two admins cannot both change it from what they saw.
 */
export async function setRole(
	db: Executor,
	userId: number,
	change: { role: Role; organisationId: number | null },
	expected: { role: Role; organisationId: number | null },
	now = new Date()
): Promise<boolean> {
	const result = await db
		.updateTable('user_account')
		.set({
			role: change.role,
			organisation_id: change.organisationId,
			updated_at: now.toISOString()
		})
		.where('id', '=', userId)
		.where('role', '=', expected.role)
		.where('organisation_id', 'is', expected.organisationId)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/**
 * Every account, with whether it has a password, until when its invitation link still opens (null
 * when none is unused and unexpired: never sent, used, revoked or expired), and whether the relay
 * refused its latest invitation message (invitationRefusals).
 */
export async function listUsers(
	db: Executor,
	now = Date.now()
): Promise<
	(User & {
		hasPassword: boolean;
		createdAt: string;
		invitationUntil: number | null;
		invitationRefused: boolean;
	})[]
> {
	const rows = await userQuery(db)
		.leftJoin(invitationRefusals(db).as('refused'), 'refused.userId', 'user_account.id')
		.select([
			'user_account.created_at as createdAt',
			'refused.userId as refusedId',
			(eb) => eb('user_account.password_hash', 'is not', null).as('hasPassword'),
			(eb) =>
				eb
					.selectFrom('invitation')
					.select((i) => i.fn.max('invitation.expires_at').as('until'))
					.whereRef('invitation.user_id', '=', 'user_account.id')
					.where('invitation.used_at', 'is', null)
					.where('invitation.expires_at', '>', now)
					.as('invitationUntil')
		])
		.execute()
		.then(sortByName);
	return rows.map((r) => ({
		...toUser(r),
		hasPassword: Boolean(r.hasPassword),
		createdAt: r.createdAt,
		invitationUntil: r.invitationUntil === null ? null : Number(r.invitationUntil),
		invitationRefused: r.refusedId !== null
	}));
}

/**
 * The organisations that take new partners (not retired or merged), by default; with `retired`,
 * those retired or merged instead, to tell « retirée » from « inconnue ».
 */
function organisationsIn(db: Executor, retired: boolean) {
	return db
		.selectFrom('organisation')
		.select('id')
		.where('retired_at', retired ? 'is not' : 'is', null);
}

/** The organisation of those (`retired` or not) whose slug is `slug` exactly. */
async function findOrganisationIdBySlug(
	db: Executor,
	slug: string,
	retired: boolean
): Promise<number | undefined> {
	const row = await organisationsIn(db, retired).where('slug', '=', slug.trim()).executeTakeFirst();
	return row?.id;
}

/**
 * The active organisation named by `nameOrSlug` (the forms post its identifier; a command line may
 * type its name): its identifier exactly as given first (one organisation's name may be another's
 * identifier: the identifier wins), else its name compared folded (case and accents: SQLite's
 * lower() knows only A to Z, « État » was not found), else its identifier in small letters
 * (« CDG46 »). A name that two organisations share once folded finds none. The identifier in
 * small letters comes last: a name written as another's identifier in capitals (« Lot-Numerique »
 * beside lot-numerique) finds the organisation of that name, not the other. With `retired`, the
 * same among the organisations retired or merged (which take no new partner: a refusal says so).
 */
export async function findOrganisationIdByNameOrSlug(
	db: Executor,
	nameOrSlug: string,
	{ retired = false } = {}
): Promise<number | undefined> {
	const typed = nameOrSlug.trim();
	const exact = await findOrganisationIdBySlug(db, typed, retired);
	if (exact !== undefined) return exact;
	const byName = await organisationsIn(db, retired)
		.where((eb) => eb(eb.fn('fold_for_search', ['name']), '=', foldForSearch(typed)))
		.limit(2)
		.execute();
	if (byName.length > 0) return byName.length === 1 ? byName[0]!.id : undefined;
	return findOrganisationIdBySlug(db, typed.toLowerCase(), retired);
}

// — Sessions —

export async function insertSession(
	db: Executor,
	session: {
		id: string;
		secretHash: Uint8Array;
		userId: number;
		createdAt: number;
		expiresAt: number;
	}
): Promise<void> {
	await db
		.insertInto('user_session')
		.values({
			id: session.id,
			secret_hash: session.secretHash,
			user_id: session.userId,
			created_at: session.createdAt,
			expires_at: session.expiresAt
		})
		.execute();
}

/** One statement per signed-in request: the session and its account together. */
export async function findSessionWithAccount(db: Executor, sessionId: string) {
	const row = await userQuery(db)
		.innerJoin('user_session', 'user_session.user_id', 'user_account.id')
		.select([
			'user_session.id as sessionId',
			'user_session.secret_hash as secretHash',
			'user_session.expires_at as expiresAt',
			'user_session.created_at as createdAt'
		])
		.where('user_session.id', '=', sessionId)
		.executeTakeFirst();
	if (!row) return undefined;
	return {
		user: toUser(row),
		sessionId: row.sessionId,
		secretHash: row.secretHash,
		expiresAt: row.expiresAt,
		createdAt: row.createdAt
	};
}

export async function setSessionExpiry(
	db: Executor,
	sessionId: string,
	expiresAt: number
): Promise<void> {
	await db
		.updateTable('user_session')
		.set({ expires_at: expiresAt })
		.where('id', '=', sessionId)
		.execute();
}

/** Deletes the sessions idle past `idleBefore` or opened before `openedBefore`. */
export async function deleteSessionsBefore(
	db: Executor,
	idleBefore: number,
	openedBefore: number
): Promise<number> {
	const result = await db
		.deleteFrom('user_session')
		.where((eb) =>
			eb.or([eb('expires_at', '<=', idleBefore), eb('created_at', '<=', openedBefore)])
		)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

/** Ends one session; true when it was still open. */
export async function invalidateSession(db: Executor, sessionId: string): Promise<boolean> {
	const result = await db.deleteFrom('user_session').where('id', '=', sessionId).executeTakeFirst();
	return Number(result.numDeletedRows) > 0;
}

/** Ends every session of a user, or every one but `keepSessionId`; returns how many ended. */
export async function invalidateUserSessions(
	db: Executor,
	userId: number,
	keepSessionId?: string
): Promise<number> {
	const result = await db
		.deleteFrom('user_session')
		.where('user_id', '=', userId)
		.$if(keepSessionId !== undefined, (q) => q.where('id', '!=', keepSessionId!))
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

// — Invitations —

/** Marks the account's unused links as used (a fresh one replaces them). */
export async function retireInvitations(db: Executor, userId: number, at: number): Promise<void> {
	await db
		.updateTable('invitation')
		.set({ used_at: at })
		.where('user_id', '=', userId)
		.where('used_at', 'is', null)
		.execute();
}

export async function insertInvitation(
	db: Executor,
	invitation: {
		id: string;
		secretHash: Uint8Array;
		userId: number;
		createdBy: number;
		createdAt: number;
		expiresAt: number;
	}
): Promise<void> {
	await db
		.insertInto('invitation')
		.values({
			id: invitation.id,
			secret_hash: invitation.secretHash,
			user_id: invitation.userId,
			created_by: invitation.createdBy,
			created_at: invitation.createdAt,
			expires_at: invitation.expiresAt,
			used_at: null
		})
		.execute();
}

/** What a single-use link's table (invitation, password_reset) gives to check a token. */
export const SINGLE_USE_COLUMNS = [
	'id',
	'secret_hash as secretHash',
	'user_id as userId',
	'expires_at as expiresAt',
	'used_at as usedAt'
] as const;

export async function findInvitation(db: Executor, id: string) {
	return db
		.selectFrom('invitation')
		.select([...SINGLE_USE_COLUMNS, 'created_by as createdBy'])
		.where('id', '=', id)
		.executeTakeFirst();
}

/** Uses the link once; false when it had been used in between. */
export async function useInvitation(db: Executor, id: string, at: number): Promise<boolean> {
	const used = await db
		.updateTable('invitation')
		.set({ used_at: at })
		.where('id', '=', id)
		.where('used_at', 'is', null)
		.executeTakeFirst();
	return Number(used.numUpdatedRows) === 1;
}

// — Server secrets —

/**
 * The named signing key: 32 random bytes made and stored the first time (a later call, or a
 * concurrent one, keeps the first).
 */
export async function ensureSecret(db: Executor, name: string): Promise<Uint8Array> {
	const fresh = new Uint8Array(32);
	crypto.getRandomValues(fresh);
	await db
		.insertInto('app_secret')
		.values({ name, value: fresh })
		.onConflict((oc) => oc.column('name').doNothing())
		.execute();
	const row = await db
		.selectFrom('app_secret')
		.select('value')
		.where('name', '=', name)
		.executeTakeFirstOrThrow();
	return new Uint8Array(row.value);
}
