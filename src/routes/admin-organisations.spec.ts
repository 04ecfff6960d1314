import { isRedirect } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { createSession } from '$lib/server/auth/sessions';
import { listAdminOrganisations } from '$lib/server/authoring/organisations-repository';
import * as organisation from './admin/organisations/[id=id]/+page.server';
import { adminDatabase, routeEvent } from './route-testing';

// /admin/organisations/[id]: merging, through the route's own load and action.

const portal = adminDatabase();

const ROUTE = '/admin/organisations/[id=id]';

async function as(id: number, form?: FormData) {
	const { session } = await createSession(portal.db, portal.admin.id);
	const path = `/admin/organisations/${id}${form ? '?/fusionner' : ''}`;
	return routeEvent(path, ROUTE, { id: String(id) }, { user: portal.admin, session }, form);
}

async function bySlug(slug: string) {
	return (await listAdminOrganisations(portal.db)).find((o) => o.slug === slug)!;
}

describe('merging an organisation', () => {
	it('asks for the box to be ticked, as closing a campaign does, then names the one that absorbed it', async () => {
		const absorbed = await bySlug('adcf');
		const kept = await bySlug('amf46');
		const form = (confirm?: string) => {
			const body = new FormData();
			body.set('into', String(kept.id));
			body.set('version', String(absorbed.version));
			body.set('reason', 'Regroupement');
			body.set('decision', '');
			if (confirm) body.set('confirm', confirm);
			return body;
		};
		const page = (await organisation.load(await as(absorbed.id))) as {
			organisation: { mergedInto: unknown; updateCount: number };
		};
		expect(page.organisation.mergedInto).toBeNull();
		// What would pass to the other: the ADCF has sent no update; Lot numérique has sent some,
		// each counted (the page says « aucune mise à jour », « 9 mises à jour »).
		expect(page.organisation.updateCount).toBe(0);
		const lot = await bySlug('lot-numerique');
		const sentByLot = await portal.db
			.selectFrom('progress_update')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('organisation_id', '=', lot.id)
			.executeTakeFirstOrThrow();
		expect(Number(sentByLot.n)).toBeGreaterThan(0);
		const lotPage = (await organisation.load(await as(lot.id))) as {
			organisation: { updateCount: number };
		};
		expect(lotPage.organisation.updateCount).toBe(Number(sentByLot.n));

		const unticked = await organisation.actions.fusionner!(await as(absorbed.id, form()));
		expect(unticked).toMatchObject({
			status: 400,
			data: {
				errors: {
					confirm: 'Cochez la case pour confirmer la fusion : une fusion ne se défait pas.'
				}
			}
		});
		expect((await bySlug('adcf')).retiredAt).toBeNull();

		const sent = await Promise.resolve(
			organisation.actions.fusionner!(await as(absorbed.id, form('oui')))
		).catch((thrown: unknown) => thrown);
		expect(isRedirect(sent)).toBe(true);
		const after = (await organisation.load(await as(absorbed.id))) as {
			organisation: { retiredAt: string | null; mergedInto: unknown };
		};
		expect(after.organisation.retiredAt).not.toBeNull();
		expect(after.organisation.mergedInto).toEqual({ id: kept.id, name: kept.name });
	});
});
