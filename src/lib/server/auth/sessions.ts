import type { Cookies } from '@sveltejs/kit';
import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../db';
import { preparedLookup } from '../db/prepared';
import type { Database } from '../db/schema';
import { newSplitToken, secretMatches, splitToken } from './tokens';
import { toUser, userQuery, type User } from './users';

type Executor = Kysely<Database> | Transaction<Database>;

const DAY = 24 * 60 * 60 * 1000;
/** Inactivity expiry, renewed while the session is used. */
export const SESSION_IDLE_MS = 30 * DAY;
/** Absolute lifetime: after it, a fresh login is required whatever the activity. */
export const SESSION_MAX_MS = 90 * DAY;
const RENEW_WHEN_LEFT_MS = 15 * DAY;

export interface Session {
	id: string;
	userId: number;
	createdAt: number;
	expiresAt: number;
}

export async function createSession(
	db: Executor,
	userId: number,
	now = Date.now()
): Promise<{ token: string; session: Session }> {
	const { id, token, secretHash } = newSplitToken();
	const session = { id, userId, createdAt: now, expiresAt: now + SESSION_IDLE_MS };
	await db
		.insertInto('user_session')
		.values({
			id,
			secret_hash: secretHash,
			user_id: userId,
			created_at: now,
			expires_at: session.expiresAt
		})
		.execute();
	return { token, session };
}

export type SessionValidation =
	| { session: Session; user: User; renewed: boolean }
	| { session: null; user: null; renewed: false };

const NONE: SessionValidation = { session: null, user: null, renewed: false };

// One statement per signed-in request: the session and its account together.
const sessionWithAccount = preparedLookup((db, sessionId) =>
	userQuery(db)
		.innerJoin('user_session', 'user_session.user_id', 'user_account.id')
		.select([
			'user_session.id as session_id',
			'user_session.secret_hash',
			'user_session.expires_at',
			'user_session.created_at as session_created_at'
		])
		.where('user_session.id', '=', sessionId)
		.compile()
);

/** Checks a cookie token: known id, matching secret, not expired, account active. */
export async function validateSessionToken(
	db: Db,
	token: string,
	now = Date.now()
): Promise<SessionValidation> {
	const parts = splitToken(token);
	if (!parts) return NONE;
	const row = sessionWithAccount(db, parts.id);
	if (!row || !secretMatches(parts.secret, new Uint8Array(row.secret_hash))) return NONE;
	const user = toUser(row);
	if (now >= row.expires_at || now >= row.session_created_at + SESSION_MAX_MS || user.disabled) {
		await db.deleteFrom('user_session').where('id', '=', row.session_id).execute();
		return NONE;
	}
	let expiresAt = row.expires_at;
	let renewed = false;
	if (expiresAt - now < RENEW_WHEN_LEFT_MS) {
		expiresAt = Math.min(now + SESSION_IDLE_MS, row.session_created_at + SESSION_MAX_MS);
		await db
			.updateTable('user_session')
			.set({ expires_at: expiresAt })
			.where('id', '=', row.session_id)
			.execute();
		renewed = true;
	}
	return {
		session: {
			id: row.session_id,
			userId: user.id,
			createdAt: row.session_created_at,
			expiresAt
		},
		user,
		renewed
	};
}

/** Deletes the sessions that can no longer be used (idle or absolute expiry passed). */
export async function deleteExpiredSessions(db: Executor, now = Date.now()): Promise<number> {
	const result = await db
		.deleteFrom('user_session')
		.where((eb) =>
			eb.or([eb('expires_at', '<=', now), eb('created_at', '<=', now - SESSION_MAX_MS)])
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
	let query = db.deleteFrom('user_session').where('user_id', '=', userId);
	if (keepSessionId) query = query.where('id', '!=', keepSessionId);
	const result = await query.executeTakeFirst();
	return Number(result.numDeletedRows);
}

/** `__Host-` prefix and Secure flag whenever the portal is served over https. */
export function sessionCookieName(secure: boolean): string {
	return secure ? '__Host-sdusn_session' : 'sdusn_session';
}

export function setSessionCookie(
	cookies: Cookies,
	token: string,
	expiresAt: number,
	secure: boolean
): void {
	cookies.set(sessionCookieName(secure), token, {
		httpOnly: true,
		sameSite: 'lax',
		secure,
		path: '/',
		expires: new Date(expiresAt)
	});
}

export function deleteSessionCookie(cookies: Cookies, secure: boolean): void {
	cookies.delete(sessionCookieName(secure), { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}
