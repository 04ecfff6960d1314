import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import { loadFicheStatesAsOf } from '../dashboard/repository';
import { findFicheByCode } from '../plan/repository';
import { listClosedDecisionsBetween } from '../editions/repository';
import { createTestUser, PEOPLE } from '../auth/testing';
import { findLastPriorityDecision, findSitting, listFicheDecisions } from './repository';
import { changeSittingState, recordDecision } from './service';
import { heldSitting } from './testing';

// « The latest priority decision » of a fiche is read in one order everywhere (priorityDecisions):
// the dashboard ordered two séances of one day by the decisions' numbers, the séance's page by
// their hours.

let db: Db;
beforeEach(async () => {
	db = await createTestDb();
});
afterEach(async () => {
	await db.destroy();
});

/** A closed séance of `heldOn` at `startsAt` that set the fiche's priority to `priority`. */
async function closedPriorityDecision(
	ficheId: number,
	heldOn: string,
	startsAt: string,
	priority: number
) {
	const { id: sittingId } = await db
		.insertInto('commission_session')
		.values({
			held_on: heldOn,
			starts_at: startsAt,
			place: 'Cahors',
			title: `Séance de ${startsAt}`,
			state: 'held',
			created_at: '2026-05-01T08:00:00.000Z'
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const { id: itemId } = await db
		.insertInto('agenda_item')
		.values({ session_id: sittingId, fiche_id: ficheId, title: null, position: 1 })
		.returning('id')
		.executeTakeFirstOrThrow();
	await db
		.insertInto('decision')
		.values({
			session_id: sittingId,
			agenda_item_id: itemId,
			kind: 'priority',
			previous_priority: null,
			new_priority: priority,
			opinion: null,
			text: 'Priorité revue.',
			recorded_by: null,
			recorded_at: '2026-06-01T18:00:00.000Z'
		})
		.execute();
	await db
		.updateTable('commission_session')
		.set({ state: 'closed', closed_at: '2026-06-01T18:00:00.000Z' })
		.where('id', '=', sittingId)
		.execute();
}

describe('the latest priority decision of a fiche', () => {
	it('is the later séance of the day by its hour, not the decision written last', async () => {
		const fiche = (await findFicheByCode(db, '9-1'))!;
		// Written first, held later in the day.
		await closedPriorityDecision(fiche.id, '2026-06-01', '14:00', 1);
		await closedPriorityDecision(fiche.id, '2026-06-01', '09:00', 2);
		expect(await findLastPriorityDecision(db, fiche.id)).toEqual({
			heldOn: '2026-06-01',
			startsAt: '14:00'
		});
		const states = await loadFicheStatesAsOf(db, '2026-06-30');
		expect(states.find((f) => f.code === '9-1')?.priority).toBe(1);
	});
});

// Review #14: the bilan listed a day's decisions by their numbers, the fiche's and the séance's
// pages by the séances' hours.
describe('the decisions of closed séances', () => {
	it('are listed by a bilan in the order of the fiche’s page: by the séances’ hours', async () => {
		const fiche = (await findFicheByCode(db, '9-1'))!;
		// Written first, held later in the day.
		await closedPriorityDecision(fiche.id, '2026-06-01', '14:00', 1);
		await closedPriorityDecision(fiche.id, '2026-06-01', '09:00', 2);
		const onPage = (await listFicheDecisions(db, fiche.id)).map((d) => d.newPriority);
		expect(onPage).toEqual([2, 1]);
		const inBilan = (await listClosedDecisionsBetween(db, '2026-01-01', '2026-12-31'))
			.filter((d) => d.fiche === '9-1')
			.map((d) => d.newPriority);
		expect(inBilan).toEqual(onPage);
	});
});

// Walkthrough s56 #4: the bilan listed a séance's decisions in the order they were typed (1-2,
// 7-3, Questions diverses, 9-1…) while its relevé and decisions.csv follow its agenda; three séances
// of one day read alike (« Séance du 7 décembre 2026 »).
describe('the decisions of a bilan', () => {
	it('follow each séance’s agenda, and carry its hour', async () => {
		const member = await createTestUser(db, PEOPLE.claude);
		const { sittingId } = await heldSitting(db, member, {
			heldOn: '2026-06-01',
			startsAt: '09:30',
			fiches: ['1-2', '7-3']
		});
		const items = (await findSitting(db, sittingId))!.items;
		for (const item of [...items].reverse())
			expect(
				await recordDecision(
					db,
					member,
					sittingId,
					item.id,
					{ kind: 'opinion', opinion: 'favorable', text: 'Avis.' },
					null
				)
			).toEqual({ ok: true });
		expect(await changeSittingState(db, member, sittingId, 'closed', null)).toEqual({ ok: true });
		const listed = await listClosedDecisionsBetween(db, '2026-01-01', '2026-12-31');
		expect(listed.map((d) => [d.fiche, d.sittingStartsAt])).toEqual([
			['1-2', '09:30'],
			['7-3', '09:30']
		]);
	});
});
