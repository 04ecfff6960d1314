import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { listStructure } from '$lib/server/authoring/repository';
import { retireStructure, saveStructure } from '$lib/server/authoring/structure';
import { newStructure, openedStructure } from '$lib/server/authoring/testing';
import FicheList from '$lib/components/FicheList.svelte';
import { fragmentHtml } from '$lib/server/render/kept-html';
import FichesPage from './fiches/+page.svelte';
import { load } from './fiches/+page.server';
import { load as prioritiesLoad } from './commission/priorites/+page.server';
import { organisationSelectHtml } from './fiches/organisation-options';
import { adminDatabase, routeEvent } from './route-testing';

const portal = adminDatabase();

const anonymous = { user: null, session: null } as never;
const ignoredNotes = async (query: string) =>
	((await load(routeEvent(`/fiches?${query}`, '/fiches', {}, anonymous))) as { ignored: string[] })
		.ignored;

describe('/fiches filters', () => {
	it('a filter on a withdrawn objective or orientation says it was withdrawn, not « inconnu »', async () => {
		const orientation = (await listStructure(portal.db)).orientations[0]!;
		const why = { reason: 'Ajouté par erreur', decisionId: null };
		const added = await saveStructure(
			portal.db,
			portal.admin,
			'objective',
			null,
			newStructure('Objectif saisi par erreur', orientation.id, why),
			null
		);
		if (!added.ok) throw new Error(added.message);
		const { version } = await openedStructure(portal.db, 'objective', added.value.id);
		const retired = await retireStructure(
			portal.db,
			portal.admin,
			'objective',
			added.value.id,
			{ ...why, version: version! },
			null
		);
		expect(retired).toEqual({ ok: true });

		expect(await ignoredNotes('objectif=18')).toEqual([
			'Objectif 18 retiré du plan : filtre ignoré.'
		]);
		expect(await ignoredNotes('objectif=99')).toEqual(['Objectif inconnu « 99 » : filtre ignoré.']);
		expect(await ignoredNotes('objectif=17')).toEqual([]);
	});

	// Review s63: /commission/priorites read the same `axe` filter, and called a withdrawn axis
	// « inconnu » where /fiches says « retiré du plan ».
	it('a filter on a withdrawn axis says it was withdrawn, on /fiches and /commission/priorites alike', async () => {
		const made = await saveStructure(
			portal.db,
			portal.admin,
			'axis',
			null,
			newStructure('Axe saisi par erreur', null, { shortName: 'erreur' }),
			null
		);
		if (!made.ok) throw new Error(made.message);
		const { version } = await openedStructure(portal.db, 'axis', made.value.id);
		const withdrawal = { version: version!, reason: 'Ajouté par erreur', decisionId: null };
		expect(
			await retireStructure(portal.db, portal.admin, 'axis', made.value.id, withdrawal, null)
		).toEqual({ ok: true });
		const code = (await listStructure(portal.db)).axes.find((a) => a.id === made.value.id)!.code;
		const priorities = async (query: string) =>
			(
				(await prioritiesLoad(
					routeEvent(`/commission/priorites?${query}`, '/commission/priorites', {}, anonymous)
				)) as { ignored: string[] }
			).ignored;
		for (const notes of [ignoredNotes, priorities]) {
			expect(await notes(`axe=${code}`)).toEqual([
				`Axe « ${code} » retiré du plan : filtre ignoré.`
			]);
			expect(await notes('axe=nulle-part')).toEqual([
				'Axe inconnu « nulle-part » : filtre ignoré.'
			]);
		}
	});

	it('without a filter, the list is read once per change and written as FicheList writes it', async () => {
		type Data = { fiches: { code: string }[]; ficheList: string };
		const first = (await load(routeEvent('/fiches', '/fiches', {}, anonymous))) as Data;
		const again = (await load(routeEvent('/fiches', '/fiches', {}, anonymous))) as Data;
		expect(again.fiches).toBe(first.fiches);
		expect(first.ficheList).toBe(fragmentHtml(FicheList, { fiches: first.fiches as never }));
		const filtered = (await load(
			routeEvent('/fiches?priorite=1', '/fiches', {}, anonymous)
		)) as Data;
		expect(filtered.fiches.length).toBeLessThan(first.fiches.length);
		expect(filtered.ficheList).toBe(fragmentHtml(FicheList, { fiches: filtered.fiches as never }));
		expect(render(FichesPage, { props: { data: filtered } as never }).body).toContain(
			filtered.ficheList
		);
	});

	it('the organisation filter is the list written once per change, the chosen one selected', async () => {
		type Data = { organisations: { slug: string; name: string }[] };
		const all = (await load(routeEvent('/fiches', '/fiches', {}, anonymous))) as Data;
		const chosen = all.organisations[1]!.slug;
		const data = (await load(
			routeEvent(`/fiches?organisation=${chosen}`, '/fiches', {}, anonymous)
		)) as Data;
		const html = render(FichesPage, { props: { data } as never }).body;
		// Not written by Svelte option by option on every render (docs/performance.md).
		expect(html).toContain(organisationSelectHtml(data.organisations, chosen));
		expect(html.match(/<option value="[^"]+" selected="">/g)).toEqual([
			`<option value="${chosen}" selected="">`
		]);
	});
});

describe('/fiches filter lists', () => {
	it('mark an option named in English as English (an option cannot mark a part of its text)', async () => {
		const data = await load(routeEvent('/fiches', '/fiches', {}, anonymous));
		const html = render(FichesPage, { props: { data } as never }).body;
		const option = (label: string) => {
			const found = new RegExp(`<option[^>]*>${label}</option>`).exec(html)?.[0];
			expect(found, label).toBeDefined();
			return found!;
		};
		expect(option('Open innovation')).toContain('lang="en"');
		expect(option('Smart territoire')).toContain('lang="en"');
		expect(option('E-inclusion')).not.toContain('lang=');
		expect(option('5\\. Faciliter l’ouverture des données « open data »')).not.toContain('lang=');
	});
});

describe('/fiches, a search that finds no fiche', () => {
	type Data = { fiches: unknown[]; labelsHolding: unknown[]; searchAlone: boolean };
	const data = async (query: string) =>
		(await load(routeEvent(`/fiches?${query}`, '/fiches', {}, anonymous))) as Data;

	it('names the labels of the plan that hold its words when it is the only criterion', async () => {
		const alone = await data('q=e-administration');
		expect(alone.fiches).toEqual([]);
		expect(alone.labelsHolding.length).toBeGreaterThan(0);
	});

	// Review s58: « numérique » is in many fiches; beside a status no fiche has, the status emptied
	// the list, and the page said the word was in the plan's labels, not in the fiches.
	it('says nothing of the labels when another filter may have emptied the list', async () => {
		const beside = await data('q=e-administration&priorite=2');
		expect(beside.searchAlone).toBe(false);
		expect(beside.labelsHolding).toEqual([]);
	});
});
