// Test helpers: a sitting held with fiches on its agenda. Not part of the portal.
import type { User } from '../auth/users';
import type { Db } from '../db';
import { addAgendaFiches, changeSittingState, createSitting } from './service';

/**
 * A sitting in Cahors (1 May 2026 unless `heldOn` says), held, with `fiches` on its agenda: its id
 * and the first item's.
 */
export async function heldSitting(
	db: Db,
	admin: User,
	fiches: string[] = ['4-1'],
	heldOn = '2026-05-01'
): Promise<{ sittingId: number; itemId: number }> {
	const created = await createSitting(
		db,
		admin,
		{ heldOn, place: 'Cahors', title: 'Commission' },
		null
	);
	if (!created.ok) throw new Error(created.message);
	await addAgendaFiches(db, admin, created.value.id, fiches, null);
	await changeSittingState(db, admin, created.value.id, 'held', null);
	const item = await db
		.selectFrom('agenda_item')
		.select('id')
		.where('session_id', '=', created.value.id)
		.orderBy('id')
		.executeTakeFirstOrThrow();
	return { sittingId: created.value.id, itemId: item.id };
}
