import { isHttpError } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '$lib/server/auth/sessions';
import { createTestUser, PEOPLE } from '$lib/server/auth/testing';
import type { User } from '$lib/server/auth/users';
import { heldSitting, preparedSitting } from '$lib/server/commission/testing';
import type { Db } from '$lib/server/db';
import { closeDatabase } from '$lib/server/db/instance';
import { createTestInstance } from '$lib/server/db/testing';
import { createPartner } from '$lib/server/progress/testing';
import { load } from './commission/seances/[id=id]/fiches/[code=fiche]/+page.server';
import { parisDate } from '$lib/utils/dates';
import { routeEvent } from './route-testing';

// What the file of a fiche for a séance gives its page in each state of the séance (in
// preparation, held, closed) and for a fiche on its agenda or not: pinned before the load's
// decisions moved, to stay the same after.

let db: Db;
let admin: User;

async function fileAs(user: User, sittingId: number, code: string): Promise<unknown> {
	const { session } = await createSession(db, user.id);
	const id = String(sittingId);
	const event = routeEvent(
		`/commission/seances/${id}/fiches/${code}`,
		'/commission/seances/[id=id]/fiches/[code=fiche]',
		{ id, code },
		{ user, session }
	);
	return Promise.resolve(load(event)).then(
		(data) => data,
		(thrown: unknown) =>
			isHttpError(thrown) ? { status: thrown.status, body: thrown.body } : Promise.reject(thrown)
	);
}

beforeAll(async () => {
	db = await createTestInstance();
	admin = await createTestUser(db, PEOPLE.admin);
});
afterAll(closeDatabase);

describe('the file of a fiche, in each state of its séance', () => {
	it('gives its page the same data', async () => {
		// In preparation: a day to come, said « <day to come> » in the snapshot.
		const soon = parisDate(new Date(Date.now() + 30 * 86_400_000));
		const planned = await preparedSitting(db, admin, {
			fiches: ['6-1'],
			heldOn: soon,
			place: 'Figeac',
			title: 'En préparation'
		});
		const held = (await heldSitting(db, admin, { fiches: ['6-1'], heldOn: '2026-05-01' }))
			.sittingId;
		const closed = (
			await heldSitting(db, admin, { fiches: ['6-1'], heldOn: '2026-03-01', closed: true })
		).sittingId;
		const partner = await createPartner(db, 'cdg46', 'paul@cdg46.fr');
		const files: Record<string, unknown> = {};
		for (const [name, id] of [
			['planned', planned],
			['held', held],
			['closed', closed]
		] as const) {
			files[`${name}, on the agenda`] = await fileAs(admin, id, '6-1');
			files[`${name}, not on the agenda`] = await fileAs(admin, id, '1-1');
			files[`${name}, partner`] = await fileAs(partner, id, '6-1');
		}
		files['no such séance'] = await fileAs(admin, 999_999, '6-1');
		expect(JSON.parse(JSON.stringify(files).replaceAll(soon, '<day to come>'))).toMatchSnapshot();
	});
});
