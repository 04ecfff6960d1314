import { describe, expect, it } from 'vitest';
import { findUserByEmail } from '$lib/server/auth/repository';
import * as accounts from './admin/utilisateurs/+page.server';
import { adminDatabase, postAction, withSession } from './route-testing';

// /admin/utilisateurs?/create, through the route's own action.

const portal = adminDatabase();

async function create(email: string) {
	return postAction(
		accounts.actions.create,
		{ path: '/admin/utilisateurs?/create', route: '/admin/utilisateurs' },
		await withSession(portal.db, portal.admin),
		{ email, name: 'Camille Martin', role: 'commission', organisation: '' }
	);
}

describe('creating an account whose address’s domain is no host name', () => {
	// Hostile probe s45: « a@exa_mple.test » and « a@127.0.0.1 » were created, then their
	// invitation was refused by the relay (501).
	it('refuses it beside the field, keeps what was typed, and creates nothing', async () => {
		for (const [email, reason] of [
			['camille@exa_mple.test', /que des lettres, des chiffres et des tirets/],
			['camille@127.0.0.1', /pas une adresse IP/]
		] as const) {
			expect(await create(email)).toMatchObject({
				status: 400,
				data: { values: { email }, errors: { email: expect.stringMatching(reason) } }
			});
			expect(await findUserByEmail(portal.db, email)).toBeUndefined();
		}
		expect(await create('camille@exemple-1.test')).toMatchObject({
			invitation: { email: 'camille@exemple-1.test' }
		});
	});
});
