import { randomUUID } from 'node:crypto';
import { formatWait } from '../../utils/format';

/**
 * Workbooks uploaded on /admin/plan/import and waiting for their confirmation: kept in the
 * server's memory (never on disk) for 30 minutes, for the account that uploaded them only, so the
 * confirmation applies exactly the file whose change list was shown, without sending it again.
 * A restart forgets them: the person uploads the file again.
 */

const TTL_MS = 30 * 60 * 1000;

/** How long a workbook waits, as the import page says it: « 30 minutes », from TTL_MS. */
export const PENDING_IMPORT_LIFETIME_WORDS = formatWait(TTL_MS);
/**
 * Per account: a person's sixth preview replaces their own oldest (never a colleague's). For the
 * server: past this many (each at most 400 Ko), a new one is refused rather than another account's
 * pushed out, which its confirmation would then refuse for a wrong reason.
 */
export const MAX_PENDING_PER_ACCOUNT = 5;
export const MAX_PENDING = 50;

interface Pending {
	userId: number;
	bytes: Uint8Array;
	expiresAt: number;
}

const pending = new Map<string, Pending>();

function sweep(userId: number, now: number): void {
	for (const [token, entry] of pending) if (entry.expiresAt <= now) pending.delete(token);
	const own = [...pending].filter(([, entry]) => entry.userId === userId);
	for (const [token] of own.slice(0, Math.max(0, own.length - MAX_PENDING_PER_ACCOUNT + 1)))
		pending.delete(token);
}

/**
 * Keeps an uploaded workbook; returns the token its confirmation form carries, or null when the
 * server already holds as many as it keeps (the person sends it again a little later).
 */
export function keepPendingImport(
	userId: number,
	bytes: Uint8Array,
	now = Date.now()
): string | null {
	sweep(userId, now);
	if (pending.size >= MAX_PENDING) return null;
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
