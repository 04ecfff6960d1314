import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import { changePassword, login, reauthBlockedMessage } from './service';
import { createSession, validateSessionToken } from './sessions';
import {
	addressBucket,
	attemptsOf,
	blockedFor,
	recordAttempt,
	throttleKey
} from './throttle-repository';
import type { User } from './users';
import { createTestUser, PEOPLE, TEST_PASSWORD } from './testing';

/**
 * Parallel guesses must count exactly like sequential ones (the attempt is reserved before the
 * password is hashed), and a browser that signed in before keeps its own limit (device cookie).
 */

/** PEOPLE.admin's, as createTestUser gives it. */
const PASSWORD = TEST_PASSWORD;
let db: Db;
let partner: User;

beforeEach(async () => {
	db = await createTestDb({ seed: false });
	partner = await createTestUser(db, PEOPLE.admin);
});
afterEach(async () => {
	await db.destroy();
});

const statuses = (results: Awaited<ReturnType<typeof login>>[]) =>
	results.map((r) => (r.ok ? 'ok' : r.status));

describe('parallel password guesses', () => {
	it('try at most the free attempts plus one on an account; the right password sent last is refused', async () => {
		const now = Date.now();
		const guesses = Array.from({ length: 40 }, (_, i) =>
			login(db, { email: 'admin@lot.fr', password: `mauvais ${i}`, clientAddress: '10.0.0.1' }, now)
		);
		const right = login(
			db,
			{ email: 'admin@lot.fr', password: PASSWORD, clientAddress: '10.0.0.1' },
			now
		);
		const results = statuses(await Promise.all([...guesses, right]));
		// 5 free attempts, the 6th is tried and blocks: exactly what 40 sequential guesses give.
		expect(results.filter((s) => s === 400)).toHaveLength(6);
		expect(results.filter((s) => s === 429)).toHaveLength(35);
		expect(results.at(-1)).toBe(429);
	});

	it('try at most the free attempts plus one from an address, whatever the accounts', async () => {
		const now = Date.now();
		const results = statuses(
			await Promise.all(
				Array.from({ length: 60 }, (_, i) =>
					login(db, { email: `x${i}@lot.fr`, password: 'faux', clientAddress: '192.0.2.7' }, now)
				)
			)
		);
		expect(results.filter((s) => s === 400)).toHaveLength(21);
		expect(
			(
				await login(
					db,
					{ email: 'admin@lot.fr', password: PASSWORD, clientAddress: '192.0.2.7' },
					now
				)
			).ok
		).toBe(false);
	});

	it('give back the address attempt of a successful sign-in', async () => {
		const now = Date.now();
		for (let i = 0; i < 30; i++) {
			const result = await login(
				db,
				{ email: 'admin@lot.fr', password: PASSWORD, clientAddress: '192.0.2.9' },
				now + i
			);
			expect(result.ok, `sign-in ${i}`).toBe(true);
		}
	});

	it('leave a shared address unblocked when the right password comes on its last free attempt', async () => {
		const now = Date.now();
		// A town hall's shared address: 20 refused sign-ins by several people, then a right one.
		for (let i = 0; i < 20; i++)
			await login(
				db,
				{ email: `x${i}@lot.fr`, password: 'faux', clientAddress: '192.0.2.50' },
				now
			);
		const right = await login(
			db,
			{ email: 'admin@lot.fr', password: PASSWORD, clientAddress: '192.0.2.50' },
			now
		);
		expect(right.ok).toBe(true);
		expect(await blockedFor(db, [throttleKey('address', '192.0.2.50')], now)).toBe(0);
	});
});

describe('device cookie (OWASP)', () => {
	async function deviceOfOwner(now: number): Promise<string> {
		const result = await login(
			db,
			{ email: 'admin@lot.fr', password: PASSWORD, clientAddress: '10.1.1.1' },
			now
		);
		if (!result.ok) throw new Error('owner sign-in');
		return result.value.device;
	}

	it('lets the owner’s browser in while an attacker has locked the account elsewhere', async () => {
		const now = Date.now();
		const device = await deviceOfOwner(now);
		for (let i = 0; i < 10; i++)
			await login(
				db,
				{ email: 'admin@lot.fr', password: `devine ${i}`, clientAddress: `203.0.113.${i}` },
				now + 1
			);
		// Untrusted attempts: still the strict per-account limit, the right password included.
		const untrusted = await login(
			db,
			{ email: 'admin@lot.fr', password: PASSWORD, clientAddress: '10.1.1.2' },
			now + 2
		);
		expect(untrusted).toMatchObject({ ok: false, status: 429 });
		// A forged or borrowed cookie is no device cookie.
		const [id, nonce] = device.split('.');
		const forged = await login(
			db,
			{
				email: 'admin@lot.fr',
				password: PASSWORD,
				clientAddress: '10.1.1.2',
				device: `${id}.${nonce}.${'A'.repeat(43)}`
			},
			now + 2
		);
		expect(forged).toMatchObject({ ok: false, status: 429 });
		const owner = await login(
			db,
			{ email: 'admin@lot.fr', password: PASSWORD, clientAddress: '10.1.1.2', device },
			now + 3
		);
		expect(owner.ok).toBe(true);
	});

	it('lets the owner’s browser in while others have blocked the address it shares', async () => {
		const now = Date.now();
		const device = await deviceOfOwner(now);
		const shared = { clientAddress: '10.1.1.1' };
		for (let i = 0; i < 21; i++)
			await login(db, { email: `voisin${i}@lot.fr`, password: 'faux', ...shared }, now + 1);
		const untrusted = await login(
			db,
			{ email: 'admin@lot.fr', password: PASSWORD, ...shared },
			now + 2
		);
		expect(untrusted).toMatchObject({ ok: false, status: 429 });
		const address = throttleKey('address', shared.clientAddress);
		const counted = await attemptsOf(db, address, now + 2);
		const owner = await login(
			db,
			{ email: 'admin@lot.fr', password: PASSWORD, ...shared, device },
			now + 3
		);
		expect(owner.ok).toBe(true);
		// The owner's sign-in took nothing from the address's count, nor gave anything back to it.
		expect(await attemptsOf(db, address, now + 3)).toBe(counted);
		expect(
			await login(db, { email: 'admin@lot.fr', password: PASSWORD, ...shared }, now + 4)
		).toMatchObject({ ok: false, status: 429 });
	});

	it('throttles a trusted browser on its own, then treats it as untrusted', async () => {
		const now = Date.now();
		const device = await deviceOfOwner(now);
		const tries = await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				login(
					db,
					{ email: 'admin@lot.fr', password: `oubli ${i}`, clientAddress: '10.1.1.1', device },
					now + 1
				)
			)
		);
		// 6 on the device's own count, then (device locked out) 6 on the account's.
		expect(statuses(tries).filter((s) => s === 400)).toHaveLength(12);
		expect(
			await login(
				db,
				{ email: 'admin@lot.fr', password: PASSWORD, clientAddress: '10.1.1.1', device },
				now + 2
			)
		).toMatchObject({ ok: false, status: 429 });
	});

	it('is trusted no more once the password has changed', async () => {
		const now = Date.now();
		const device = await deviceOfOwner(now);
		const current = await createSession(db, partner.id, now);
		const next = 'un tout nouveau mot de passe solide';
		const changed = await changePassword(
			db,
			partner,
			current.session.id,
			{ current: PASSWORD, next },
			'10.1.1.1',
			now + 1
		);
		expect(changed.ok).toBe(true);
		for (let i = 0; i < 10; i++)
			await login(
				db,
				{ email: 'admin@lot.fr', password: `devine ${i}`, clientAddress: `203.0.113.${i}` },
				now + 2
			);
		// The cookie of the old password counts on the locked account's limit, like no cookie.
		expect(
			await login(
				db,
				{ email: 'admin@lot.fr', password: next, clientAddress: '10.1.1.2', device },
				now + 3
			)
		).toMatchObject({ ok: false, status: 429 });
	});

	it('is not trusted for another account', async () => {
		const now = Date.now();
		const device = await deviceOfOwner(now);
		await createTestUser(db, { email: 'autre@lot.fr', name: 'Autre', role: 'admin' });
		for (let i = 0; i < 6; i++)
			await login(db, { email: 'autre@lot.fr', password: `x ${i}`, clientAddress: null }, now);
		expect(
			await login(
				db,
				{ email: 'autre@lot.fr', password: PASSWORD, clientAddress: null, device },
				now + 1
			)
		).toMatchObject({ ok: false, status: 429 });
	});
});

describe('current-password check (/compte)', () => {
	const NEXT = 'un tout nouveau mot de passe solide';
	const wrongTry = (sessionId: string, i: number, now = Date.now()) =>
		changePassword(
			db,
			partner,
			sessionId,
			{ current: `pas celui-ci ${i}`, next: NEXT },
			'10.0.0.5',
			now
		);
	const journal = (action: string) =>
		db
			.selectFrom('audit_event')
			.select('summary')
			.where('action', '=', action)
			.orderBy('id')
			.execute()
			.then((rows) => rows.map((r) => r.summary));

	it('is throttled atomically, journaled with each try’s own number, and ends the session after repeated failures', async () => {
		const current = await createSession(db, partner.id);
		const results = await Promise.all(
			Array.from({ length: 30 }, (_, i) => wrongTry(current.session.id, i))
		);
		const checked = await journal('password.check_failed');
		// Hashed and journaled: the free attempts and the one that blocks, never 30, each numbered
		// from the count its own try reserved.
		expect(checked.length).toBeLessThanOrEqual(6);
		expect(checked.length).toBeGreaterThanOrEqual(5);
		const numbers = checked.map((summary) => Number(/\((\d+)ᵉ essai\)/.exec(summary)?.[1]));
		expect([...numbers].sort()).toEqual(Array.from(numbers, (_, i) => i + 1));
		expect(results.every((r) => !r.ok)).toBe(true);
		expect(results.some((r) => !r.ok && r.status === 401)).toBe(true);
		expect((await validateSessionToken(db, current.token)).session).toBeNull();
		expect(await journal('session.ended')).toEqual([
			expect.stringMatching(/^Session fermée au [56]ᵉ mot de passe actuel incorrect$/)
		]);
	});

	it('tells the wait to the right password typed during the block, and leaves the session open', async () => {
		const now = Date.now();
		const first = await createSession(db, partner.id, now);
		for (let i = 0; i < 6; i++) await wrongTry(first.session.id, i, now);
		// Another session of the same person (another browser), while the block lasts.
		const other = await createSession(db, partner.id, now);
		const right = await changePassword(
			db,
			partner,
			other.session.id,
			{ current: PASSWORD, next: NEXT },
			'10.0.0.5',
			now + 1
		);
		expect(right).toMatchObject({
			ok: false,
			status: 429,
			fieldErrors: { current: reauthBlockedMessage(30_000 - 1) }
		});
		expect(reauthBlockedMessage(30_000 - 1)).toBe(
			'Trop d’essais du mot de passe actuel : par sécurité, réessayez dans 30\u00a0secondes.'
		);
		expect((await validateSessionToken(db, other.token)).session).not.toBeNull();
		expect(await journal('session.ended')).toHaveLength(1);
	});

	it('starts afresh after a sign-in: the right password works, and one typo does not sign out', async () => {
		const now = Date.now();
		const first = await createSession(db, partner.id, now);
		for (let i = 0; i < 5; i++) await wrongTry(first.session.id, i, now);
		expect((await validateSessionToken(db, first.token)).session).toBeNull();
		// Signed in again after the block has ended (the right password proven).
		const later = now + 60_000;
		const signedIn = await login(
			db,
			{ email: partner.email, password: PASSWORD, clientAddress: '10.0.0.5' },
			later
		);
		if (!signedIn.ok) throw new Error(signedIn.message);
		const typo = await wrongTry(signedIn.value.session.id, 9, later + 1);
		expect(typo).toMatchObject({ ok: false, status: 400 });
		expect((await validateSessionToken(db, signedIn.value.token)).session).not.toBeNull();
		const right = await changePassword(
			db,
			partner,
			signedIn.value.session.id,
			{ current: PASSWORD, next: NEXT },
			'10.0.0.5',
			later + 2
		);
		expect(right.ok).toBe(true);
	});
});

describe('how long a counter is remembered', () => {
	const HOUR = 60 * 60 * 1000;

	it('an hour after its block ends: after the longest block, each guess blocks for an hour again', async () => {
		const key = throttleKey('account', 'cible@lot.fr');
		const start = Date.now();
		// 5 free attempts, then blocks of 30 s, 1, 2, 4, 8, 16, 32 min, then the longest (1 h).
		for (let i = 0; i < 13; i++) await recordAttempt(db, key, start);
		expect(await blockedFor(db, [key], start)).toBe(HOUR);
		const ended = start + HOUR + 1000;
		expect(await attemptsOf(db, key, ended)).toBe(13);
		await recordAttempt(db, key, ended);
		expect(await blockedFor(db, [key], ended)).toBe(HOUR);
		// Forgotten an hour after the end of that block, not before.
		expect(await attemptsOf(db, key, ended + 2 * HOUR - 1)).toBe(14);
		expect(await attemptsOf(db, key, ended + 2 * HOUR)).toBe(0);
		await recordAttempt(db, key, ended + 2 * HOUR);
		expect(await blockedFor(db, [key], ended + 2 * HOUR)).toBe(0);
	});

	it('an hour after its last attempt when it never blocked', async () => {
		const key = throttleKey('address', '192.0.2.7');
		const start = Date.now();
		for (let i = 0; i < 3; i++) await recordAttempt(db, key, start);
		expect(await attemptsOf(db, key, start + HOUR - 1)).toBe(3);
		expect(await attemptsOf(db, key, start + HOUR)).toBe(0);
	});
});

describe('the client address a limit counts', () => {
	it('is an IPv6 address’s /64, an IPv4 address as it is, anything else untouched', () => {
		expect(addressBucket('2001:db8:0:1::7')).toBe('2001:db8:0:1::/64');
		expect(addressBucket('2001:DB8:0:1:ffff:ffff:ffff:ffff')).toBe('2001:db8:0:1::/64');
		expect(addressBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
		expect(addressBucket('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
		expect(addressBucket('::1')).toBe('0:0:0:0::/64');
		expect(addressBucket('::ffff:1.2.3.4')).toBe('1.2.3.4');
		expect(addressBucket('::ffff:102:304')).toBe('1.2.3.4');
		expect(addressBucket('1.2.3.4')).toBe('1.2.3.4');
		expect(addressBucket('inconnue')).toBe('inconnue');
	});
});
