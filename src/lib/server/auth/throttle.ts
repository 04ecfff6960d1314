import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Login throttling per account and per client address, kept in the database so it survives a
 * restart. After `free` failures, each new failure blocks the key for a doubling delay (30 s, 1 min,
 * 2 min… up to 1 h). A block refuses every attempt, the right password included. Counters are
 * forgotten an hour after the last failure.
 */
const POLICIES = {
	account: { free: 5, baseMs: 30_000 },
	address: { free: 20, baseMs: 30_000 }
} as const;
const MAX_BLOCK_MS = 60 * 60 * 1000;
const FORGET_AFTER_MS = 60 * 60 * 1000;

export type ThrottleKind = keyof typeof POLICIES;

export function throttleKey(kind: ThrottleKind, value: string): string {
	return `${kind}:${value.trim().toLowerCase()}`;
}

/** Milliseconds left before the key may try again (0: not blocked). */
export async function blockedFor(db: Executor, keys: string[], now = Date.now()): Promise<number> {
	if (keys.length === 0) return 0;
	const rows = await db
		.selectFrom('login_throttle')
		.select('blocked_until')
		.where('key', 'in', keys)
		.execute();
	return Math.max(0, ...rows.map((r) => r.blocked_until - now));
}

export async function recordFailure(
	db: Executor,
	kind: ThrottleKind,
	key: string,
	now = Date.now()
): Promise<void> {
	const policy = POLICIES[kind];
	const row = await db
		.selectFrom('login_throttle')
		.selectAll()
		.where('key', '=', key)
		.executeTakeFirst();
	const failures = row && now - row.last_failure_at < FORGET_AFTER_MS ? row.failures + 1 : 1;
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

/** Deletes the counters already forgotten and no longer blocking. */
export async function deleteForgottenFailures(db: Executor, now = Date.now()): Promise<number> {
	const result = await db
		.deleteFrom('login_throttle')
		.where('last_failure_at', '<', now - FORGET_AFTER_MS)
		.where('blocked_until', '<=', now)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

export async function clearFailures(db: Executor, key: string): Promise<void> {
	await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

/** "2 minutes", "45 secondes": how long to wait, in French. */
export function formatWait(ms: number): string {
	const seconds = Math.ceil(ms / 1000);
	if (seconds < 60) return `${seconds} seconde${seconds > 1 ? 's' : ''}`;
	const minutes = Math.ceil(seconds / 60);
	return `${minutes} minute${minutes > 1 ? 's' : ''}`;
}
