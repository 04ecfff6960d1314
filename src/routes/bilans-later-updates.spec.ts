import { describe, expect, it } from 'vitest';
import { reviewProgressUpdate, saveProgressUpdate } from '$lib/server/progress/service';
import { createPartner, progressInput } from '$lib/server/progress/testing';
import { editionPages, shown, visitorHtml } from './edition-pages-testing';
import { adminDatabase } from './route-testing';
import { moveFiche } from '$lib/server/authoring/testing';

// Hostile probe s48: the 2018 bilan (figures as of 31 December 2018, published on 1 February
// 2019) rightly leaves out an update of 2018 validated after its publication, but its fiche said
// « Les valeurs mesurées jusqu’au 31 décembre 2018 sont dans les données ouvertes du bilan » and
// counted its updates « dans l’année », untrue since, and nothing told the reader. The séances
// closed after the publication were told; such updates are now told too.

const portal = adminDatabase();
const pages = editionPages('9-1');

/** A partner of 9-1 reports on `reportedOn`; Lot numérique validates it now (after 2019). */
async function validatedUpdate(reportedOn: string, done: string, code = '9-1'): Promise<void> {
	const partner = await createPartner(portal.db, 'cdg46', `${done.length}@cdg46.fr`);
	const saved = await saveProgressUpdate(
		portal.db,
		partner,
		code,
		null,
		progressInput({ reportedOn, done }),
		null
	);
	if (!saved.ok) throw new Error(saved.message);
	const review = await reviewProgressUpdate(
		portal.db,
		portal.admin,
		{ updateId: saved.value.id, version: 1, decision: 'validate', comment: '' },
		null
	);
	expect(review.ok).toBe(true);
}

/** The bytes of the 2018 bilan's open-data files, as published. */
const openData = () =>
	portal.db
		.selectFrom('edition_resource')
		.innerJoin('edition', 'edition.id', 'edition_resource.edition_id')
		.select(['edition_resource.name', 'edition_resource.body'])
		.where('edition.year', '=', 2018)
		.orderBy('edition_resource.name')
		.execute();

describe('an update of a published bilan’s period validated after its publication', () => {
	it('is told on the bilan, its print and the fiche, which say what they hold; the open data stay as published', async () => {
		const before = await Promise.all(
			pages.map(([Page, load, path, route, params]) =>
				shown(Page as never, load as never, path, route, params)
			)
		);
		for (const text of before) expect(text).not.toContain('Depuis la publication de ce bilan, Lot');
		// What each fiche holds is said as of the bilan's cut-off, as its fiche page says it (review
		// s49: the bilan's list said « publiées au 1er février 2019 », its publication's day).
		expect(before[0]).toMatch(/mises? à jour de l’année publiées? au 31 décembre 2018/);
		expect(before[0]).not.toMatch(/de l’année publiées? au 1er février 2019/);
		expect(before[2]).toContain(
			'Les valeurs mesurées jusqu’au 31 décembre 2018 et publiées au 1er février 2019 sont dans les données ouvertes du bilan'
		);
		// Walkthrough s49: the fiche's updates of the year are those published by its figures' day,
		// not by its publication's (one dated after the first, validated before the second, is not in it).
		expect(before[2]).toMatch(
			/de l’année publiées? au 31 décembre 2018, date d’arrêté des chiffres du bilan/
		);
		expect(before[2]).not.toContain('jour de la publication');
		const published = await openData();
		expect(published.length).toBeGreaterThan(0);

		// Of its period, validated after the publication; reported after its figures' day, not.
		await validatedUpdate('2018-06-01', 'Validée après la publication');
		await validatedUpdate('2019-03-01', 'Datée d’après le bilan');

		const [edition, print, fiche] = await Promise.all(
			pages.map(([Page, load, path, route, params]) =>
				shown(Page as never, load as never, path, route, params)
			)
		);
		for (const text of [edition!, print!])
			expect(text).toContain(
				'Depuis la publication de ce bilan, Lot numérique a validé une mise à jour de sa période (datée jusqu’au 31 décembre 2018) : elle n’y figure pas, ni ses valeurs. Elle se lit sur la page de sa fiche ( fiche 9-1, 1 mise à jour ). Une nouvelle version du bilan, si elle est publiée, la reprendra.'
			);
		expect(edition).toContain('1 autre validée depuis');
		expect(fiche).toContain(
			'Depuis la publication de ce bilan, Lot numérique a validé une mise à jour de la fiche datée jusqu’au 31 décembre 2018 : elle n’y figure pas, ni ses valeurs. La lire sur la page de la fiche .'
		);
		// Each links where the update is read today.
		for (const [Page, load, path, route, params] of pages)
			expect(await visitorHtml(Page as never, load as never, path, route, params)).toContain(
				'href="/fiches/9-1/historique/2018"'
			);
		// The edition itself is as published: without the update, its files to the byte.
		expect(print).not.toContain('Validée après la publication');
		expect(fiche).not.toContain('Validée après la publication');
		expect(await openData()).toEqual(published);
	});
});

// Left noticed s48: the notice was grouped by the fiche's code of today, so a fiche moved to
// another objective after the publication (another code) got none.
describe('an update validated after the publication, of a fiche moved since', () => {
	it('is told under the code the fiche had in the bilan', async () => {
		const moved = await moveFiche(portal.db, portal.admin, '9-1', 1, new Date());
		if (!moved.ok) throw new Error(moved.message);
		expect(moved.value.code).not.toBe('9-1');
		await validatedUpdate('2018-07-01', 'Validée après le déplacement', moved.value.code);

		const [edition, print, fiche] = await Promise.all(
			pages.map(([Page, load, path, route, params]) =>
				shown(Page as never, load as never, path, route, params)
			)
		);
		for (const text of [edition!, print!])
			expect(text).toMatch(/Elle se lit sur la page de sa fiche \( fiche 9-1, 1 mise à jour \)/);
		expect(edition).toContain('1 autre validée depuis');
		expect(fiche).toContain(
			'Depuis la publication de ce bilan, Lot numérique a validé une mise à jour de la fiche datée jusqu’au 31 décembre 2018'
		);
	});
});
