import type { Executor } from './index';

/**
 * The revision of published data and when it last changed (open data `generated_at`), kept by
 * SQLite triggers on the published tables (migration 060000): no code path records it by hand.
 */
export async function getDataRevision(
	db: Executor
): Promise<{ revision: number; changedAt: string } | undefined> {
	const row = await db
		.selectFrom('data_revision')
		.select(['revision', 'changed_at'])
		.where('id', '=', 1)
		.executeTakeFirst();
	return row ? { revision: row.revision, changedAt: row.changed_at } : undefined;
}
