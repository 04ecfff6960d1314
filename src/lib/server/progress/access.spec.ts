import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../auth/users';
import type { Db } from '../db';
import type { UpdateState } from '../db/schema';
import { createTestDb } from '../db/testing';
import { UPDATE_NOT_FOUND } from '../../utils/vocabulary';
import {
	discardProgressDraft,
	listPendingUpdates,
	partnerFormContext,
	updateAccess,
	withdrawProgressUpdate,
	type UpdateAction
} from './service';
import { createTestUser } from '../auth/testing';
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

// s51: /espace decided « carried » in its route, by the fiche codes of its list of fiches.
describe('listPendingUpdates: the list of /espace, « carried » as updateAccess says it', () => {
	/** Each listed update's `carried`, and the same update's through updateAccess. */
	async function carried(user: User) {
		const listed = await listPendingUpdates(db, user);
		const reached = [];
		for (const { id } of listed)
			reached.push({ id, carried: (await answer(user, id, 'view')).carried });
		return { listed: listed.map(({ id, carried }) => ({ id, carried })), reached };
	}

	it('lists the organisation’s updates waiting, newest first, and agrees with their pages on and off the fiche', async () => {
		const ids = await updatesOfCdg();
		const waiting = [ids.returned, ids.submitted, ids.draft];
		const on = waiting.map((id) => ({ id, carried: true }));
		expect(await carried(cast.colleague)).toEqual({ listed: on, reached: on });
		await takeOffFiche(db, cast.cdg.organisationId!, FICHE_OF.submitted);
		const off = waiting.map((id) => ({ id, carried: id !== ids.submitted }));
		expect(await carried(cast.colleague)).toEqual({ listed: off, reached: off });
		// Another organisation's, and a person without one, list nothing of cdg46's.
		expect(await listPendingUpdates(db, cast.ars)).toEqual([]);
		expect(await listPendingUpdates(db, cast.admin)).toEqual([]);
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

// Review #14: the partner's form decided again, in its route, what a save decides here.
describe('partnerFormContext: the partner’s form, decided as a save is', () => {
	const form = async (user: User, code: string, id: number | null) => {
		const result = await partnerFormContext(db, user, code, id, '127.0.0.1');
		if (!result.ok) return { status: result.status, reason: result.reason, next: result.next };
		const { fiche, ...rest } = result.value;
		const draft = 'draft' in rest ? rest.draft && rest.draft.id : undefined;
		return { code: fiche.code, ...rest, ...(draft === undefined ? {} : { draft }) };
	};

	it('resumes the organisation’s open update, and gives its draft with what may be done', async () => {
		expect(await form(cast.cdg, '9-1', null)).toEqual({
			code: '9-1',
			reason: 'new-update',
			resume: null
		});
		const { id } = await preparedUpdate(db, cast, 'submitted');
		expect(await form(cast.colleague, '9-1', null)).toEqual({
			code: '9-1',
			reason: 'new-update',
			resume: { id, state: 'submitted' }
		});
		const draft = await preparedUpdate(db, cast, 'draft', '5-1');
		const named = await partnerFormContext(db, cast.cdg, '5-1', draft.id, null);
		expect(named.ok && named.value.reason === 'draft' && named.value.draft.canDiscard).toBe(true);
		// On another fiche: answered as missing.
		expect(await form(cast.cdg, '9-1', draft.id)).toEqual({ status: 404 });
	});

	it('says the organisation is off the fiche, and a discarded draft, keeping the fiche', async () => {
		const draft = await preparedUpdate(db, cast, 'draft', '5-1');
		const discarded = await preparedUpdate(db, cast, 'draft');
		expect((await discardProgressDraft(db, cast.cdg, discarded.id, 1, null)).ok).toBe(true);
		expect(await form(cast.colleague, '9-1', discarded.id)).toEqual({
			code: '9-1',
			reason: 'draft-discarded',
			updateId: discarded.id
		});
		await takeOffFiche(db, cast.cdg.organisationId!, '5-1');
		expect(await form(cast.cdg, '5-1', draft.id)).toEqual({
			code: '5-1',
			reason: 'organisation-off-fiche',
			draft: draft.id
		});
		expect(await form(cast.cdg, '5-1', null)).toEqual({
			code: '5-1',
			reason: 'organisation-off-fiche',
			draft: null
		});
	});

	it('refuses an unknown fiche, an administrator with the way onward, anyone else generally', async () => {
		const member = await createTestUser(db, {
			email: 'membre@lot.fr',
			name: 'Marc Membre',
			role: 'commission',
			password: null
		});
		expect(await form(cast.cdg, '99-9', null)).toEqual({ status: 404, reason: 'fiche-not-found' });
		expect(await form(cast.admin, '9-1', null)).toEqual({
			status: 403,
			next: { href: '/admin/utilisateurs', label: 'Inviter un compte partenaire (Comptes)' }
		});
		expect(await form(member, '9-1', null)).toEqual({ status: 403, reason: 'forbidden' });
		expect(await denials()).toEqual([]);
	});
});
