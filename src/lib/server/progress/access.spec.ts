import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../auth/users';
import type { Db } from '../db';
import type { UpdateState } from '../db/schema';
import { createTestDb } from '../db/testing';
import { UPDATE_NOT_FOUND } from '../../utils/vocabulary';
import {
	discardProgressDraft,
	updateAccess,
	withdrawProgressUpdate,
	type UpdateAction
} from './service';
import { createProgressCast, preparedUpdate, takeOffFiche, type ProgressCast } from './testing';

// Issue #14: who may read, save, withdraw or discard an update is decided once, by updateAccess,
// for the services and the partner's pages alike.

let db: Db;
let cast: ProgressCast;

beforeEach(async () => {
	db = await createTestDb();
	cast = await createProgressCast(db);
});
afterEach(async () => {
	await db.destroy();
});

const ACTIONS: UpdateAction[] = ['view', 'save', 'withdraw', 'discard'];
const STATES: UpdateState[] = ['draft', 'submitted', 'returned', 'validated'];
/** One fiche of cdg46 per state: one open update per fiche and organisation. */
const FICHE_OF: Record<UpdateState, string> = {
	draft: '9-1',
	submitted: '1-1',
	returned: '5-1',
	validated: '12-1'
};

/** cdg46's update in each state: its id. */
async function updatesOfCdg(): Promise<Record<UpdateState, number>> {
	const ids = {} as Record<UpdateState, number>;
	for (const state of STATES)
		ids[state] = (await preparedUpdate(db, cast, state, FICHE_OF[state])).id;
	return ids;
}

const denials = () =>
	db
		.selectFrom('audit_event')
		.select(['actor_id as actorId', 'target_type as type', 'target_id as id', 'summary'])
		.where('action', '=', 'access.denied')
		.orderBy('audit_event.id')
		.execute();

/** What `user` is answered, as a status (200 when allowed) and, allowed, what they may do. */
async function answer(user: User, id: number, action: UpdateAction) {
	const result = await db
		.transaction()
		.execute((trx) => updateAccess(trx, user, id, action, '127.0.0.1'));
	if (!result.ok) return { status: result.status, message: result.message, reason: result.reason };
	const { carried, canWithdraw, canDiscard, update } = result.value;
	return { status: 200, id: update.id, carried, canWithdraw, canDiscard };
}

describe('updateAccess: an update of cdg46 in each state, each action', () => {
	it('lets its organisation’s partners reach it, and says what they may do with it', async () => {
		const ids = await updatesOfCdg();
		for (const user of [cast.cdg, cast.colleague])
			for (const state of STATES)
				for (const action of ACTIONS)
					expect(await answer(user, ids[state], action), `${state} ${action}`).toEqual({
						status: 200,
						id: ids[state],
						carried: true,
						canWithdraw: state === 'submitted',
						canDiscard: state === 'draft'
					});
		expect(await denials()).toEqual([]);
	});

	it('answers another organisation’s partner and an administrator as for a missing update, each asking journaled once, naming the action', async () => {
		const ids = await updatesOfCdg();
		const expected: { actorId: number; type: string; id: string; summary: string }[] = [];
		for (const user of [cast.ars, cast.admin])
			for (const state of STATES)
				for (const action of ACTIONS) {
					expect(await answer(user, ids[state], action), `${state} ${action}`).toEqual({
						status: 404,
						message: UPDATE_NOT_FOUND,
						reason: undefined
					});
					expected.push({
						actorId: user.id,
						type: 'suivi',
						id: String(ids[state]),
						summary: `Mise à jour d’une autre organisation demandée (fiche ${FICHE_OF[state]}) : refusé (update.${action})`
					});
				}
		expect(await denials()).toEqual(expected);
	});

	it('lets a partner whose organisation was taken off the fiche read it, and do nothing else', async () => {
		const ids = await updatesOfCdg();
		for (const state of STATES) await takeOffFiche(db, cast.cdg.organisationId!, FICHE_OF[state]);
		for (const state of STATES)
			for (const action of ACTIONS)
				expect(await answer(cast.cdg, ids[state], action), `${state} ${action}`).toEqual({
					status: 200,
					id: ids[state],
					carried: false,
					canWithdraw: false,
					canDiscard: false
				});
		expect(await denials()).toEqual([]);
	});

	it('tells a partner taken off the fiche who posts « Retirer » on a submitted update why: the fiche, not the state (review s49)', async () => {
		const ids = await updatesOfCdg();
		await takeOffFiche(db, cast.cdg.organisationId!, FICHE_OF.submitted);
		const refused = await withdrawProgressUpdate(db, cast.cdg, ids.submitted, 1, null);
		expect(refused).toEqual({
			ok: false,
			status: 409,
			message:
				'Votre organisation ne porte plus cette fiche et n’en est plus partenaire : cette mise à jour reste lisible, mais ne se retire pas.'
		});
	});
});

describe('updateAccess: a number that names no update', () => {
	it('says a discarded draft as such to its organisation, per action; anyone else, as missing, unjournaled', async () => {
		const { id } = await preparedUpdate(db, cast, 'draft');
		expect((await discardProgressDraft(db, cast.cdg, id, 1, null)).ok).toBe(true);
		const own: Record<UpdateAction, { status: number; reason?: string }> = {
			view: { status: 410, reason: 'draft-discarded' },
			// Two people of the organisation, one discarding while the other writes: the typing kept.
			save: { status: 409, reason: 'draft-discarded' },
			withdraw: { status: 404, reason: undefined },
			discard: { status: 410, reason: 'draft-discarded' }
		};
		for (const action of ACTIONS) {
			expect(await answer(cast.colleague, id, action), action).toMatchObject(own[action]);
			for (const user of [cast.ars, cast.admin])
				expect(await answer(user, id, action), action).toEqual({
					status: 404,
					message: UPDATE_NOT_FOUND,
					reason: undefined
				});
		}
		expect((await answer(cast.colleague, id, 'view')).message).toMatch(
			/^Ce brouillon de la fiche 9-1 a déjà été supprimé par Partenaire paul@cdg46\.fr le /
		);
		expect(await denials()).toEqual([]);
	});

	it('answers a number never given as a missing update, to everyone, unjournaled', async () => {
		for (const user of Object.values(cast))
			for (const action of ACTIONS)
				expect(await answer(user, 999_999, action), action).toEqual({
					status: 404,
					message: UPDATE_NOT_FOUND,
					reason: undefined
				});
		expect(await denials()).toEqual([]);
	});
});
