import { randomUUID } from 'node:crypto';

/**
 * Workbooks uploaded on /admin/plan/import and waiting for their confirmation: kept in the
 * server's memory (never on disk) for 30 minutes, for the account that uploaded them only, so the
 * confirmation applies exactly the file whose change list was shown, without sending it again.
 * A restart forgets them: the person uploads the file again.
 */

const TTL_MS = 30 * 60 * 1000;
const MAX_PENDING = 20;

interface Pending {
	userId: number;
	bytes: Uint8Array;
	expiresAt: number;
}

const pending = new Map<string, Pending>();

function sweep(now: number): void {
	for (const [token, entry] of pending) if (entry.expiresAt <= now) pending.delete(token);
	while (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value!);
}

/** Keeps an uploaded workbook; returns the token its confirmation form carries. */
export function keepPendingImport(userId: number, bytes: Uint8Array, now = Date.now()): string {
	sweep(now);
	const token = randomUUID();
	pending.set(token, { userId, bytes, expiresAt: now + TTL_MS });
	return token;
}

/** The workbook kept under this token for this account, or null (unknown, expired, someone else's). */
export function findPendingImport(
	token: string,
	userId: number,
	now = Date.now()
): Uint8Array | null {
	const entry = pending.get(token);
	if (!entry || entry.expiresAt <= now || entry.userId !== userId) return null;
	return entry.bytes;
}

export function dropPendingImport(token: string): void {
	pending.delete(token);
}
