import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/** Random string of `bytes` bytes of entropy, safe for URLs and cookies. */
export function randomToken(bytes: number): string {
	const buffer = new Uint8Array(bytes);
	crypto.getRandomValues(buffer);
	return encodeBase32LowerCaseNoPadding(buffer);
}

function hashSecret(secret: string): Uint8Array {
	return sha256(new TextEncoder().encode(secret));
}

export function secretMatches(secret: string, expectedHash: Uint8Array): boolean {
	const actual = hashSecret(secret);
	return actual.length === expectedHash.length && constantTimeEqual(actual, expectedHash);
}

/**
 * A two-part token "<id>.<secret>" as in the Lucia guide: the id (120 bits) finds the row, the
 * secret (160 bits) is compared in constant time with the stored SHA-256.
 */
export function newSplitToken(): {
	id: string;
	secret: string;
	token: string;
	secretHash: Uint8Array;
} {
	const id = randomToken(15);
	const secret = randomToken(20);
	return { id, secret, token: `${id}.${secret}`, secretHash: hashSecret(secret) };
}

export function splitToken(token: string): { id: string; secret: string } | null {
	const match = /^([a-z2-7]{24})\.([a-z2-7]{32})$/.exec(token);
	return match ? { id: match[1] as string, secret: match[2] as string } : null;
}

/** A single-use link's row (invitation, password reset) as its repository returns it. */
interface SingleUseRow {
	secretHash: Uint8Array;
	expiresAt: number;
	usedAt: number | null;
}

/** The row a single-use token opens: found by its id, its secret matching, unused, unexpired. */
export async function openSingleUse<R extends SingleUseRow>(
	token: string,
	find: (id: string) => Promise<R | undefined>,
	now: number
): Promise<R | undefined> {
	const parts = splitToken(token);
	if (!parts) return undefined;
	const row = await find(parts.id);
	if (!row || !secretMatches(parts.secret, new Uint8Array(row.secretHash))) return undefined;
	return row.usedAt === null && now < row.expiresAt ? row : undefined;
}
