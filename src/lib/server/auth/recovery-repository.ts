import type { Executor } from '../db';
import { SINGLE_USE_COLUMNS } from './repository';

/** A new single-use reset link; earlier unused links of the account stop working. */
export async function insertPasswordReset(
	db: Executor,
	values: { id: string; secretHash: Uint8Array; userId: number; expiresAt: number },
	now: number
): Promise<void> {
	await db
		.updateTable('password_reset')
		.set({ used_at: now })
		.where('user_id', '=', values.userId)
		.where('used_at', 'is', null)
		.execute();
	await db
		.insertInto('password_reset')
		.values({
			id: values.id,
			secret_hash: values.secretHash,
			user_id: values.userId,
			created_at: now,
			expires_at: values.expiresAt,
			used_at: null
		})
		.execute();
}

export async function findPasswordReset(db: Executor, id: string) {
	return db
		.selectFrom('password_reset')
		.select(SINGLE_USE_COLUMNS)
		.where('id', '=', id)
		.executeTakeFirst();
}

/** Marks the link used; false when another request used it first. */
export async function usePasswordReset(db: Executor, id: string, now: number): Promise<boolean> {
	const result = await db
		.updateTable('password_reset')
		.set({ used_at: now })
		.where('id', '=', id)
		.where('used_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/**
 * Whether the account has an open invitation other than the one a page showed (`shownUntil`, its
 * end; null when it showed none): one sent since, by another admin or in another tab.
 */
export async function invitationSentSince(
	db: Executor,
	userId: number,
	shownUntil: number | null,
	now: number
): Promise<boolean> {
	const row = await db
		.selectFrom('invitation')
		.select((eb) => eb.fn.max('expires_at').as('until'))
		.where('user_id', '=', userId)
		.where('used_at', 'is', null)
		.where('expires_at', '>', now)
		.executeTakeFirst();
	return row?.until != null && Number(row.until) !== shownUntil;
}

/** Ends the account's unused invitation links; returns how many there were. */
export async function revokeInvitations(
	db: Executor,
	userId: number,
	now: number
): Promise<number> {
	const result = await db
		.updateTable('invitation')
		.set({ used_at: now })
		.where('user_id', '=', userId)
		.where('used_at', 'is', null)
		.where('expires_at', '>', now)
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}
