import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { createSession } from '$lib/server/auth/sessions';
import { listAdminOrganisations } from '$lib/server/authoring/organisations-repository';
import { shownText } from '$lib/utils/html-testing';
import Page from './admin/organisations/[id=id]/+page.svelte';
import * as organisation from './admin/organisations/[id=id]/+page.server';
import { adminDatabase, routeEvent } from './route-testing';

// /admin/organisations/[id]: retiring, as the page draws it (staff walkthrough, December 2026).

const portal = adminDatabase();

/** The page of the organisation `slug` at `query`, as HTML. */
async function pageOf(slug: string, query = ''): Promise<string> {
	const found = (await listAdminOrganisations(portal.db)).find((o) => o.slug === slug)!;
	const { session } = await createSession(portal.db, portal.admin.id);
	const data = await organisation.load(
		routeEvent(
			`/admin/organisations/${found.id}${query}`,
			'/admin/organisations/[id=id]',
			{ id: String(found.id) },
			{ user: portal.admin, session }
		) as never
	);
	return render(Page, { props: { data, form: null } as never }).body;
}

describe('the retire form', () => {
	it('links to the accounts page, where its active accounts are disabled first', async () => {
		const html = await pageOf('cdg46');
		const section = html.slice(html.indexOf('id="retirer"'));
		expect(section).toContain('<a href="/admin/utilisateurs">Comptes et invitations</a>');
		expect(shownText(section)).toContain(
			'Ses comptes actifs sont d’abord désactivés, sur la page Comptes et invitations, ou la suivent dans une fusion.'
		);
	});
});
