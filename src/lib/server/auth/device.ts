import type { Cookies } from '@sveltejs/kit';
import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';
import type { Executor } from '../db';
import { ensureSecret } from './repository';
import { randomToken } from './tokens';
import { DEVICE_LIFETIME_MS } from '../../utils/rules';

/**
 * OWASP's device cookie: a browser that has signed in to an account keeps a cookie
 * "<account id>.<nonce>.<signature>" (HMAC-SHA-256 with a key the server makes and keeps in its
 * database). Attempts from that browser on that account are throttled by the nonce, apart from
 * attempts from anywhere else: an attacker's failures never lock the owner's browser out.
 * The signature also covers the account's current password hash (never sent, only signed): a
 * password change or reset gives the account a new hash, so every device cookie issued before it
 * stops being trusted.
 */
const SECRET_NAME = 'device-cookie';

const secrets = new WeakMap<object, Uint8Array>();

/** The signing key, made once (32 random bytes) and kept in the database (file mode 0600). */
async function signingKey(db: Executor): Promise<Uint8Array> {
	const known = secrets.get(db);
	if (known) return known;
	const key = await ensureSecret(db, SECRET_NAME);
	secrets.set(db, key);
	return key;
}

function sign(key: Uint8Array, payload: string): Uint8Array {
	return hmac(SHA256, key, new TextEncoder().encode(payload));
}

/** What is signed: the cookie's visible part and the password hash it was issued under. */
function signed(payload: string, passwordHash: string): string {
	return `${payload}.${passwordHash}`;
}

/** A fresh device cookie value for the account, bound to its current password hash. */
export async function newDeviceCookie(
	db: Executor,
	userId: number,
	passwordHash: string
): Promise<string> {
	const payload = `${userId}.${randomToken(15)}`;
	const signature = sign(await signingKey(db), signed(payload, passwordHash));
	return `${payload}.${encodeBase64urlNoPadding(signature)}`;
}

/**
 * The nonce of a genuine device cookie for this account, or null (missing, forged, other account,
 * or issued before the password last changed).
 */
export async function trustedDevice(
	db: Executor,
	cookie: string | undefined,
	userId: number,
	passwordHash: string | null
): Promise<string | null> {
	if (passwordHash === null) return null;
	const match = /^(\d{1,9})\.([a-z2-7]{24})\.([A-Za-z0-9_-]{43})$/.exec(cookie ?? '');
	if (!match || Number(match[1]) !== userId) return null;
	let given: Uint8Array;
	try {
		given = decodeBase64urlIgnorePadding(match[3]!);
	} catch {
		return null;
	}
	const expected = sign(await signingKey(db), signed(`${match[1]}.${match[2]}`, passwordHash));
	return given.length === expected.length && constantTimeEqual(given, expected) ? match[2]! : null;
}

export function deviceCookieName(secure: boolean): string {
	return secure ? '__Host-sdusn_appareil' : 'sdusn_appareil';
}

export function setDeviceCookie(cookies: Cookies, value: string, secure: boolean): void {
	cookies.set(deviceCookieName(secure), value, {
		httpOnly: true,
		sameSite: 'lax',
		secure,
		path: '/',
		maxAge: DEVICE_LIFETIME_MS / 1000
	});
}
