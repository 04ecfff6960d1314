import { isRedirect } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { createSession } from '$lib/server/auth/sessions';
import { newStructure, openedStructure } from '$lib/server/authoring/testing';
import { retireStructure, saveStructure } from '$lib/server/authoring/service';
import { findEdition, loadPlanToFreeze } from '$lib/server/editions/repository';
import { draftDigest, saveEditionDraft } from '$lib/server/editions/service';
import { listAxes } from '$lib/server/plan/repository';
import { axisTextField } from '$lib/schemas/edition';
import * as bilans from './admin/bilans/+page.server';
import * as preview from './admin/bilans/[id=id]/+page.server';
import * as publication from './admin/bilans/[id=id]/publication/+page.server';
import { adminDatabase, routeEvent } from './route-testing';

// The bilans' admin pages, through the routes' own loads and actions.

const portal = adminDatabase();

async function as(path: string, route: string, params: Record<string, string>, form?: FormData) {
	const { session } = await createSession(portal.db, portal.admin.id);
	return routeEvent(path, route, params, { user: portal.admin, session }, form);
}

describe('the bilans’ admin pages', () => {
	it('offer, and keep, the text of an axis a past year’s bilan still shows though withdrawn since', async () => {
		const made = await saveStructure(
			portal.db,
			portal.admin,
			'axis',
			null,
			newStructure('Axe provisoire de 2025', null, { shortName: 'provisoire' }),
			null,
			new Date('2025-03-01T10:00:00Z')
		);
		if (!made.ok) throw new Error(made.message);
		const axis = (await listAxes(portal.db)).find((a) => a.shortName === 'provisoire')!;
		const texts = Object.fromEntries(
			(await listAxes(portal.db)).map((a) => [a.code, `Texte ${a.shortName}`])
		);
		const saved = await saveEditionDraft(
			portal.db,
			portal.admin,
			{ year: 2025, asOf: '2025-12-31', intro: 'Bilan 2025', axisTexts: texts, changeNote: null },
			null
		);
		if (!saved.ok) throw new Error(saved.message);
		const { version } = await openedStructure(portal.db, 'axis', made.value.id);
		const retired = await retireStructure(
			portal.db,
			portal.admin,
			'axis',
			made.value.id,
			{ version: version!, reason: 'Vide', decisionId: null },
			null,
			new Date('2026-02-01T10:00:00Z')
		);
		expect(retired).toEqual({ ok: true });
		expect(
			(await loadPlanToFreeze(portal.db, '2025-12-31')).plan.axes.map((a) => a.code)
		).toContain(axis.code);

		const form = (await bilans.load(
			await as(`/admin/bilans?brouillon=${saved.value.id}`, '/admin/bilans', {})
		)) as { axisFields: { name: string }[]; editing: Record<string, string> };
		expect(form.axisFields.map((f) => f.name)).toContain(axisTextField(axis.code));
		const body = new FormData();
		for (const [name, value] of Object.entries(form.editing))
			if (name !== 'id') body.set(name, String(value));
		const sent = await Promise.resolve(
			bilans.actions.save!(await as('/admin/bilans?/save', '/admin/bilans', {}, body))
		).catch((thrown: unknown) => thrown);
		expect(isRedirect(sent)).toBe(true);
		expect((await findEdition(portal.db, saved.value.id))!.axisTexts[axis.code]).toBe(
			'Texte provisoire'
		);
	});

	it('keep the text of an axis withdrawn before the bilan’s date, which the form no longer offers', async () => {
		const made = await saveStructure(
			portal.db,
			portal.admin,
			'axis',
			null,
			newStructure('Axe de passage', null, { shortName: 'passage' }),
			null,
			new Date('2023-03-01T10:00:00Z')
		);
		if (!made.ok) throw new Error(made.message);
		const axis = (await listAxes(portal.db)).find((a) => a.shortName === 'passage')!;
		const saved = await saveEditionDraft(
			portal.db,
			portal.admin,
			{
				year: 2023,
				asOf: '2023-12-31',
				intro: 'Bilan 2023',
				axisTexts: { [axis.code]: 'Texte soigneusement rédigé' },
				changeNote: null
			},
			null
		);
		if (!saved.ok) throw new Error(saved.message);
		const { version } = await openedStructure(portal.db, 'axis', made.value.id);
		expect(
			await retireStructure(
				portal.db,
				portal.admin,
				'axis',
				made.value.id,
				{ version: version!, reason: 'Vide', decisionId: null },
				null,
				new Date('2023-06-01T10:00:00Z')
			)
		).toEqual({ ok: true });
		const form = (await bilans.load(
			await as(`/admin/bilans?brouillon=${saved.value.id}`, '/admin/bilans', {})
		)) as { axisFields: { name: string }[]; editing: Record<string, string> };
		expect(form.axisFields.map((f) => f.name)).not.toContain(axisTextField(axis.code));
		const body = new FormData();
		for (const [name, value] of Object.entries(form.editing))
			if (name !== 'id') body.set(name, String(value));
		body.set('intro', 'Bilan 2023, relu');
		await Promise.resolve(
			bilans.actions.save!(await as('/admin/bilans?/save', '/admin/bilans', {}, body))
		).catch(() => undefined);
		const after = (await findEdition(portal.db, saved.value.id))!;
		expect(after.intro).toBe('Bilan 2023, relu');
		expect(after.axisTexts[axis.code]).toBe('Texte soigneusement rédigé');
	});

	it('offer to publish only the draft the preview showed: saved again since, the confirmation has no button', async () => {
		const saved = await saveEditionDraft(
			portal.db,
			portal.admin,
			{ year: 2024, asOf: '2024-12-31', intro: 'Texte relu', axisTexts: {}, changeNote: null },
			null
		);
		if (!saved.ok) throw new Error(saved.message);
		const id = String(saved.value.id);
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
				shown: draftDigest((await findEdition(portal.db, saved.value.id))!)
			},
			null
		);
		expect(again.ok).toBe(true);
		expect(await confirmation(read)).toMatchObject({ changed: true });
		// Opened without the preview: read it first.
		expect(await confirmation('')).toMatchObject({ changed: true });
	});

	it('refuse a correction note typed for a bilan never published, under its field, the typing kept', async () => {
		const body = new FormData();
		body.set('year', '2022');
		body.set('as_of', '2022-12-31');
		body.set('intro', 'Bilan 2022');
		body.set('change_note', 'Note ignorée ?');
		const sent = (await bilans.actions.save!(
			await as('/admin/bilans?/save', '/admin/bilans', {}, body)
		)) as {
			status: number;
			data: { values: Record<string, string>; errors: Record<string, string> };
		};
		expect(sent.status).toBe(400);
		expect(sent.data.errors.change_note).toBe(
			'Le bilan 2022 n’a pas encore de version publiée : la note de correction est pour une nouvelle version d’un bilan publié. Videz ce champ.'
		);
		expect(sent.data.values).toMatchObject({ intro: 'Bilan 2022', change_note: 'Note ignorée ?' });
	});
});
