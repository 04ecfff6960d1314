import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { addAlias, listAdminOrganisations } from '$lib/server/authoring/organisations-repository';
import { dropOtherAliasesNamed } from '$lib/server/authoring/import-repository';
import {
	editOrganisation,
	mergeOrganisations,
	retireOrganisation
} from '$lib/server/authoring/organisations';
import { applyPlanImport, exportPlanWorkbook } from '$lib/server/authoring/plan-import';
import { editedWorkbook } from '$lib/server/authoring/testing';
import { findOrganisationBySlug } from '$lib/server/plan/repository';
import { shownText } from '$lib/utils/html-testing';
import ListPage from './organisations/+page.svelte';
import * as list from './organisations/+page.server';
import FichePage from './fiches/[code=fiche]/+page.svelte';
import * as fiche from './fiches/[code=fiche]/+page.server';
import FichesPage from './fiches/+page.svelte';
import * as fiches from './fiches/+page.server';
import OrganisationPage from './organisations/[slug=slug]/+page.svelte';
import * as organisation from './organisations/[slug=slug]/+page.server';
import { adminDatabase, routeEvent } from './route-testing';

// Staff walkthrough, December 2026: a retired organisation was listed and counted on /organisations,
// and its page showed it as an active one. It stays listed (fiches and their history name it),
// marked, and is not counted among those the plan cites.

const portal = adminDatabase();

async function retired(slug: string): Promise<void> {
	const found = (await listAdminOrganisations(portal.db)).find((o) => o.slug === slug)!;
	const done = await retireOrganisation(
		portal.db,
		portal.admin,
		found.id,
		{ version: found.version, reason: 'Association dissoute', decisionId: null },
		null
	);
	expect(done.ok).toBe(true);
}

/** Merges `absorbed` into `kept` (both slugs), with its reason. */
async function merged(absorbed: string, kept: string, reason = 'Fusion des deux structures') {
	const all = await listAdminOrganisations(portal.db);
	const [from, into] = [absorbed, kept].map((slug) => all.find((o) => o.slug === slug)!);
	const done = await mergeOrganisations(
		portal.db,
		portal.admin,
		from!.id,
		{ version: from!.version, into: into!.id, reason, decisionId: null },
		null
	);
	expect(done.ok).toBe(true);
}

async function listText(): Promise<string> {
	const data = await list.load(
		routeEvent('/organisations', '/organisations', {}, portal.admin) as never
	);
	return shownText(render(ListPage, { props: { data } as never }).body);
}

/** The list drawn for its first `count` organisations only (the plan's as loaded). */
async function listTextOf(count: number): Promise<string> {
	const data = await list.load(
		routeEvent('/organisations', '/organisations', {}, portal.admin) as never
	);
	const organisations = (data as { organisations: unknown[] }).organisations.slice(0, count);
	return shownText(render(ListPage, { props: { data: { ...data, organisations } } as never }).body);
}

async function pageText(slug: string): Promise<string> {
	const data = await organisation.load(
		routeEvent(
			`/organisations/${slug}`,
			'/organisations/[slug=slug]',
			{ slug },
			portal.admin
		) as never
	);
	return shownText(render(OrganisationPage, { props: { data } as never }).body);
}

async function ficheText(code: string): Promise<string> {
	const data = await fiche.load(
		routeEvent(`/fiches/${code}`, '/fiches/[code=fiche]', { code }, portal.admin) as never
	);
	return shownText(render(FichePage, { props: { data } as never }).body);
}

describe('a retired organisation on the public pages', () => {
	it('is marked « (retirée le …) » among the partners of a fiche, as a retired indicator is', async () => {
		// Visitor review s55: a retired partner read like an active one on /fiches/17-3.
		expect(await ficheText('1-1')).toMatch(/AMF46 ADCF SGAR/);
		await retired('adcf');
		expect(await ficheText('1-1')).toMatch(
			/AMF46 ADCF \(retirée le \d{1,2}(er)?\s\S+\s\d{4}\) SGAR/
		);
	});

	it('leaves « L’organisation citée… » in the singular when one is left beside it (not « Les 1 organisations »)', async () => {
		const [first] = (await listAdminOrganisations(portal.db)).sort((a, b) =>
			a.name.localeCompare(b.name, 'fr')
		);
		await retired(first!.slug!);
		const text = await listTextOf(2);
		expect(text).toContain('L’organisation citée par le plan, comme porteur ou comme partenaire');
		expect(text).not.toMatch(/Les 1\s/);
	});

	it('is counted apart on /organisations and marked « retirée le … » in its row', async () => {
		const before = /Les (\d+) organisations citées par le plan/.exec(await listText())![1]!;
		expect(await listText()).not.toContain('retirée');
		await retired('adcf');
		const after = await listText();
		expect(after).toContain(`Les ${Number(before) - 1} organisations citées par le plan`);
		// Two sentences apart (« …fiches-actions.S’y ajoute… » before: Svelte trims the space that
		// opens an {#if} block).
		expect(after).toContain(
			'comme partenaires des fiches-actions. S’y ajoute une organisation retirée, gardée ici pour les fiches et l’historique qui la nomment.'
		);
		expect(after).toMatch(/ADCF[^]*retirée le \d{1,2}(er)?\s\S+\s\d{4}/);
	});

	it('says so on its own page', async () => {
		expect(await pageText('adcf')).not.toContain('retirée');
		await retired('adcf');
		expect(await pageText('adcf')).toMatch(
			/Organisation retirée le \d{1,2}(er)?\s\S+\s\d{4} : elle n’est plus choisie comme porteur ou partenaire/
		);
		// Visitor review s55: the reason, « publiée avec le retrait » says the form, was on no page.
		expect(await pageText('adcf')).toMatch(
			/partenaire ; les fiches ci-dessous la nomment encore\. Raison du retrait : Association dissoute/
		);
	});
});

describe('an organisation merged into another, on /fiches', () => {
	const filters = (query: string) =>
		fiches.load(
			routeEvent(`/fiches?${query}`, '/fiches', {}, { user: null, session: null } as never) as never
		) as Promise<{ organisations: { slug: string }[]; fiches: { code: string }[] }>;

	it('is no longer offered by the organisation filter, as /organisations leaves it out', async () => {
		expect((await filters('')).organisations.map((o) => o.slug)).toContain('grand-cahors');
		await merged('grand-cahors', 'epci');
		const offered = (await filters('')).organisations.map((o) => o.slug);
		expect(offered).not.toContain('grand-cahors');
		expect(offered).toContain('epci');
	});

	it('leads its old address to the fiches of the one it was merged into (not « 0 fiche »)', async () => {
		await merged('grand-cahors', 'epci');
		await expect(filters('priorite=1&organisation=grand-cahors&q=wifi')).rejects.toMatchObject({
			status: 308,
			location: '/fiches?priorite=1&organisation=epci&q=wifi'
		});
		expect((await filters('organisation=epci')).fiches.length).toBeGreaterThan(0);
	});

	it('says, to a search for its name, that it is a former name of the one it was merged into', async () => {
		const page = async (query: string) =>
			shownText(render(FichesPage, { props: { data: await filters(query) } as never }).body);
		await merged('grand-cahors', 'epci');
		expect(await page('q=grand+cahors')).toContain(
			'« Grand Cahors » est un ancien nom de l’organisation EPCI : ses fiches sont trouvées sous ce nom.'
		);
		expect(await page('q=wifi')).not.toContain('ancien nom');
	});

	it('keeps a retired organisation, not merged, in the filter: fiches still name it', async () => {
		await retired('adcf');
		expect((await filters('')).organisations.map((o) => o.slug)).toContain('adcf');
		expect((await filters('organisation=adcf')).fiches.map((f) => f.code)).toContain('1-1');
	});
});

describe('an organisation others were merged into, on its page', () => {
	it('names its former names, and each merge with its day and reason (published with it)', async () => {
		// Visitor review s55: /organisations/grand-cahors led to /organisations/epci, which said
		// nothing of Grand Cahors nor of the merge; read before, the page is read again after it.
		expect(await pageText('epci')).not.toContain('Anciennement');
		await merged('grand-cahors', 'epci', 'Grand Cahors a rejoint l’EPCI');
		expect(await pageText('epci')).toMatch(
			/Anciennement : Grand Cahors Grand Cahors a été fusionnée dans EPCI le \d{1,2}(er)?\s\S+\s\d{4}\. Raison de la fusion : Grand Cahors a rejoint l’EPCI/
		);
		await expect(pageText('grand-cahors')).rejects.toMatchObject({
			status: 308,
			location: '/organisations/epci'
		});
	});
});

describe('merges one after the other, on the page of the organisation kept last', () => {
	it('names for each merge the organisation merged, the one it went into, its day and its reason', async () => {
		// Review s56: after Grand Cahors into EPCI, then EPCI into CDG46, CDG46's page said Grand
		// Cahors had been merged into CDG46.
		await merged('grand-cahors', 'epci', 'Grand Cahors a rejoint l’EPCI');
		await merged('epci', 'cdg46', 'L’EPCI confie ce service au CDG46');
		const formerNames = (await findOrganisationBySlug(portal.db, 'cdg46'))!.formerNames;
		expect(formerNames.map((f) => [f.name, f.mergedInto, f.mergeReason])).toEqual([
			['Grand Cahors', 'EPCI', 'Grand Cahors a rejoint l’EPCI'],
			['EPCI', 'CDG46', 'L’EPCI confie ce service au CDG46']
		]);
		const text = await pageText('cdg46');
		expect(text).toMatch(
			/Grand Cahors a été fusionnée dans EPCI le \d{1,2}(er)?\s\S+\s\d{4}\. Raison de la fusion : Grand Cahors a rejoint l’EPCI/
		);
		expect(text).toMatch(
			/EPCI a été fusionnée dans CDG46 le \d{1,2}(er)?\s\S+\s\d{4}\. Raison de la fusion : L’EPCI confie ce service au CDG46/
		);
		expect(text).not.toContain('Grand Cahors a été fusionnée dans CDG46');
	});
});

describe('a renamed organisation, on its page', () => {
	it('tells the day of the change of name and its reason (published with it), none for a name the plan came with', async () => {
		// Review s56: « Anciennement : … » without a day, and the reason the form says is published
		// with the change was on no public page.
		const ars = (await listAdminOrganisations(portal.db)).find((o) => o.slug === 'ars')!;
		// A former name written without a revision (as the plan's own data would give it): no day known.
		await addAlias(portal.db, ars.id, 'ARS Midi-Pyrénées', '2026-01-01T00:00:00.000Z');
		const done = await editOrganisation(
			portal.db,
			portal.admin,
			ars.id,
			{
				version: ars.version,
				name: 'ARS Occitanie',
				fullName: ars.fullName,
				kind: ars.kind,
				reason: 'Nom de l’agence régionale',
				decisionId: null
			},
			null,
			new Date('2026-12-03T10:00:00Z')
		);
		expect(done.ok).toBe(true);
		const [plans, renamed] = (await findOrganisationBySlug(portal.db, 'ars'))!.formerNames;
		expect(plans).toMatchObject({ name: 'ARS Midi-Pyrénées', renamedAt: null, mergedOn: null });
		expect(renamed).toMatchObject({
			name: 'ARS',
			renamedAt: '2026-12-03T10:00:00.000Z',
			renameReason: 'Nom de l’agence régionale',
			mergedOn: null
		});
		const text = await pageText('ars');
		expect(text).toMatch(
			/Anciennement : ARS Midi-Pyrénées, ARS ARS a été renommée le 3\sdécembre\s2026\. Raison du changement de nom : Nom de l’agence régionale Fiches portées/
		);
	});

	it('tells its own renames only, not another organisation’s that bore the name before an import gave it away (data kept from before the workbook refused it)', async () => {
		// Review s57: the day of a former name was looked up among every organisation's renames.
		// CPAM, renamed, leaves « CPAM »; an import gives it to EPM, which is merged into EPCI:
		// EPCI's « CPAM » came with the merge, it was never renamed so.
		const cpam = (await listAdminOrganisations(portal.db)).find((o) => o.slug === 'cpam')!;
		const renamed = await editOrganisation(
			portal.db,
			portal.admin,
			cpam.id,
			{
				version: cpam.version,
				name: 'Assurance maladie',
				fullName: cpam.fullName,
				kind: cpam.kind,
				reason: 'Nom de la caisse',
				decisionId: null
			},
			null,
			new Date('2026-12-01T10:00:00Z')
		);
		expect(renamed.ok).toBe(true);
		// A workbook now refuses another organisation's former name (as the form does); before that
		// rule, the import took « CPAM » and dropped it from CPAM's former names, as done here first.
		const epm = (await listAdminOrganisations(portal.db)).find((o) => o.slug === 'epm')!;
		await dropOtherAliasesNamed(portal.db, 'CPAM', epm.id);
		const bytes = await editedWorkbook(await exportPlanWorkbook(portal.db), (workbook) =>
			workbook.eachSheet((sheet) =>
				sheet.eachRow((row) =>
					row.eachCell((cell) => {
						if (cell.value === 'EPM') cell.value = 'CPAM';
					})
				)
			)
		);
		const imported = await applyPlanImport(portal.db, bytes, {
			reason: 'Le pôle prend le nom libéré',
			actor: null,
			abandonConfirmed: true
		});
		expect(imported.ok).toBe(true);
		await merged('epm', 'epci', 'Le pôle rejoint l’EPCI');
		const told = new Map(
			(await findOrganisationBySlug(portal.db, 'epci'))!.formerNames.map((f) => [
				f.name,
				{ renamed: f.renamedAt !== null, reason: f.renameReason, merged: f.mergedOn !== null }
			])
		);
		// EPM's own rename, by the import, comes along with the merge.
		expect(told.get('EPM')).toEqual({
			renamed: true,
			reason: 'Le pôle prend le nom libéré',
			merged: false
		});
		expect(told.get('CPAM')).toEqual({ renamed: false, reason: null, merged: true });
	});
});
