import type { Cookies } from '@sveltejs/kit';
import type { Executor } from '../db';
import {
	deleteSessionsBefore,
	findSessionWithAccount,
	insertSession,
	invalidateSession,
	setSessionExpiry
} from './repository';
import { newSplitToken, secretMatches, splitToken } from './tokens';
import type { User } from './users';
import { SESSION_IDLE_MS, SESSION_MAX_MS } from '../../utils/rules';

export { invalidateSession, invalidateUserSessions } from './repository';

// The inactivity expiry (renewed while the session is used) and the absolute lifetime, after
// which a fresh login is required whatever the activity: rules.ts, beside the words the pages say.
const DAY = 24 * 60 * 60 * 1000;
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
	await insertSession(db, { ...session, secretHash });
	return { token, session };
}

/** A renewal that would move the session's end by less than this is not made. */
const RENEWAL_MIN_GAIN_MS = 24 * 60 * 60 * 1000;

export type SessionValidation =
	| { session: Session; user: User; renewed: boolean }
	| { session: null; user: null; renewed: false };

const NONE: SessionValidation = { session: null, user: null, renewed: false };

/** Checks a cookie token: known id, matching secret, not expired, account active. */
export async function validateSessionToken(
	db: Executor,
	token: string,
	now = Date.now()
): Promise<SessionValidation> {
	const parts = splitToken(token);
	if (!parts) return NONE;
	const row = await findSessionWithAccount(db, parts.id);
	if (!row || !secretMatches(parts.secret, new Uint8Array(row.secretHash))) return NONE;
	const { user } = row;
	if (now >= row.expiresAt || now >= row.createdAt + SESSION_MAX_MS || user.disabled) {
		await invalidateSession(db, row.sessionId);
		return NONE;
	}
	let expiresAt = row.expiresAt;
	let renewed = false;
	// Renewed when its end is near and renewing moves it (near its absolute end, the end is
	// already as far as it goes: renewing at every request would write the row and send a cookie
	// each time for nothing).
	const renewal = Math.min(now + SESSION_IDLE_MS, row.createdAt + SESSION_MAX_MS);
	if (expiresAt - now < RENEW_WHEN_LEFT_MS && renewal - expiresAt > RENEWAL_MIN_GAIN_MS) {
		expiresAt = renewal;
		await setSessionExpiry(db, row.sessionId, expiresAt);
		renewed = true;
	}
	return {
		session: { id: row.sessionId, userId: user.id, createdAt: row.createdAt, expiresAt },
		user,
		renewed
	};
}

/** Deletes the sessions that can no longer be used (idle or absolute expiry passed). */
export async function deleteExpiredSessions(db: Executor, now = Date.now()): Promise<number> {
	return deleteSessionsBefore(db, now, now - SESSION_MAX_MS);
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
