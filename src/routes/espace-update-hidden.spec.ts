import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '$lib/server/auth/sessions';
import { createTestUser, PEOPLE } from '$lib/server/auth/testing';
import type { User } from '$lib/server/auth/users';
import type { Db } from '$lib/server/db';
import { closeDatabase, initDatabase } from '$lib/server/db/instance';
import { saveProgressUpdate } from '$lib/server/progress/service';
import { createPartner, progressInput } from '$lib/server/progress/testing';
import { moveFiche } from '$lib/server/authoring/testing';
import * as formPage from './espace/fiches/[code=fiche]/suivi/+page.server';
import * as updatePage from './espace/suivis/[id=id]/+page.server';
import { routeAnswer as answer, routeEvent } from './route-testing';

// Hostile probe s47: a partner told another organisation's update (403) from an id that does not
// exist (404), and on which fiche it was (403 on its fiche, 404 on another). One answer now: the
// same status and message for « not yours » and « does not exist », on both routes and their actions.

let db: Db;
let owner: User;
let other: User;
let draftId = 0;

beforeAll(async () => {
	db = await initDatabase(':memory:');
	owner = await createPartner(db, 'cdg46', 'paul@cdg46.fr');
	other = await createPartner(db, 'ars', 'alice@ars.fr');
	const saved = await saveProgressUpdate(db, owner, '9-1', null, progressInput({}), null);
	if (!saved.ok) throw new Error(saved.message);
	draftId = saved.value.id;
});
afterAll(closeDatabase);

type Sent = 'GET' | 'POST' | 'POST by script';
const SENT: Sent[] = ['GET', 'POST', 'POST by script'];

/** The event of `path`, a form posted as the page's script posts it when `sent` says so. */
function eventOf(
	sent: Sent,
	path: string,
	route: string,
	params: Record<string, string>,
	signedIn: Parameters<typeof routeEvent>[3],
	form: FormData
) {
	const event = routeEvent(path, route, params, signedIn, sent === 'GET' ? undefined : form);
	if (sent !== 'POST by script') return event;
	const request = new Request(`http://localhost${path}`, {
		method: 'POST',
		body: form,
		headers: { 'x-sveltekit-action': 'true' }
	});
	return { ...(event as object), request } as never;
}

function updateForm(): FormData {
	const form = new FormData();
	for (const [name, value] of Object.entries({
		reported_on: '2026-03-01',
		status: 'en_cours',
		progress: '30',
		done: 'Réunion tenue.',
		next_steps: '',
		difficulties: '',
		submission_key: crypto.randomUUID(),
		version: '1',
		intent: 'draft'
	}))
		form.set(name, value);
	return form;
}

async function formRoute(user: User, code: string, id: number, sent: Sent) {
	const { session } = await createSession(db, user.id);
	const event = eventOf(
		sent,
		`/espace/fiches/${code}/suivi?brouillon=${id}`,
		'/espace/fiches/[code=fiche]/suivi',
		{ code },
		{ user, session },
		updateForm()
	);
	return answer(() =>
		sent === 'GET' ? formPage.load(event as never) : formPage.actions.default!(event)
	);
}

async function updateRoute(user: User, id: number, sent: Sent) {
	const { session } = await createSession(db, user.id);
	const form = new FormData();
	form.set('version', '1');
	const event = eventOf(
		sent,
		`/espace/suivis/${id}${sent === 'GET' ? '' : '?/retirer'}`,
		'/espace/suivis/[id=id]',
		{ id: String(id) },
		{ user, session },
		form
	);
	return answer(() =>
		sent === 'GET' ? updatePage.load(event as never) : updatePage.actions.retirer!(event)
	);
}

describe('another organisation’s update, and one that does not exist', () => {
	for (const sent of SENT)
		it(`get one answer, on the partner form and on the update’s page (${sent})`, async () => {
			const missing = 999_999;
			const answers = [
				await formRoute(other, '9-1', draftId, sent),
				await formRoute(other, '1-1', draftId, sent),
				await formRoute(other, '9-1', missing, sent),
				await updateRoute(other, draftId, sent),
				await updateRoute(other, missing, sent)
			];
			const first = answers[0]!;
			expect(first.status).toBe(404);
			expect(first.message).toMatch(/n’existe pas.*compte/);
			// Sent by the page's script, the form stays as typed, with a link to sign in.
			expect(first.signIn).toBe(sent === 'POST by script' ? true : undefined);
			for (const one of answers) expect(one).toEqual(first);
			// The organisation's own partner still reaches it.
			expect((await updateRoute(owner, draftId, 'GET')).status).toBe(200);
		});

	it('journals each request for another organisation’s update once, in the service’s words naming the action (#14)', async () => {
		const journaled = async (ask: () => Promise<unknown>) => {
			const before = await denials();
			await ask();
			return (await denials()).slice(before.length).map((d) => d.summary);
		};
		const words = (action: string) =>
			`Mise à jour d’une autre organisation demandée (fiche 9-1) : refusé (update.${action})`;
		for (const sent of SENT) {
			expect(await journaled(() => formRoute(other, '9-1', draftId, sent)), sent).toEqual([
				words('save')
			]);
			expect(await journaled(() => formRoute(other, '1-1', draftId, sent)), sent).toEqual([
				words('save')
			]);
			expect(await journaled(() => updateRoute(other, draftId, sent)), sent).toEqual([
				words(sent === 'GET' ? 'view' : 'withdraw')
			]);
			// A number never given hides nothing: not journaled.
			expect(await journaled(() => updateRoute(other, 999_999, sent)), sent).toEqual([]);
		}
	});
});

describe('another organisation’s update on a fiche that moved since the page was opened', () => {
	it('is refused at the former code as at the new one, journaled once per request', async () => {
		const saved = await saveProgressUpdate(db, owner, '1-2', null, progressInput({}), null);
		if (!saved.ok) throw new Error(saved.message);
		const moved = await moveFiche(db, await createTestUser(db, PEOPLE.admin), '1-2', 2, new Date());
		if (!moved.ok) throw new Error(moved.message);
		const code = moved.value.code;
		// Its own account: the other tests' denials count towards the day's bound.
		const prober = await createPartner(db, 'ars', 'bruno@ars.fr');
		for (const sent of ['POST', 'POST by script'] as const)
			for (const at of ['1-2', code]) {
				const before = (await denials()).length;
				const answer = await formRoute(prober, at, saved.value.id, sent);
				expect(answer.status, `${sent} ${at}`).toBe(404);
				expect((await denials()).slice(before), `${sent} ${at}`).toEqual([
					{
						summary: `Mise à jour d’une autre organisation demandée (fiche ${code}) : refusé (update.save)`
					}
				]);
			}
	});
});

const denials = () =>
	db
		.selectFrom('audit_event')
		.select('summary')
		.where('action', '=', 'access.denied')
		.orderBy('audit_event.id')
		.execute();
