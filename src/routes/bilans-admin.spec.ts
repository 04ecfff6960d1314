import { isRedirect } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { newStructure, openedStructure } from '$lib/server/authoring/testing';
import { retireStructure, saveStructure } from '$lib/server/authoring/structure';
import {
	findDraftOfYear,
	findEdition,
	findLatestPublished,
	loadPlanToFreeze
} from '$lib/server/editions/repository';
import { draftDigest, saveEditionDraft } from '$lib/server/editions/service';
import { savedDraft } from '$lib/server/editions/testing';
import { listAxes } from '$lib/server/plan/repository';
import { axisTextField, editionYearMessage } from '$lib/schemas/edition';
import { INVALID_FORM_MESSAGE } from '$lib/server/result';
import { parisYear } from '$lib/utils/dates';
import { render } from 'svelte/server';
import { shownText } from '$lib/utils/html-testing';
import BilansPage from './admin/bilans/+page.svelte';
import * as bilans from './admin/bilans/+page.server';
import * as preview from './admin/bilans/[id=id]/+page.server';
import * as publication from './admin/bilans/[id=id]/publication/+page.server';
import { adminDatabase, formAnswer, postAction, routeEvent, withSession } from './route-testing';

// The bilans' admin pages, through the routes' own loads and actions.

const portal = adminDatabase();

const signedIn = () => withSession(portal.db, portal.admin);

async function as(path: string, route: string, params: Record<string, string>) {
	return routeEvent(path, route, params, await signedIn());
}

/** The bilan's form posted with `fields`: what its action returns. */
async function save(fields: Record<string, string>) {
	const at = { path: '/admin/bilans?/save', route: '/admin/bilans' };
	return postAction(bilans.actions.save, at, await signedIn(), fields);
}

/** A new axis of the plan (`name`, `shortName`), added at `at`: its id and code. */
async function axisAdded(name: string, shortName: string, at: string) {
	const made = await saveStructure(
		portal.db,
		portal.admin,
		'axis',
		null,
		newStructure(name, null, { shortName }),
		null,
		new Date(at)
	);
	if (!made.ok) throw new Error(made.message);
	const axis = (await listAxes(portal.db)).find((a) => a.shortName === shortName)!;
	return { id: made.value.id, code: axis.code };
}

/** The axis `id` withdrawn at `at` (« Vide »): what the service answers. */
async function axisWithdrawn(id: number, at: string) {
	const { version } = await openedStructure(portal.db, 'axis', id);
	const withdrawal = { version: version!, reason: 'Vide', decisionId: null };
	return retireStructure(portal.db, portal.admin, 'axis', id, withdrawal, null, new Date(at));
}

/** The bilans' form opened on the draft `id`. */
async function draftForm(id: number) {
	return (await bilans.load(await as(`/admin/bilans?brouillon=${id}`, '/admin/bilans', {}))) as {
		axisFields: { name: string }[];
		editing: Record<string, string>;
	};
}

/** The bilans' form opened with « corriger » on the published edition `id`. */
async function correctionForm(id: number) {
	return (await bilans.load(await as(`/admin/bilans?corriger=${id}`, '/admin/bilans', {}))) as {
		axisFields: { name: string }[];
		editing: Record<string, string>;
	};
}

/** The draft the bilans' form shows (`editing`) sent back as it posts it: its id is not a field. */
function resent(editing: Record<string, string>): Record<string, string> {
	return Object.fromEntries(
		Object.entries(editing)
			.filter(([name]) => name !== 'id')
			.map(([name, value]) => [name, String(value)])
	);
}

describe('the bilans’ admin pages', () => {
	it('offer, and keep, the text of an axis a past year’s bilan still shows though withdrawn since', async () => {
		const axis = await axisAdded('Axe provisoire de 2025', 'provisoire', '2025-03-01T10:00:00Z');
		const texts = Object.fromEntries(
			(await listAxes(portal.db)).map((a) => [a.code, `Texte ${a.shortName}`])
		);
		const id = await savedDraft(portal.db, portal.admin, {
			year: 2025,
			asOf: '2025-12-31',
			intro: 'Bilan 2025',
			axisTexts: texts
		});
		expect(await axisWithdrawn(axis.id, '2026-02-01T10:00:00Z')).toEqual({ ok: true });
		expect(
			(await loadPlanToFreeze(portal.db, '2025-12-31')).plan.axes.map((a) => a.code)
		).toContain(axis.code);

		const form = await draftForm(id);
		expect(form.axisFields.map((f) => f.name)).toContain(axisTextField(axis.code));
		const sent = await Promise.resolve(save(resent(form.editing))).catch(
			(thrown: unknown) => thrown
		);
		expect(isRedirect(sent)).toBe(true);
		expect((await findEdition(portal.db, id))!.axisTexts[axis.code]).toBe('Texte provisoire');
	});

	it('keep the text of an axis withdrawn before the bilan’s date, which the form no longer offers', async () => {
		const axis = await axisAdded('Axe de passage', 'passage', '2023-03-01T10:00:00Z');
		const id = await savedDraft(portal.db, portal.admin, {
			year: 2023,
			asOf: '2023-12-31',
			intro: 'Bilan 2023',
			axisTexts: { [axis.code]: 'Texte soigneusement rédigé' }
		});
		expect(await axisWithdrawn(axis.id, '2023-06-01T10:00:00Z')).toEqual({ ok: true });
		const form = await draftForm(id);
		expect(form.axisFields.map((f) => f.name)).not.toContain(axisTextField(axis.code));
		await Promise.resolve(save({ ...resent(form.editing), intro: 'Bilan 2023, relu' })).catch(
			() => undefined
		);
		const after = (await findEdition(portal.db, id))!;
		expect(after.intro).toBe('Bilan 2023, relu');
		expect(after.axisTexts[axis.code]).toBe('Texte soigneusement rédigé');
	});

	it('offer to publish only the draft the preview showed: saved again since, the confirmation has no button', async () => {
		const draft = await savedDraft(portal.db, portal.admin);
		const id = String(draft);
		const page = (await preview.load(
			await as(`/admin/bilans/${id}`, '/admin/bilans/[id=id]', { id })
		)) as { read: string };
		const read = page.read;
		const confirmation = async (vu: string) =>
			publication.load(
				await as(
					`/admin/bilans/${id}/publication?vu=${encodeURIComponent(vu)}`,
					'/admin/bilans/[id=id]/publication',
					{ id }
				)
			);
		expect(await confirmation(read)).toMatchObject({ changed: false, shown: read });
		// Saved again in another tab after the preview was read.
		const again = await saveEditionDraft(
			portal.db,
			portal.admin,
			{
				year: 2024,
				asOf: '2024-12-31',
				intro: 'Texte que personne n’a relu',
				axisTexts: {},
				changeNote: null,
				shown: draftDigest((await findEdition(portal.db, draft))!)
			},
			null
		);
		expect(again.ok).toBe(true);
		expect(await confirmation(read)).toMatchObject({ changed: true });
		// Opened without the preview: read it first.
		expect(await confirmation('')).toMatchObject({ changed: true });
	});

	it('lists a published bilan with « corriger » after its date, a space between them', async () => {
		const data = await bilans.load(await as('/admin/bilans', '/admin/bilans', {}));
		const text = shownText(render(BilansPage, { props: { data, form: null } as never }).body);
		expect(text).toMatch(/publié le 1er février 2019 \(corriger\)/);
	});

	it('open « corriger » on the texts of the latest published version, saved as the next version with them', async () => {
		const published = (await findLatestPublished(portal.db, 2018))!;
		expect(Object.keys(published.axisTexts)).toHaveLength(3);
		const form = await correctionForm(published.id);
		expect(form.editing).toMatchObject({
			year: '2018',
			as_of: published.asOf,
			intro: published.intro,
			change_note: '',
			based_on: '1',
			// Its year too: a correction of 2018 is saved as 2018's new version only.
			based_on_year: '2018',
			...Object.fromEntries(
				Object.entries(published.axisTexts).map(([code, text]) => [axisTextField(code), text])
			)
		});
		const note = 'Correction d’une coquille dans l’introduction.';
		const typed = { ...resent(form.editing), intro: 'Introduction corrigée', change_note: note };
		const sent = await Promise.resolve(save(typed)).catch((thrown: unknown) => thrown);
		expect(isRedirect(sent)).toBe(true);
		const draft = (await findDraftOfYear(portal.db, 2018))!;
		expect(draft).toMatchObject({ version: 2, intro: 'Introduction corrigée', changeNote: note });
		expect(draft.axisTexts).toEqual(published.axisTexts);
		// The year has a draft now: « corriger » carries it on.
		expect((await correctionForm(published.id)).editing).toMatchObject({
			id: draft.id,
			intro: 'Introduction corrigée'
		});
	});

	it('refuse a blank form for a published year, filled back with its published texts where left empty, the typing kept', async () => {
		const published = (await findLatestPublished(portal.db, 2018))!;
		const typed = { year: '2018', as_of: '', intro: 'Introduction corrigée', change_note: '' };
		const sent = await formAnswer(() => save(typed));
		expect(sent.status).toBe(409);
		expect(sent.message).toMatch(
			/^Le bilan 2018 est déjà publié \(version 1\) : une nouvelle version part de ses textes/
		);
		// The note is asked for in the same answer.
		expect(Object.keys(sent.errors)).toEqual(['change_note', 'form']);
		expect(sent.values).toMatchObject({
			year: '2018',
			intro: 'Introduction corrigée',
			based_on: '1',
			...Object.fromEntries(
				Object.entries(published.axisTexts).map(([code, text]) => [axisTextField(code), text])
			)
		});
		expect(await findDraftOfYear(portal.db, 2018)).toBeUndefined();
		// Sent again as it came back, with its note: version 2 keeps the published axis texts.
		const again = { ...(sent.values as Record<string, string>), change_note: 'Coquille.' };
		const saved = await Promise.resolve(save(again)).catch((thrown: unknown) => thrown);
		expect(isRedirect(saved)).toBe(true);
		const draft = (await findDraftOfYear(portal.db, 2018))!;
		expect(draft).toMatchObject({ version: 2, intro: 'Introduction corrigée' });
		expect(draft.axisTexts).toEqual(published.axisTexts);
	});

	it('refuse a correction note typed for a bilan never published, under its field, the typing kept', async () => {
		const sent = await formAnswer(() =>
			save({
				year: '2022',
				as_of: '2022-12-31',
				intro: 'Bilan 2022',
				change_note: 'Note ignorée ?'
			})
		);
		expect(sent.status).toBe(400);
		expect(sent.errors.change_note).toBe(
			'Le bilan 2022 n’a pas encore de version publiée : la note de correction est pour une nouvelle version d’un bilan publié. Videz ce champ.'
		);
		expect(sent.values).toMatchObject({ intro: 'Bilan 2022', change_note: 'Note ignorée ?' });
	});

	it('refuse a year not begun under its field, with the form’s other problems, the typing kept', async () => {
		const next = String(parisYear() + 1);
		const typed = { year: next, as_of: '', intro: '', change_note: '' };
		const sent = await formAnswer(() => save(typed));
		expect(sent.status).toBe(400);
		expect(sent.message).toBe(INVALID_FORM_MESSAGE);
		expect(sent.errors).toEqual({
			year: editionYearMessage(parisYear()),
			intro: 'L’introduction est obligatoire.'
		});
		expect(sent.values).toMatchObject({ year: next, intro: '' });
		// Alone, it is told the same way as a year before the plan (2017) or past 2100.
		for (const year of [next, '2017']) {
			const alone = await formAnswer(() => save({ ...typed, year, intro: 'Bilan' }));
			expect(alone.status).toBe(400);
			expect(alone.message).toBe(INVALID_FORM_MESSAGE);
			expect(alone.errors).toEqual({ year: editionYearMessage(parisYear()) });
			expect(alone.values).toMatchObject({ year, intro: 'Bilan' });
		}
	});
});
