// A password checked (argon2, slow) before it changed, or before the account was disabled, is not
// acted on once the change has committed: no session for an old password, no change over a newer
// one. The checks are held open while the other side commits.
import { afterAll, afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { Db } from '../db';
import type { User } from './users';

vi.mock('./password', async (importOriginal) => {
	const real = await importOriginal<typeof import('./password')>();
	return {
		...real,
		verifyPassword: vi.fn(real.verifyPassword),
		hashPassword: vi.fn(real.hashPassword)
	};
});
// The files of a worker share their loaded modules (vite.config.ts, isolate: false): the services
// are loaded anew against the mock above (an earlier file may have loaded them without), and
// dropped afterwards for the files after this one.
vi.resetModules();
afterAll(() => {
	vi.resetModules();
});

const password = await import('./password');
const { createTestDb } = await import('../db/testing');
const { insertPasswordReset } = await import('./recovery-repository');
const { resetPassword } = await import('./recovery');
const { changePassword, login, PASSWORD_CHANGED_MEANWHILE_MESSAGE, setAccountDisabled } =
	await import('./service');
const { createSession, validateSessionToken } = await import('./sessions');
const { createTestUser, PEOPLE, TEST_PASSWORD } = await import('./testing');
const { newSplitToken } = await import('./tokens');
const { findPasswordHash } = await import('./users');

let db: Db;
beforeEach(async () => {
	db = await createTestDb();
});
afterEach(async () => {
	await db.destroy();
});

/**
 * Holds the next call of `name` once its real work is done: `started` resolves then, and the call
 * returns only after `release()`.
 */
async function holdNext(name: 'verifyPassword' | 'hashPassword') {
	const real = (await vi.importActual<typeof import('./password')>('./password'))[name] as (
		...args: string[]
	) => Promise<unknown>;
	let release!: () => void;
	const gate = new Promise<void>((r) => (release = r));
	let start!: () => void;
	const started = new Promise<void>((r) => (start = r));
	vi.mocked(password[name] as (...args: string[]) => Promise<unknown>).mockImplementationOnce(
		async (...args: string[]) => {
			const result = await real(...args);
			start();
			await gate;
			return result;
		}
	);
	return { started, release };
}

const attackerLogin = () =>
	login(db, { email: PEOPLE.paul.email, password: TEST_PASSWORD, clientAddress: '203.0.113.9' });

/** The owner, signed in, changes the password: every other session ends. */
async function ownerChanges(user: User) {
	const owner = await createSession(db, user.id);
	const changed = await changePassword(
		db,
		user,
		owner.session.id,
		{ current: TEST_PASSWORD, next: 'le mot de passe choisi par la personne' },
		'198.51.100.1'
	);
	expect(changed.ok).toBe(true);
	return { changed, hash: await findPasswordHash(db, user.id) };
}

it('a login checked with the old password opens no session once the password has changed', async () => {
	const user = await createTestUser(db, PEOPLE.paul);
	const held = await holdNext('verifyPassword');
	const attacker = attackerLogin();
	await held.started;
	await ownerChanges(user);
	held.release();
	const result = await attacker;
	// Refused as a wrong password is, saying no more.
	expect(result).toMatchObject({
		ok: false,
		status: 400,
		message: 'Adresse électronique ou mot de passe incorrect.'
	});
	const session = result.ok ? await validateSessionToken(db, result.value.token) : null;
	expect(session?.session ?? null).toBeNull();
});

it('a login checked before the account was disabled opens no session', async () => {
	const admin = await createTestUser(db, PEOPLE.admin);
	const user = await createTestUser(db, PEOPLE.paul);
	const held = await holdNext('verifyPassword');
	const attacker = attackerLogin();
	await held.started;
	expect((await setAccountDisabled(db, admin, user.id, true, null)).ok).toBe(true);
	held.release();
	expect(await attacker).toMatchObject({ ok: false, status: 400 });
});

it('a password change checked before the owner changed the password does not overwrite it', async () => {
	const user = await createTestUser(db, PEOPLE.paul);
	const held = await holdNext('verifyPassword');
	// A thief with a copy of the session cookie and the leaked password changes it…
	const thief = await createSession(db, user.id);
	const stolen = changePassword(
		db,
		user,
		thief.session.id,
		{ current: TEST_PASSWORD, next: 'le mot de passe choisi par le voleur' },
		'203.0.113.9'
	);
	await held.started;
	// …while the owner, from their own session, changes it first.
	const owner = await ownerChanges(user);
	held.release();
	expect(await stolen).toMatchObject({
		ok: false,
		status: 409,
		fieldErrors: { current: PASSWORD_CHANGED_MEANWHILE_MESSAGE }
	});
	// The owner's password and fresh session stay.
	expect(await findPasswordHash(db, user.id)).toBe(owner.hash);
	const { changed } = owner;
	expect(changed.ok && (await validateSessionToken(db, changed.value.token)).session).toBeTruthy();
});

it('a reset link whose password is being hashed does not overwrite a password changed meanwhile', async () => {
	const user = await createTestUser(db, PEOPLE.paul);
	const link = newSplitToken();
	const now = Date.now();
	await insertPasswordReset(
		db,
		{ id: link.id, secretHash: link.secretHash, userId: user.id, expiresAt: now + 60_000 },
		now
	);
	const held = await holdNext('hashPassword');
	const reset = resetPassword(db, link.token, 'le mot de passe choisi par le voleur', null);
	await held.started;
	const owner = await ownerChanges(user);
	held.release();
	// The change ended the link (setPasswordHash ends every one-time link, in its transaction).
	expect(await reset).toMatchObject({ ok: false, status: 410 });
	expect(await findPasswordHash(db, user.id)).toBe(owner.hash);
});
