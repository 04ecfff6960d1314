import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Recomputes a fiche's published state from its validated updates: the status and advancement of
 * the latest update that states them, and the date of the latest update. Called once per change.
 */
export async function refreshFicheState(db: Executor, ficheId: number): Promise<void> {
	const validated = db
		.selectFrom('progress_update')
		.where('fiche_id', '=', ficheId)
		.where('state', '=', 'validated');
	const [status, progress, last] = await Promise.all([
		validated
			.select('status')
			.where('status', 'is not', null)
			.orderBy('reported_on', 'desc')
			.orderBy('id', 'desc')
			.limit(1)
			.executeTakeFirst(),
		validated
			.select('progress')
			.where('progress', 'is not', null)
			.orderBy('reported_on', 'desc')
			.orderBy('id', 'desc')
			.limit(1)
			.executeTakeFirst(),
		validated.select((eb) => eb.fn.max('reported_on').as('last')).executeTakeFirst()
	]);
	await db
		.updateTable('fiche')
		.set({
			status: status?.status ?? 'a_lancer',
			progress: progress?.progress ?? null,
			last_update: last?.last ?? null
		})
		.where('id', '=', ficheId)
		.execute();
}
