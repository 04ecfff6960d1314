import { isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { progressFormData } from '$lib/server/progress/testing';
import * as form from './espace/fiches/[code=fiche]/suivi/+page.server';
import { adminDatabase, routeEvent } from './route-testing';
import { createTestUser } from '$lib/server/auth/testing';

// Merge review s47: an administrator posting a new update was answered as a partner taken off the
// fiche (409, journaled as a refused save, the partner form drawn by `load`): the test read « has
// a refusal reason » as « is a partner off the fiche », and administrators got a reason too.

const portal = adminDatabase();

/** The answer (or what was thrown) of `run` on the admin's post of a new update of 14-1. */
async function adminPost(run: 'action' | 'load') {
	const event = routeEvent(
		'/espace/fiches/14-1/suivi',
		'/espace/fiches/[code=fiche]/suivi',
		{ code: '14-1' },
		portal.admin,
		progressFormData({ done: 'Bornes posées.' })
	);
	const call = run === 'action' ? form.actions.default!(event as never) : form.load(event as never);
	return Promise.resolve(call).catch((thrown: unknown) => thrown);
}

describe('an administrator posting a new update', () => {
	it('is refused 403 with the administrators’ reason, journaled as a denial', async () => {
		const answer = await adminPost('action');
		expect(isHttpError(answer) && answer.status).toBe(403);
		expect(isHttpError(answer) && answer.body.message).toMatch(
			/^Les administrateurs valident les mises à jour, ils ne les rédigent pas\./
		);
		const rows = await portal.db
			.selectFrom('audit_event')
			.select('action')
			.where('action', 'in', ['access.denied', 'update.conflict'])
			.execute();
		expect(rows.map((r) => r.action)).toEqual(['access.denied']);
	});

	it('is not drawn the partner form by `load` on the post', async () => {
		const answer = await adminPost('load');
		expect(isHttpError(answer) && answer.status).toBe(403);
	});
});

// Merge review s50: the page said a commission member's refusal generally, its post « Votre
// organisation ne porte pas cette fiche », a reason that is not theirs.
describe('a commission member posting a new update', () => {
	it('is refused 403 with the general words, as the page is', async () => {
		const member = await createTestUser(portal.db, {
			email: 'membre.post@example.org',
			name: 'Membre Commission',
			role: 'commission'
		});
		const event = routeEvent(
			'/espace/fiches/14-1/suivi',
			'/espace/fiches/[code=fiche]/suivi',
			{ code: '14-1' },
			member,
			progressFormData({ done: 'Bornes posées.' })
		);
		const answer = await Promise.resolve(form.actions.default!(event as never)).catch(
			(thrown: unknown) => thrown
		);
		expect(isHttpError(answer) && answer.status).toBe(403);
		expect(isHttpError(answer) && answer.body.message).toMatch(
			/^Vous n’avez pas les droits nécessaires/
		);
	});
});
