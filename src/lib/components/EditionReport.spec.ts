import { render } from 'svelte/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '$lib/server/db';
import { createTestDb } from '$lib/server/db/testing';
import { findPublishedSnapshot } from '$lib/server/editions/repository';
import { editionPage, type EditionPage } from '$lib/server/editions/snapshot';
import EditionReport from './EditionReport.svelte';

let db: Db;
let page: EditionPage;
beforeAll(async () => {
	db = await createTestDb();
	page = editionPage((await findPublishedSnapshot(db, 2018))!, true);
});
afterAll(() => db.destroy());

// Walkthrough s47: « - élément » in a bilan's introduction and axis texts stayed a literal « - » on
// the page and in the print, while in a fiche's texts it makes a bullet.
describe('a bilan’s introduction and axis texts', () => {
	it('read « - » and « 1. » at a line’s start as list items, as a fiche’s texts do', () => {
		const [first, ...others] = page.axes;
		const snapshot: EditionPage = {
			...page,
			intro: 'Trois chantiers :\n- le très haut débit\n- la <médiation>\nFin.',
			axes: [{ ...first!, text: 'Étapes :\n1. recenser\n2. équiper' }, ...others]
		};
		const { body } = render(EditionReport, { props: { snapshot, csvBase: '/bilans/2018' } });
		const html = body.replace(/<!--[^>]*-->/g, '').replace(/\s+<\/li>/g, '</li>');
		expect(html).toMatch(
			/<div class="text"><p>Trois chantiers\s?:<\/p><ul><li>le très haut débit<\/li><li>la &lt;médiation&gt;<\/li><\/ul><p>Fin\.<\/p><\/div>/
		);
		expect(html).toContain(
			'<div class="text"><p>Étapes\u00a0:</p><ol><li>recenser</li><li>équiper</li></ol></div>'
		);
		expect(html).not.toContain('- le très haut débit');
	});
});
