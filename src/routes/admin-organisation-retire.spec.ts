import { isRedirect } from '@sveltejs/kit';
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

async function bySlug(slug: string) {
	return (await listAdminOrganisations(portal.db)).find((o) => o.slug === slug)!;
}

/** The request to the page of organisation `id` at `query` (a form's action), sending `form`. */
async function eventOf(id: number, query = '', form?: FormData) {
	const { session } = await createSession(portal.db, portal.admin.id);
	return routeEvent(
		`/admin/organisations/${id}${query}`,
		'/admin/organisations/[id=id]',
		{ id: String(id) },
		{ user: portal.admin, session },
		form
	) as never;
}

/** The page of the organisation `slug` at `query`, as HTML. */
async function pageOf(slug: string, query = ''): Promise<string> {
	const data = await organisation.load(await eventOf((await bySlug(slug)).id, query));
	return render(Page, { props: { data, form: null } as never }).body;
}

/** The address an action answered with. */
async function sentTo(action: Promise<unknown> | unknown): Promise<string> {
	const sent = await Promise.resolve(action).catch((thrown: unknown) => thrown);
	expect(isRedirect(sent)).toBe(true);
	return (sent as { location: string }).location;
}

/** The notice at the top of `html`, as text. */
const noticeOf = (html: string) =>
	shownText(/<div class="notice" role="status">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '');

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

describe('the reason’s hint of each form', () => {
	it('says where the reason is published: an edit’s on the public page when the name changes', async () => {
		// Review s56: « publiée avec la modification », while the reason of a change of kind is on no
		// public page; a rename's, a merge's and a retirement's are on the organisation's page.
		const text = shownText(await pageOf('cdg46'));
		expect(text).toContain('obligatoire, publiée sur la page de l’organisation si son nom change');
		expect(text).not.toContain('publiée avec la modification');
		expect(text).toContain('obligatoire, publiée avec la fusion');
		expect(text).toContain('obligatoire, publiée avec le retrait');
	});
});

// A retirement and a merge were confirmed « Modification enregistrée et publiée. », as a rename.
describe('the notice after each form', () => {
	it('says an organisation is retired, and how it comes back', async () => {
		const adcf = await bySlug('adcf');
		const body = new FormData();
		body.set('version', String(adcf.version));
		body.set('reason', 'Association dissoute');
		body.set('decision', '');
		const location = await sentTo(
			organisation.actions.retirer!(await eventOf(adcf.id, '?/retirer', body))
		);
		expect(location).toBe(`/admin/organisations/${adcf.id}?enregistre=retiree`);
		expect(noticeOf(await pageOf('adcf', '?enregistre=retiree'))).toBe(
			'Organisation retirée : elle ne peut plus être choisie comme porteur ou partenaire, et ses pages publiques la disent retirée. Pour la rétablir, remettez sa ligne dans la feuille « Organisations » du classeur du plan, puis importez-le.'
		);
	});

	it('confirms a merge as a merge, on the page of the one kept', async () => {
		const absorbed = await bySlug('adcf');
		const kept = await bySlug('amf46');
		const body = new FormData();
		body.set('into', String(kept.id));
		body.set('version', String(absorbed.version));
		body.set('reason', 'Regroupement');
		body.set('decision', '');
		body.set('confirm', 'oui');
		const location = await sentTo(
			organisation.actions.fusionner!(await eventOf(absorbed.id, '?/fusionner', body))
		);
		expect(location).toBe(`/admin/organisations/${kept.id}?enregistre=fusion`);
		expect(noticeOf(await pageOf('amf46', '?enregistre=fusion'))).toMatch(/^Fusion enregistrée/);
		// A change the journal does not hold (the merge is not a rename) is not said (savedMarker).
		expect(noticeOf(await pageOf('amf46', '?enregistre=1'))).toBe('');
	});

	it('says on the retire form that a retirement is undone by the workbook only', async () => {
		const html = await pageOf('cdg46');
		expect(shownText(html.slice(html.indexOf('id="retirer"')))).toContain(
			'Un retrait se défait par le classeur du plan seulement : remettre sa ligne dans la feuille « Organisations », puis importer le classeur, la rétablit.'
		);
	});
});

// A merged organisation's page still drew « Renommer, nom complet, nature », whose every save was
// refused 409 « … a été fusionnée dans … : elle ne se modifie plus » (probe s56).
describe('the page of a merged organisation', () => {
	it('draws no edit form, and names the one to edit instead; a retired one keeps its form', async () => {
		const absorbed = await bySlug('adcf');
		const kept = await bySlug('amf46');
		expect(await pageOf('adcf')).toContain('action="?/modifier"');
		const body = new FormData();
		body.set('into', String(kept.id));
		body.set('version', String(absorbed.version));
		body.set('reason', 'Regroupement');
		body.set('decision', '');
		body.set('confirm', 'oui');
		await sentTo(organisation.actions.fusionner!(await eventOf(absorbed.id, '?/fusionner', body)));
		const html = await pageOf('adcf');
		expect(html).not.toContain('action="?/modifier"');
		expect(html).not.toContain('Renommer, nom complet, nature');
		expect(html).toContain(`<a href="/admin/organisations/${kept.id}">${kept.name}</a>`);
		expect(shownText(html)).toContain(
			`Une organisation fusionnée ne se modifie plus : modifiez ${kept.name}, qui porte son nom comme ancien nom.`
		);
		// Retired without a merge, it is still renamed (its form answers so).
		const cdg = await bySlug('cdg46');
		await portal.db
			.updateTable('user_account')
			.set({ disabled_at: '2026-11-02T10:00:00.000Z' })
			.where('organisation_id', '=', cdg.id)
			.execute();
		const retire = new FormData();
		retire.set('version', String(cdg.version));
		retire.set('reason', 'Dissolution');
		retire.set('decision', '');
		await sentTo(organisation.actions.retirer!(await eventOf(cdg.id, '?/retirer', retire)));
		expect(await pageOf('cdg46')).toContain('action="?/modifier"');
	});
});
