import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '$lib/server/auth/sessions';
import type { User } from '$lib/server/auth/users';
import type { Db } from '$lib/server/db';
import { closeDatabase, initDatabase } from '$lib/server/db/instance';
import { discardProgressDraft, saveProgressUpdate } from '$lib/server/progress/service';
import { createPartner, progressInput, takeOffFiche } from '$lib/server/progress/testing';
import * as formPage from './espace/fiches/[code=fiche]/suivi/+page.server';
import { routeAnswer, routeEvent } from './route-testing';

// Hostile probe s48: `curl -I /espace/fiches/1-2/suivi`, as a partner of another organisation,
// answered 200 where GET answered 403, and journaled nothing: the form's `load` took any method
// but GET for the page drawn again after a post. SvelteKit answers HEAD with the page's `load`:
// it must decide as GET does.

let db: Db;
let owner: User;
let other: User;

beforeAll(async () => {
	db = await initDatabase(':memory:');
	owner = await createPartner(db, 'cdg46', 'paul@cdg46.fr');
	other = await createPartner(db, 'ars', 'alice@ars.fr');
});
afterAll(closeDatabase);

async function formAnswer(user: User, path: string, code: string, method: 'GET' | 'HEAD') {
	const { session } = await createSession(db, user.id);
	const event = routeEvent(
		path,
		'/espace/fiches/[code=fiche]/suivi',
		{ code },
		{ user, session },
		method === 'HEAD' ? 'HEAD' : undefined
	);
	return routeAnswer(() => formPage.load(event));
}

const denialsOf = (user: User) =>
	db
		.selectFrom('audit_event')
		.select('summary')
		.where('action', '=', 'access.denied')
		.where('actor_id', '=', user.id)
		.orderBy('id')
		.execute();

async function ownerDraft(code: string): Promise<number> {
	const saved = await saveProgressUpdate(
		db,
		owner,
		code,
		null,
		progressInput({ intent: 'draft' }),
		null
	);
	if (!saved.ok) throw new Error(saved.message);
	return saved.value.id;
}

describe('HEAD on the partner’s update form', () => {
	it('is refused as GET is to a partner of another organisation, and journaled', async () => {
		const path = '/espace/fiches/9-1/suivi';
		const get = await formAnswer(other, path, '9-1', 'GET');
		const head = await formAnswer(other, path, '9-1', 'HEAD');
		expect(get.status).toBe(403);
		expect(head).toEqual(get);
		expect((await denialsOf(other)).map((d) => d.summary)).toEqual([
			expect.stringMatching(/^GET \/espace\/fiches\/9-1\/suivi refusé/),
			expect.stringMatching(/^HEAD \/espace\/fiches\/9-1\/suivi refusé/)
		]);
	});

	it('leads where GET leads from a malformed brouillon= and from a discarded draft', async () => {
		const malformed = '/espace/fiches/9-1/suivi?brouillon=12abc';
		const get = await formAnswer(owner, malformed, '9-1', 'GET');
		expect(get).toMatchObject({ status: 303, location: '/espace/fiches/9-1/suivi' });
		expect(await formAnswer(owner, malformed, '9-1', 'HEAD')).toEqual(get);

		// Discarded here, so the next test still finds 1-2 without an open update.
		const discarded = await ownerDraft('1-2');
		const done = await discardProgressDraft(db, owner, discarded, 1, null);
		if (!done.ok) throw new Error(done.message);
		const path = `/espace/fiches/1-2/suivi?brouillon=${discarded}`;
		const read = await formAnswer(owner, path, '1-2', 'GET');
		expect(read).toMatchObject({ status: 303, location: `/espace/suivis/${discarded}/supprime` });
		expect(await formAnswer(owner, path, '1-2', 'HEAD')).toEqual(read);
	});
	it('leads where GET leads: to the open update, and to the update of a fiche the organisation left', async () => {
		const open = await ownerDraft('9-1');
		const resumed = await formAnswer(owner, '/espace/fiches/9-1/suivi', '9-1', 'GET');
		expect(resumed).toMatchObject({
			status: 303,
			location: `/espace/fiches/9-1/suivi?brouillon=${open}&reprise=1`
		});
		expect(await formAnswer(owner, '/espace/fiches/9-1/suivi', '9-1', 'HEAD')).toEqual(resumed);

		const left = await ownerDraft('1-2');
		await takeOffFiche(db, owner.organisationId!, '1-2');
		const path = `/espace/fiches/1-2/suivi?brouillon=${left}`;
		const read = await formAnswer(owner, path, '1-2', 'GET');
		expect(read).toMatchObject({ status: 303, location: `/espace/suivis/${left}` });
		expect(await formAnswer(owner, path, '1-2', 'HEAD')).toEqual(read);
	});
});
