import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '$lib/server/auth/sessions';
import type { Db } from '$lib/server/db';
import { closeDatabase } from '$lib/server/db/instance';
import { createTestInstance } from '$lib/server/db/testing';
import {
	createProgressCast,
	preparedUpdate,
	takeOffFiche,
	type PreparedState,
	type ProgressCast
} from '$lib/server/progress/testing';
import * as espace from './espace/+page.server';
import * as updatePage from './espace/suivis/[id=id]/+page.server';
import { routeEvent } from './route-testing';

// Whether the organisation still works on an update's fiche (« carried »): /espace lists it from
// the progress service, as the update's own page reads it (it was the route comparing the list's
// fiche codes). Read through both routes, in every state an update waits in, on fiches the
// organisation owns, partners, both, or was taken off: the two never disagree.

let db: Db;
let cast: ProgressCast;
/** cdg46's update in each state, on a fiche of its own: partner of 1-1, owner of the others. */
const FICHE_OF: Record<Exclude<PreparedState, 'validated'>, string> = {
	draft: '9-1',
	submitted: '1-1',
	returned: '5-1',
	withdrawn: '12-1'
};
const ids = {} as Record<keyof typeof FICHE_OF, number>;

beforeAll(async () => {
	db = await createTestInstance();
	cast = await createProgressCast(db);
	for (const [state, code] of Object.entries(FICHE_OF) as [keyof typeof FICHE_OF, string][])
		ids[state] = (await preparedUpdate(db, cast, state, code)).id;
	// Published, it leaves the list (and its page's « carried » is not the list's to say).
	await preparedUpdate(db, cast, 'validated', '6-1');
});
afterAll(closeDatabase);

async function signedIn(path: string, route: string, params: Record<string, string> = {}) {
	const { session } = await createSession(db, cast.cdg.id);
	return routeEvent(path, route, params, { user: cast.cdg, session });
}

/** « carried » of each update /espace lists, and of the same update on its page: by state. */
async function readings() {
	const home = (await espace.load(await signedIn('/espace', '/espace'))) as {
		pending: { id: number; carried: boolean }[];
	};
	const listed: Record<string, boolean> = {};
	const paged: Record<string, boolean> = {};
	for (const [state, id] of Object.entries(ids)) {
		const item = home.pending.find((u) => u.id === id);
		expect(item, state).toBeDefined();
		listed[state] = item!.carried;
		const page = (await updatePage.load(
			await signedIn(`/espace/suivis/${id}`, '/espace/suivis/[id=id]', { id: String(id) })
		)) as { carried: boolean };
		paged[state] = page.carried;
	}
	expect(home.pending).toHaveLength(Object.keys(ids).length);
	return { listed, paged };
}

async function fiche(code: string): Promise<number> {
	return (
		await db.selectFrom('fiche').select('id').where('code', '=', code).executeTakeFirstOrThrow()
	).id;
}

describe('/espace says « carried » as the update’s page does', () => {
	it('for each state, as owner, partner, both, one role left, and taken off', async () => {
		const organisationId = cast.cdg.organisationId!;
		const all = { draft: true, submitted: true, returned: true, withdrawn: true };
		expect(await readings()).toEqual({ listed: all, paged: all });

		// Owner and partner of 9-1, then partner only: still on the fiche.
		await db
			.insertInto('fiche_partner')
			.values({ fiche_id: await fiche('9-1'), organisation_id: organisationId, position: 99 })
			.execute();
		expect(await readings()).toEqual({ listed: all, paged: all });
		await db
			.deleteFrom('fiche_owner')
			.where('fiche_id', '=', await fiche('9-1'))
			.where('organisation_id', '=', organisationId)
			.execute();
		expect(await readings()).toEqual({ listed: all, paged: all });

		// Taken off the fiche it partners (1-1) and one it owns (12-1): read only, both say so.
		await takeOffFiche(db, organisationId, '1-1');
		await takeOffFiche(db, organisationId, '12-1');
		const after = { ...all, submitted: false, withdrawn: false };
		expect(await readings()).toEqual({ listed: after, paged: after });

		// Off every fiche: none carried.
		await takeOffFiche(db, organisationId, '9-1');
		await takeOffFiche(db, organisationId, '5-1');
		const none = { draft: false, submitted: false, returned: false, withdrawn: false };
		expect(await readings()).toEqual({ listed: none, paged: none });
	});
});
