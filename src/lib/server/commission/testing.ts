// Test helpers: séances made the way their forms make them. Not part of the portal.
import type { User } from '../auth/users';
import type { Db } from '../db';
import type { SittingFacts } from '../db/schema';
import { appendAgendaItem, findSitting, listFichesWithAddedAt } from './repository';
import {
	addAgendaFiches,
	changeSittingState,
	createSitting,
	recordDecision,
	type DecisionInput
} from './service';

/**
 * What a spec's séance is made of: in Cahors, « Commission », on 1 May 2026, no hour, with 4-1 on
 * its agenda, unless it says otherwise (`fiches: []`, an empty agenda). `recordedLate`: fiches
 * added to the plan after its day, put on its agenda after `fiches` as a séance recorded before
 * its form refused them was (written by the repository, not the form).
 */
type SittingSetUp = Partial<SittingFacts> & { fiches?: string[]; recordedLate?: string[] };

/** A séance in preparation created by `by` (its form, then its agenda's): its id. */
export async function preparedSitting(db: Db, by: User, setUp: SittingSetUp = {}): Promise<number> {
	const { fiches = ['4-1'], recordedLate = [], ...facts } = setUp;
	const created = await createSitting(
		db,
		by,
		{ heldOn: '2026-05-01', place: 'Cahors', title: 'Commission', ...facts },
		null
	);
	if (!created.ok) throw new Error(created.message);
	if (fiches.length > 0) {
		const added = await addAgendaFiches(db, by, created.value.id, fiches, null);
		if (!added.ok) throw new Error(added.message);
	}
	const late = await listFichesWithAddedAt(db, recordedLate);
	if (late.length !== new Set(recordedLate).size)
		throw new Error(`not in the plan: ${recordedLate.join(', ')}`);
	for (const fiche of late) await appendAgendaItem(db, created.value.id, { ficheId: fiche.id });
	return created.value.id;
}

/**
 * A séance of `preparedSitting`, held, with `decisions` recorded on each point of its agenda,
 * closed after them if `closed`: its id and the first point's. Each step must be accepted.
 */
export async function heldSitting(
	db: Db,
	by: User,
	setUp: SittingSetUp & { decisions?: DecisionInput[]; closed?: boolean } = {}
): Promise<{ sittingId: number; itemId: number }> {
	const { decisions = [], closed = false, ...made } = setUp;
	const sittingId = await preparedSitting(db, by, made);
	const steps = async (step: () => ReturnType<typeof changeSittingState>) => {
		const done = await step();
		if (!done.ok) throw new Error(done.message);
	};
	await steps(() => changeSittingState(db, by, sittingId, 'held', null));
	const { items } = (await findSitting(db, sittingId))!;
	for (const item of items)
		for (const decision of decisions)
			await steps(() => recordDecision(db, by, sittingId, item.id, decision, null));
	if (closed) await steps(() => changeSittingState(db, by, sittingId, 'closed', null));
	return { sittingId, itemId: items[0]!.id };
}
