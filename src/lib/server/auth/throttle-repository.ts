import { isIPv4, isIPv6 } from 'node:net';
import type { Executor } from '../db';

/**
 * Password-guess throttling, kept in the database so it survives a restart. Each key allows `free`
 * attempts; each attempt beyond them blocks the key for a doubling delay (30 s, 1 min, 2 min… up to
 * 1 h). A block refuses every attempt, the right password included. A counter is forgotten an hour
 * after its last attempt or the end of its block, whichever is later: after the longest block, the
 * next attempt blocks for an hour again (one guess an hour), rather than starting from zero.
 *
 * An attempt is counted *before* the password is hashed, in the same transaction that checks the
 * block (`reserveAttempts`): guesses sent in parallel count exactly like guesses sent one after the
 * other. A successful attempt gives its reservation back (`releaseAttempt`) or clears the key.
 *
 * - `account`: attempts on an account from a browser it does not trust (no device cookie);
 * - `device`: attempts from one browser that has signed in to the account before (its device
 *   cookie): an attacker's failures elsewhere never lock the owner's browser out;
 * - `address`: attempts from one client address, whatever the account;
 * - `reauth`: the current-password check of a signed-in person (/compte).
 */
export const POLICIES = {
	account: { free: 5, baseMs: 30_000 },
	device: { free: 5, baseMs: 30_000 },
	address: { free: 20, baseMs: 30_000 },
	reauth: { free: 5, baseMs: 30_000 },
	// « Mot de passe oublié » (auth/recovery.ts): per address asked for, and per client address.
	reset: { free: 3, baseMs: 5 * 60_000 },
	resetClient: { free: 10, baseMs: 60_000 }
} as const;
const MAX_BLOCK_MS = 60 * 60 * 1000;
const FORGET_AFTER_MS = 60 * 60 * 1000;

export type ThrottleKind = keyof typeof POLICIES;

export interface ThrottleKey {
	kind: ThrottleKind;
	key: string;
}

export function throttleKey(kind: ThrottleKind, value: string): ThrottleKey {
	return { kind, key: `${kind}:${value.trim().toLowerCase()}` };
}

/** The key of a client address's limit (`address`, `resetClient`): see `addressBucket`. */
export function clientThrottleKey(kind: 'address' | 'resetClient', address: string): ThrottleKey {
	return throttleKey(kind, addressBucket(address));
}

/**
 * What one client's limit counts: an IPv4 address as it is (`::ffff:1.2.3.4` is 1.2.3.4), an IPv6
 * address by its /64 prefix (`2001:db8:0:1::/64`). A client is given a /64 (one home, one server),
 * in which it may pick a new address for each guess: keyed on the whole address, it had no limit.
 * Anything else (an address header's odd value) is kept as it is.
 */
export function addressBucket(address: string): string {
	const value = address.trim();
	const unzoned = value.split('%')[0]!; // fe80::1%eth0
	if (isIPv4(value) || !isIPv6(unzoned)) return value;
	const groups = ipv6Groups(unzoned);
	if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff)
		return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
	return `${groups
		.slice(0, 4)
		.map((g) => g.toString(16))
		.join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail read). */
function ipv6Groups(address: string): number[] {
	const halves = address.toLowerCase().split('::');
	const read = (part: string | undefined) =>
		(part ? part.split(':') : []).flatMap((group) => {
			if (!group.includes('.')) return [parseInt(group, 16)];
			const [a, b, c, d] = group.split('.').map(Number);
			return [(a! << 8) | b!, (c! << 8) | d!];
		});
	const head = read(halves[0]);
	const tail = read(halves[1]);
	return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** Milliseconds left before the keys may try again (0: not blocked). */
export async function blockedFor(
	db: Executor,
	keys: ThrottleKey[],
	now = Date.now()
): Promise<number> {
	if (keys.length === 0) return 0;
	const rows = await db
		.selectFrom('login_throttle')
		.select('blocked_until as blockedUntil')
		.where(
			'key',
			'in',
			keys.map((k) => k.key)
		)
		.execute();
	return Math.max(0, ...rows.map((r) => r.blockedUntil - now));
}

/**
 * Refuses when one of the keys is blocked (returns how long to wait, in ms); otherwise counts one
 * attempt against each key and returns 0. Must run inside a transaction, so that no other attempt
 * checks the keys in between.
 */
export async function reserveAttempts(
	trx: Executor,
	keys: ThrottleKey[],
	now = Date.now()
): Promise<number> {
	const wait = await blockedFor(trx, keys, now);
	if (wait > 0) return wait;
	for (const key of keys) await recordAttempt(trx, key, now);
	return 0;
}

/** Whether a counter still counts at `now` (an hour after its last attempt and its block). */
function remembered(row: { lastFailureAt: number; blockedUntil: number }, now: number): boolean {
	return now - Math.max(row.lastFailureAt, row.blockedUntil) < FORGET_AFTER_MS;
}

/** The key's counter, if it has one. */
function findCounter(db: Executor, key: string) {
	return db
		.selectFrom('login_throttle')
		.select(['failures', 'last_failure_at as lastFailureAt', 'blocked_until as blockedUntil'])
		.where('key', '=', key)
		.executeTakeFirst();
}

/** Counts one attempt against a key (blocking it past its free attempts). */
export async function recordAttempt(
	db: Executor,
	{ kind, key }: ThrottleKey,
	now = Date.now()
): Promise<void> {
	const policy = POLICIES[kind];
	const row = await findCounter(db, key);
	const failures = row && remembered(row, now) ? row.failures + 1 : 1;
	const over = failures - policy.free;
	const blockedUntil = over > 0 ? now + Math.min(policy.baseMs * 2 ** (over - 1), MAX_BLOCK_MS) : 0;
	await db
		.insertInto('login_throttle')
		.values({ key, failures, last_failure_at: now, blocked_until: blockedUntil })
		.onConflict((oc) =>
			oc.column('key').doUpdateSet({ failures, last_failure_at: now, blocked_until: blockedUntil })
		)
		.execute();
}

/** Gives back the attempt a successful sign-in had reserved on a key it does not clear. */
export async function releaseAttempt(db: Executor, { kind, key }: ThrottleKey): Promise<void> {
	const row = await findCounter(db, key);
	if (!row) return;
	const failures = Math.max(0, row.failures - 1);
	await db
		.updateTable('login_throttle')
		.set({
			failures,
			blocked_until: failures <= POLICIES[kind].free ? 0 : row.blockedUntil
		})
		.where('key', '=', key)
		.execute();
}

/** Attempts counted against the key and still remembered (0 when none). */
export async function attemptsOf(db: Executor, { key }: ThrottleKey, now = Date.now()) {
	const row = await findCounter(db, key);
	return row && remembered(row, now) ? row.failures : 0;
}

/** Deletes the counters already forgotten (an hour after their last attempt and their block). */
export async function deleteForgottenFailures(db: Executor, now = Date.now()): Promise<number> {
	const result = await db
		.deleteFrom('login_throttle')
		.where('last_failure_at', '<', now - FORGET_AFTER_MS)
		.where('blocked_until', '<=', now - FORGET_AFTER_MS)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

export async function clearFailures(db: Executor, { key }: ThrottleKey): Promise<void> {
	await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}
