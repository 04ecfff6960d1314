import { describe, expect, it } from 'vitest';
import { recordAudit } from '$lib/server/audit/repository';
import { createTestUser } from '$lib/server/auth/testing';
import { createSession } from '$lib/server/auth/sessions';
import { load } from './admin/journal/+page.server';
import { adminDatabase, routeEvent } from './route-testing';

const portal = adminDatabase();

// Accounts probe s57: the journal named who acted by name only; two « Marie Martin », or an
// « Аlice Аdmin » written with Cyrillic « А », could not be told apart.
describe('who acted, in the journal', () => {
	it('is named with the address, as the « Auteur » filter names the account', async () => {
		const marie = (email: string) =>
			createTestUser(portal.db, { email, name: 'Marie Martin', role: 'admin' });
		for (const actor of [await marie('marie.martin@lot.fr'), await marie('m.martin@lot.fr')])
			await recordAudit(portal.db, {
				actor,
				action: 'logout',
				summary: 'Déconnexion',
				clientAddress: null
			});
		await recordAudit(portal.db, {
			actor: null,
			actorLabel: 'commande user:create',
			action: 'account.created',
			summary: 'Compte créé',
			clientAddress: null
		});
		const { session } = await createSession(portal.db, portal.admin.id);
		const data = (await load(
			routeEvent('/admin/journal', '/admin/journal', {}, { user: portal.admin, session })
		)) as { entries: { actorLabel: string }[]; users: { label: string }[] };
		// (The test database's own lines, written before, by nobody, come after: « anonyme ».)
		expect(data.entries.slice(0, 3).map((e) => e.actorLabel)).toEqual([
			'commande user:create',
			'Marie Martin (m.martin@lot.fr)',
			'Marie Martin (marie.martin@lot.fr)'
		]);
		expect(data.users.map((u) => u.label)).toContain('Marie Martin (m.martin@lot.fr)');
	});
});

// Staff review s62: `?compte=999` (an old or altered link) filtered silently to « Aucun
// événement », the « Auteur » list on « Tous », where `?compte=abc` said the filter was ignored.
describe('the « Auteur » filter on a number that names no account', () => {
	it('is ignored, and said so, as a word is', async () => {
		const { session } = await createSession(portal.db, portal.admin.id);
		const read = async (query: string) =>
			(await load(
				routeEvent(`/admin/journal?${query}`, '/admin/journal', {}, { user: portal.admin, session })
			)) as { entries: unknown[]; notes: string[] };
		for (const query of ['compte=999', 'compte=abc']) {
			const data = await read(query);
			expect(data.notes).toEqual(['Compte inconnu : filtre ignoré.']);
			expect(data.entries.length).toBeGreaterThan(0);
		}
		expect((await read(`compte=${portal.admin.id}`)).notes).toEqual([]);
	});
});
