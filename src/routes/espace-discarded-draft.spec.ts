import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '$lib/server/auth/sessions';
import type { User } from '$lib/server/auth/users';
import type { Db } from '$lib/server/db';
import { closeDatabase, initDatabase } from '$lib/server/db/instance';
import { discardProgressDraft, saveProgressUpdate } from '$lib/server/progress/service';
import { createPartner, progressFormData, progressInput } from '$lib/server/progress/testing';
import { UPDATE_NOT_FOUND } from '$lib/utils/vocabulary';
import * as formPage from './espace/fiches/[code=fiche]/suivi/+page.server';
import * as discardedPage from './espace/suivis/[id=id]/supprime/+page.server';
import { routeEvent } from './route-testing';

// A draft discarded by its organisation: a tab left open on its form, read again, lands on
// « Brouillon supprimé »; a colleague's save sent without script is drawn with its refusal, the
// typing kept (no 404 page); anyone else is answered as for a missing update.

let db: Db;
let owner: User;
let colleague: User;
let other: User;
let discardedId = 0;

beforeAll(async () => {
	db = await initDatabase(':memory:');
	owner = await createPartner(db, 'cdg46', 'paul@cdg46.fr');
	colleague = await createPartner(db, 'cdg46', 'claire@cdg46.fr');
	other = await createPartner(db, 'ars', 'alice@ars.fr');
	const saved = await saveProgressUpdate(
		db,
		owner,
		'9-1',
		null,
		progressInput({ intent: 'draft' }),
		null
	);
	if (!saved.ok) throw new Error(saved.message);
	discardedId = saved.value.id;
	const discarded = await discardProgressDraft(db, owner, discardedId, 1, null);
	if (!discarded.ok) throw new Error(discarded.message);
});
afterAll(closeDatabase);

/** What a `load` or an action answers: its status, message or location, thrown or returned. */
async function answer(act: () => unknown) {
	try {
		const result = (await act()) as
			| { status?: number; data?: { message?: string; values?: Record<string, string> } }
			| Record<string, unknown>;
		return { status: (result?.status as number | undefined) ?? 200, result };
	} catch (thrown) {
		const failure = thrown as { status?: number; location?: string; body?: { message?: string } };
		if (failure.status === undefined) throw thrown;
		return { status: failure.status, location: failure.location, message: failure.body?.message };
	}
}

async function onForm(user: User, method: 'GET' | 'POST', act: 'load' | 'action') {
	const { session } = await createSession(db, user.id);
	const event = routeEvent(
		`/espace/fiches/9-1/suivi?brouillon=${discardedId}`,
		'/espace/fiches/[code=fiche]/suivi',
		{ code: '9-1' },
		{ user, session },
		method === 'GET'
			? undefined
			: progressFormData({ done: 'Claire écrivait.', version: '1', submission_key: 'cle-claire' })
	);
	return answer(() =>
		act === 'load' ? formPage.load(event as never) : formPage.actions.default!(event)
	);
}

/** The « Brouillon supprimé » page of the discarded draft, as `user` opens it. */
async function onDiscardedPage(user: User) {
	const { session } = await createSession(db, user.id);
	return answer(() =>
		discardedPage.load(
			routeEvent(
				`/espace/suivis/${discardedId}/supprime`,
				'/espace/suivis/[id=id]/supprime',
				{ id: String(discardedId) },
				{ user, session }
			)
		)
	);
}

describe('a draft discarded by its organisation', () => {
	it('read again in a tab left open on its form: « Brouillon supprimé »', async () => {
		expect(await onForm(colleague, 'GET', 'load')).toMatchObject({
			status: 303,
			location: `/espace/suivis/${discardedId}/supprime`
		});
		const page = await onDiscardedPage(colleague);
		expect(page).toMatchObject({
			status: 200,
			result: { discarded: { ficheCode: '9-1' }, again: false, carried: true }
		});
	});

	it('saved meanwhile without script: the page is drawn with the refusal and the typing', async () => {
		const saved = await onForm(colleague, 'POST', 'action');
		expect(saved).toMatchObject({
			status: 409,
			result: { data: { values: { done: 'Claire écrivait.' } } }
		});
		expect((saved.result as { data: { message: string } }).data.message).toMatch(
			/^Ce brouillon de la fiche 9-1 a été supprimé par Partenaire paul@cdg46\.fr le /
		);
		// SvelteKit then runs `load` for the page that shows the answer: drawn, not a 404.
		expect(await onForm(colleague, 'POST', 'load')).toMatchObject({
			status: 200,
			result: { draft: null }
		});
	});

	it('is a missing update for another organisation, on the form and on its page', async () => {
		for (const method of ['GET', 'POST'] as const)
			expect(await onForm(other, method, 'load')).toMatchObject({
				status: 404,
				message: UPDATE_NOT_FOUND
			});
		expect(await onDiscardedPage(other)).toMatchObject({ status: 404, message: UPDATE_NOT_FOUND });
	});
});
