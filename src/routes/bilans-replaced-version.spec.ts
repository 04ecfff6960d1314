import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { publishEdition, saveEditionDraft } from '$lib/server/editions/service';
import { findPublishedSnapshot, listVersions } from '$lib/server/editions/repository';
import { openDataFile, packageFiles } from '$lib/server/opendata/published';
import AdminEditionPage from './admin/bilans/[id=id]/+page.svelte';
import * as adminEdition from './admin/bilans/[id=id]/+page.server';
import EditionPage from './bilans/[year=annee]/+page.svelte';
import * as edition from './bilans/[year=annee]/+page.server';
import { editionPages, shown, visitorHtml } from './edition-pages-testing';
import { adminDatabase, routeEvent } from './route-testing';

// A version of a bilan that a correction replaced says so, on its page, its print and its fiches.

const portal = adminDatabase();
const anonymous = { user: null, session: null } as never;
const pages = editionPages('14-1');

/** Publishes a version 2 of the 2018 bilan, noted « Introduction reformulée. ». */
async function publishSecondVersion() {
	const first = (await findPublishedSnapshot(portal.db, 2018))!;
	const saved = await saveEditionDraft(portal.db, portal.admin, {
		year: 2018,
		asOf: first.asOf,
		intro: 'Introduction reformulée.',
		axisTexts: {},
		changeNote: 'Introduction reformulée.'
	});
	if (!saved.ok) throw new Error(saved.message);
	const published = await publishEdition(
		portal.db,
		portal.admin,
		saved.value.id,
		null,
		new Date('2026-12-05T10:00:00Z')
	);
	expect(published).toMatchObject({ ok: true });
}

/** The admin page of the 2018 bilan's version `version`, as its text. */
async function adminPage(version: number): Promise<string> {
	const { id } = (await listVersions(portal.db, 2018)).find((v) => v.version === version)!;
	const params = { id: String(id) };
	const data = await adminEdition.load(
		routeEvent(`/admin/bilans/${id}`, '/admin/bilans/[id=id]', params, portal.admin) as never
	);
	const html = render(AdminEditionPage, { props: { data, form: null } as never }).body;
	return html
		.replace(/<!--[^>]*-->/g, '')
		.replace(/<[^<>]*>/g, ' ')
		.replace(/\s+/g, ' ');
}

// Staff review s62: on a published version, « Brouillon du bilan 2026 enregistré. » stood under
// #enregistre (Back after publishing), and a replaced version's admin page did not say so.
describe('the admin page of a published bilan', () => {
	it('has no draft confirmation, and says which version replaced it', async () => {
		expect(await adminPage(1)).not.toContain('Brouillon du bilan');
		expect(await adminPage(1)).not.toContain('remplacée');
		await publishSecondVersion();
		expect(await adminPage(1)).toContain(
			'Cette version a été remplacée par la version 2 du 5 décembre 2026 : Introduction reformulée. Lire la version la plus récente du bilan 2018 (version 2)'
		);
		expect(await adminPage(2)).not.toContain('remplacée');
	});
});

describe('a bilan’s version replaced by a correction', () => {
	it('links the latest bilan from a frozen fiche the latest version no longer has', async () => {
		// Moved to another objective between the two versions, 14-1 took another code: the latest
		// version has no page 14-1, and the notice linked that 404.
		await portal.db.updateTable('fiche').set({ code: '14-9' }).where('code', '=', '14-1').execute();
		await publishSecondVersion();
		const [Page, load, path, route, params] = pages[2];
		const data = await load(routeEvent(`${path}?version=1`, route, params, anonymous) as never);
		const html = render(Page as never, { props: { data } as never }).body;
		expect(html).toMatch(/<a href="\/bilans\/2018"[^>]*>(<!---->)?Lire la version la plus récente/);
		await expect(
			load(routeEvent(path, route, params, anonymous) as never) as Promise<unknown>
		).rejects.toMatchObject({ status: 404 });
	});

	it('says by which version, with its note, and links the latest; the latest says nothing', async () => {
		for (const [Page, load, path, route, params] of pages)
			expect(
				await shown(Page as never, load as never, `${path}?version=1`, route, params)
			).not.toContain('remplacée');
		await publishSecondVersion();

		for (const [Page, load, path, route, params] of pages) {
			const old = await shown(Page as never, load as never, `${path}?version=1`, route, params);
			expect(old).toContain(
				'Cette version a été remplacée par la version 2 du 5 décembre 2026 : Introduction reformulée. Lire la version la plus récente du bilan 2018 (version 2)'
			);
			const html = await visitorHtml(
				Page as never,
				load as never,
				`${path}?version=1`,
				route,
				params
			);
			// Hostile probe s44: the frozen fiche and the print linked the bilan's page, not
			// themselves in the latest version.
			expect(html).toMatch(
				new RegExp(`<a href="${path}"[^>]*>(<!---->)?Lire la version la plus récente`)
			);
			for (const latest of [path, `${path}?version=2`])
				expect(await shown(Page as never, load as never, latest, route, params)).not.toContain(
					'remplacée'
				);
		}
	});
});

/** The title of the 2018 bilan's page at `path`, as a visitor's browser shows it. */
async function editionTitle(path: string): Promise<string> {
	const data = await edition.load(
		routeEvent(path, '/bilans/[year=annee]', { year: '2018' }, anonymous) as never
	);
	return /<title>([^<]*)<\/title>/.exec(
		render(EditionPage, { props: { data } as never }).head
	)![1]!;
}

describe('a bilan’s page', () => {
	it('says in its title that a version is replaced, as its cover does (visitor review s55)', async () => {
		expect(await editionTitle('/bilans/2018')).toBe('Bilan 2018 — SDUSN du Lot');
		await publishSecondVersion();
		expect(await editionTitle('/bilans/2018?version=1')).toBe(
			'Bilan 2018 (version 1, remplacée) — SDUSN du Lot'
		);
		expect(await editionTitle('/bilans/2018')).toBe('Bilan 2018 (version 2) — SDUSN du Lot');
		expect(await editionTitle('/bilans/2018?version=2')).toBe(
			'Bilan 2018 (version 2) — SDUSN du Lot'
		);
	});

	it('links every open-data file its data package lists, named in French (visitor review s55)', async () => {
		const frozen = await openDataFile(portal.db, 'datapackage', { year: 2018 });
		const files = packageFiles(frozen!.body);
		// Linked before: plan.json, fiches.csv and mesures.csv only.
		expect(files).toEqual(expect.arrayContaining(['mises-a-jour.csv', 'decisions.csv']));
		const [path, route, params] = ['/bilans/2018', '/bilans/[year=annee]', { year: '2018' }];
		const html = await visitorHtml(
			EditionPage as never,
			edition.load as never,
			path,
			route,
			params
		);
		for (const file of files) expect(html).toContain(`href="/bilans/2018/${file}?version=1"`);
		const text = await shown(EditionPage as never, edition.load as never, path, route, params);
		expect(text).toContain('Plan (JSON) Fiches (CSV) Mesures (CSV)');
		expect(text).toContain('Mises à jour (CSV)');
		expect(text).toContain('Décisions de la commission (CSV)');
	});
});
