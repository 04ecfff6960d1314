import { isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '$lib/server/auth/sessions';
import type { User } from '$lib/server/auth/users';
import { insertAdmin, newStructure, openedStructure } from '$lib/server/authoring/testing';
import { retireStructure, saveStructure } from '$lib/server/authoring/service';
import type { Db } from '$lib/server/db';
import { closeDatabase, initDatabase } from '$lib/server/db/instance';
import { findEdition, loadPlanToFreeze } from '$lib/server/editions/repository';
import { draftDigest, saveEditionDraft } from '$lib/server/editions/service';
import { listAxes } from '$lib/server/plan/repository';
import { axisTextField } from '$lib/schemas/edition';
import * as bilans from './admin/bilans/+page.server';
import * as preview from './admin/bilans/[id=id]/+page.server';
import * as publication from './admin/bilans/[id=id]/publication/+page.server';
import { routeEvent } from './route-testing';

// The bilans' admin pages, through the routes' own loads and actions.

let db: Db;
let admin: User;

beforeAll(async () => {
	db = await initDatabase(':memory:');
	admin = await insertAdmin(db);
});
afterAll(closeDatabase);

async function as(path: string, route: string, params: Record<string, string>, form?: FormData) {
	const { session } = await createSession(db, admin.id);
	return routeEvent(path, route, params, { user: admin, session }, form);
}

describe('the bilans’ admin pages', () => {
	it('offer, and keep, the text of an axis a past year’s bilan still shows though withdrawn since', async () => {
		const made = await saveStructure(
			db,
			admin,
			'axis',
			null,
			newStructure('Axe provisoire de 2025', null, { shortName: 'provisoire' }),
			null,
			new Date('2025-03-01T10:00:00Z')
		);
		if (!made.ok) throw new Error(made.message);
		const axis = (await listAxes(db)).find((a) => a.shortName === 'provisoire')!;
		const texts = Object.fromEntries(
			(await listAxes(db)).map((a) => [a.code, `Texte ${a.shortName}`])
		);
		const saved = await saveEditionDraft(
			db,
			admin,
			{ year: 2025, asOf: '2025-12-31', intro: 'Bilan 2025', axisTexts: texts, changeNote: null },
			null
		);
		if (!saved.ok) throw new Error(saved.message);
		const { version } = await openedStructure(db, 'axis', made.value.id);
		const retired = await retireStructure(
			db,
			admin,
			'axis',
			made.value.id,
			{ version: version!, reason: 'Vide', decisionId: null },
			null,
			new Date('2026-02-01T10:00:00Z')
		);
		expect(retired).toEqual({ ok: true });
		expect((await loadPlanToFreeze(db, '2025-12-31')).plan.axes.map((a) => a.code)).toContain(
			axis.code
		);

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
		expect((await findEdition(db, saved.value.id))!.axisTexts[axis.code]).toBe('Texte provisoire');
	});

	it('keep the text of an axis withdrawn before the bilan’s date, which the form no longer offers', async () => {
		const made = await saveStructure(
			db,
			admin,
			'axis',
			null,
			newStructure('Axe de passage', null, { shortName: 'passage' }),
			null,
			new Date('2023-03-01T10:00:00Z')
		);
		if (!made.ok) throw new Error(made.message);
		const axis = (await listAxes(db)).find((a) => a.shortName === 'passage')!;
		const saved = await saveEditionDraft(
			db,
			admin,
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
		const { version } = await openedStructure(db, 'axis', made.value.id);
		expect(
			await retireStructure(
				db,
				admin,
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
		const after = (await findEdition(db, saved.value.id))!;
		expect(after.intro).toBe('Bilan 2023, relu');
		expect(after.axisTexts[axis.code]).toBe('Texte soigneusement rédigé');
	});

	it('offer to publish only the draft the preview showed: saved again since, the confirmation has no button', async () => {
		const saved = await saveEditionDraft(
			db,
			admin,
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
			db,
			admin,
			{
				year: 2024,
				asOf: '2024-12-31',
				intro: 'Texte que personne n’a relu',
				axisTexts: {},
				changeNote: null,
				shown: draftDigest((await findEdition(db, saved.value.id))!)
			},
			null
		);
		expect(again.ok).toBe(true);
		expect(await confirmation(read)).toMatchObject({ changed: true });
		// Opened without the preview: read it first.
		expect(await confirmation('')).toMatchObject({ changed: true });
	});
});
