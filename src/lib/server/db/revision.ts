import type { Transaction } from 'kysely';
import type { Database } from './schema';
import type { Db } from './index';

/** Records that published data changed (open data `generated_at`, HTTP validators). */
export async function recordDataChange(
	trx: Transaction<Database> | Db,
	now = new Date()
): Promise<void> {
	const changedAt = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
	await trx
		.insertInto('data_revision')
		.values({ id: 1, revision: 1, changed_at: changedAt })
		.onConflict((oc) =>
			oc.column('id').doUpdateSet((eb) => ({
				revision: eb('data_revision.revision', '+', 1),
				changed_at: changedAt
			}))
		)
		.execute();
}

export async function getDataRevision(
	db: Db
): Promise<{ revision: number; changedAt: string } | undefined> {
	const row = await db
		.selectFrom('data_revision')
		.select(['revision', 'changed_at'])
		.where('id', '=', 1)
		.executeTakeFirst();
	return row ? { revision: row.revision, changedAt: row.changed_at } : undefined;
}
