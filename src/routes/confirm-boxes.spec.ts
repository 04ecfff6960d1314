import { describe, expect, it } from 'vitest';
import type { User } from '$lib/server/auth/users';
import { openCampaign } from '$lib/server/campaigns/service';
import { createSitting, deleteSitting } from '$lib/server/commission/service';
import { heldSitting } from '$lib/server/commission/testing';
import { saveEditionDraft } from '$lib/server/editions/service';
import { createProgressCast, preparedUpdate } from '$lib/server/progress/testing';
import { daysAfter, parisToday } from '$lib/utils/dates';
import { actions as bilan } from './admin/bilans/[id=id]/+page.server';
import { actions as campaign } from './admin/campagnes/[id=id]/+page.server';
import { actions as draft } from './espace/suivis/[id=id]/+page.server';
import { actions as sitting } from './commission/seances/[id=id]/+page.server';
import { adminDatabase, routeAnswer, routeEvent } from './route-testing';

// Every « tick to confirm » box is read by confirmField (schemas/): left empty, each form answers
// its own message, word for word, above the form and under the box.

const portal = adminDatabase();

function post(user: User, path: string, route: string, id: number, fields: Record<string, string>) {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.set(name, value);
	return routeEvent(
		path,
		route,
		{ id: String(id) },
		{ user, session: { id: 'test' } as never },
		form
	);
}

/** What a refused form answers: its status, its message, and the message under each field. */
async function answered(act: () => unknown) {
	const answer = (await act()) as {
		status: number;
		data: { message: string; errors: Record<string, string>; values?: unknown };
	};
	return { status: answer.status, ...answer.data };
}

describe('a box ticked to confirm', () => {
	it('closing a campaign: refused unticked with its message, closed ticked', async () => {
		const opened = await openCampaign(
			portal.db,
			portal.admin,
			{
				title: 'Point d’étape',
				deadline: daysAfter(parisToday(), 30),
				scope: { kind: 'all' },
				sittingId: null,
				reminders: ''
			},
			null
		);
		if (!opened.ok) throw new Error(opened.message);
		const id = opened.value.id;
		const close = (fields: Record<string, string>) =>
			campaign.close!(
				post(portal.admin, `/admin/campagnes/${id}`, '/admin/campagnes/[id=id]', id, fields)
			);
		const message =
			'Cochez la case pour confirmer la clôture : une campagne close ne se rouvre pas.';
		for (const fields of [{}, { confirm: 'non' }] as Record<string, string>[])
			expect(await answered(() => close(fields))).toEqual({
				status: 400,
				message,
				errors: { confirm: message },
				values: undefined,
				changes: [],
				stored: null
			});
		expect(await routeAnswer(() => close({ confirm: 'oui' }))).toMatchObject({
			status: 303,
			location: `/admin/campagnes/${id}?close=1`
		});
	});

	it('discarding a draft: a stale version first, then the box, then discarded', async () => {
		const cast = await createProgressCast(portal.db);
		const { id, version } = await preparedUpdate(portal.db, cast, 'draft');
		const discard = (fields: Record<string, string>) =>
			draft.supprimer!(
				post(cast.cdg, `/espace/suivis/${id}`, '/espace/suivis/[id=id]', id, fields)
			);
		expect(await answered(() => discard({ version: 'x' }))).toMatchObject({
			status: 400,
			message: 'Le formulaire est incomplet : rechargez la page.',
			errors: { form: 'Le formulaire est incomplet : rechargez la page.' }
		});
		const message =
			'Cochez la case pour confirmer la suppression : un brouillon supprimé ne se retrouve pas.';
		expect(await answered(() => discard({ version: String(version) }))).toMatchObject({
			status: 400,
			message,
			errors: { confirm: message }
		});
		expect(
			await routeAnswer(() => discard({ version: String(version), confirm: 'oui' }))
		).toMatchObject({ status: 303, location: `/espace/suivis/${id}/supprime` });
	});

	it('publishing a bilan: anything but the confirmation page’s post leads back to it', async () => {
		const saved = await saveEditionDraft(
			portal.db,
			portal.admin,
			{ year: 2024, asOf: '2024-12-31', intro: 'Texte relu', axisTexts: {}, changeNote: null },
			null
		);
		if (!saved.ok) throw new Error(saved.message);
		const id = saved.value.id;
		const publish = (fields: Record<string, string>) =>
			routeAnswer(() =>
				bilan.publish!(
					post(portal.admin, `/admin/bilans/${id}`, '/admin/bilans/[id=id]', id, fields)
				)
			);
		for (const fields of [
			{ shown: 'x' },
			{ confirm: 'non', shown: 'x' },
			{ confirm: 'oui' }
		] as Record<string, string>[])
			expect(await publish(fields)).toMatchObject({
				status: 303,
				location: `/admin/bilans/${id}/publication`
			});
		// Ticked, over a draft that is not the one shown: read again, not published.
		expect(await publish({ confirm: 'oui', shown: 'x' })).toMatchObject({
			status: 303,
			location: `/admin/bilans/${id}/publication?relire=1`
		});
	});
});

describe('the séance page’s forms', () => {
	/** A séance in preparation, as its form creates it: its number. */
	async function preparedSitting(): Promise<number> {
		const created = await createSitting(
			portal.db,
			portal.admin,
			{ heldOn: '2026-05-01', place: 'Cahors', title: 'Commission' },
			null
		);
		if (!created.ok) throw new Error(created.message);
		return created.value.id;
	}
	const at = (id: number, fields: Record<string, string>) =>
		post(portal.admin, `/commission/seances/${id}`, '/commission/seances/[id=id]', id, fields);

	it('deleting a séance: refused unticked, beside its form', async () => {
		const id = await preparedSitting();
		const message = 'Cochez la case pour confirmer que la séance doit être supprimée.';
		expect(await answered(() => sitting.delete!(at(id, { confirm: 'non' })))).toEqual({
			status: 400,
			message,
			errors: { confirm_delete: message },
			values: { intent: 'delete' },
			changes: [],
			stored: null
		});
		expect(await routeAnswer(() => sitting.delete!(at(id, { confirm: 'oui' })))).toMatchObject({
			status: 303,
			location: `/commission?supprimee=${id}`
		});
	});

	it('closing a séance: anything but the confirmation page’s post leads back to it', async () => {
		const { sittingId: id } = await heldSitting(portal.db, portal.admin);
		for (const fields of [{ decisions: '' }, { confirm: 'oui', decisions: '1;2' }] as Record<
			string,
			string
		>[])
			expect(await routeAnswer(() => sitting.close!(at(id, fields)))).toMatchObject({
				status: 303,
				location: `/commission/seances/${id}/cloture`
			});
		expect(
			await routeAnswer(() => sitting.close!(at(id, { confirm: 'oui', decisions: '' })))
		).toMatchObject({ status: 303, location: `/commission/seances/${id}?close=1` });
	});

	it('a row that is none of the page’s: its message above the forms, under a list to choose from', async () => {
		const { sittingId: id } = await heldSitting(portal.db, portal.admin);
		expect(await answered(() => sitting.removeItem!(at(id, { itemId: 'x' })))).toMatchObject({
			status: 400,
			message: 'Point inconnu.',
			errors: { form: 'Point inconnu.' }
		});
		expect(await answered(() => sitting.addMember!(at(id, { userId: '' })))).toMatchObject({
			status: 400,
			message: 'Choisissez un membre dans la liste.',
			errors: { userId: 'Choisissez un membre dans la liste.' }
		});
		expect(await answered(() => sitting.addFiches!(at(id, { codes: 'x' })))).toMatchObject({
			status: 400,
			errors: { codes: 'Choisissez au moins une fiche dans la liste.' }
		});
	});

	it('a form that does not pass on a séance deleted meanwhile: the deletion said, the typing kept', async () => {
		const id = await preparedSitting();
		const guest = { guest_name: 'x'.repeat(200) };
		expect(await answered(() => sitting.addGuest!(at(id, guest)))).toMatchObject({
			status: 400,
			message: 'Le nom de l’invité : 120 caractères au plus (200 saisis, 80 de trop).',
			values: guest
		});
		expect((await deleteSitting(portal.db, portal.admin, id, null)).ok).toBe(true);
		expect(await routeAnswer(() => sitting.addGuest!(at(id, guest)))).toMatchObject({
			status: 404,
			message: expect.stringContaining('Cette séance a été supprimée'),
			kept: guest.guest_name
		});
		expect(
			await routeAnswer(() =>
				sitting.edit!(
					at(id, { held_on: '2026-05-02', starts_at: '9h', place: 'Figeac', title: '' })
				)
			)
		).toMatchObject({
			status: 404,
			kept: 'Date : 2\u00a0mai\u00a02026\nHeure : 9h\nLieu : Figeac'
		});
	});
});
