import { describe, expect, it } from 'vitest';
import { createSession } from '$lib/server/auth/sessions';
import { findFicheState, lastFicheRevisionId } from '$lib/server/authoring/repository';
import { ficheFormValues } from '$lib/server/authoring/fiche-form';
import { actions } from './admin/plan/fiches/[code=fiche]/+page.server';
import { adminDatabase, routeEvent } from './route-testing';

// A fiche's form, sent to the route's own action as an administrator.

const portal = adminDatabase();

async function send(code: string, changes: Record<string, string>) {
	const state = (await findFicheState(portal.db, code))!;
	const values = {
		...ficheFormValues(state, await lastFicheRevisionId(portal.db, state.id)),
		...changes
	};
	const form = new FormData();
	for (const [name, value] of Object.entries(values)) form.set(name, value);
	const { session } = await createSession(portal.db, portal.admin.id);
	return (await actions.enregistrer!(
		routeEvent(
			`/admin/plan/fiches/${code}?/enregistrer`,
			'/admin/plan/fiches/[code=fiche]',
			{ code },
			{ user: portal.admin, session },
			form
		)
	)) as { status: number; data: { errors: Record<string, string> } };
}

describe('the fiche’s form', () => {
	it('tells an unknown linked code, or the fiche itself, with the other refused fields at once', async () => {
		const unknown = await send('9-1', { title: '', links: '1-1, 99-9', reason: 'Relecture' });
		expect(unknown.status).toBe(400);
		expect(unknown.data.errors).toMatchObject({
			title: expect.any(String),
			links: 'Aucune fiche ne porte le code 99-9.'
		});
		const itself = await send('9-1', { title: '', links: '9-1', reason: 'Relecture' });
		expect(itself.data.errors.links).toBe('Une fiche ne peut pas être liée à elle-même.');
	});
});
