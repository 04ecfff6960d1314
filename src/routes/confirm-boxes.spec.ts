import { describe, expect, it } from 'vitest';
import { openedCampaign } from '$lib/server/campaigns/testing';
import { deleteSitting } from '$lib/server/commission/service';
import { heldSitting, preparedSitting } from '$lib/server/commission/testing';
import { savedDraft } from '$lib/server/editions/testing';
import { createProgressCast, preparedUpdate } from '$lib/server/progress/testing';
import { actions as bilan } from './admin/bilans/[id=id]/+page.server';
import { actions as campaign } from './admin/campagnes/[id=id]/+page.server';
import { actions as draft } from './espace/suivis/[id=id]/+page.server';
import { actions as sitting } from './commission/seances/[id=id]/+page.server';
import { adminDatabase, formAnswer, idRoute, postAction, routeAnswer } from './route-testing';

// Every « tick to confirm » box is read by confirmField (schemas/): left empty, each form answers
// its own message, word for word, above the form and under the box.

const portal = adminDatabase();

describe('a box ticked to confirm', () => {
	it('closing a campaign: refused unticked with its message, closed ticked', async () => {
		const id = await openedCampaign(portal.db, portal.admin);
		const close = (fields: Record<string, string>) =>
			postAction(campaign.close, idRoute('/admin/campagnes/[id=id]', id), portal.admin, fields);
		const message =
			'Cochez la case pour confirmer la clôture : une campagne close ne se rouvre pas.';
		for (const fields of [{}, { confirm: 'non' }] as Record<string, string>[])
			expect(await formAnswer(() => close(fields))).toEqual({
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
		const cast = await createProgressCast(portal.db, portal.admin);
		const { id, version } = await preparedUpdate(portal.db, cast, 'draft');
		const discard = (fields: Record<string, string>) =>
			postAction(draft.supprimer, idRoute('/espace/suivis/[id=id]', id), cast.cdg, fields);
		expect(await formAnswer(() => discard({ version: 'x' }))).toMatchObject({
			status: 400,
			message: 'Le formulaire est incomplet : rechargez la page.',
			errors: { form: 'Le formulaire est incomplet : rechargez la page.' }
		});
		const message =
			'Cochez la case pour confirmer la suppression : un brouillon supprimé ne se retrouve pas.';
		expect(await formAnswer(() => discard({ version: String(version) }))).toMatchObject({
			status: 400,
			message,
			errors: { confirm: message }
		});
		expect(
			await routeAnswer(() => discard({ version: String(version), confirm: 'oui' }))
		).toMatchObject({ status: 303, location: `/espace/suivis/${id}/supprime` });
	});

	it('publishing a bilan: anything but the confirmation page’s post leads back to it', async () => {
		const id = await savedDraft(portal.db, portal.admin);
		const publish = (fields: Record<string, string>) =>
			routeAnswer(() =>
				postAction(bilan.publish, idRoute('/admin/bilans/[id=id]', id), portal.admin, fields)
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
	/** A form of the séance `id`'s page, posted to `action` by the administrator. */
	const onSitting = <T>(
		action: ((event: never) => T) | undefined,
		id: number,
		fields: Record<string, string>
	) => postAction(action, idRoute('/commission/seances/[id=id]', id), portal.admin, fields);

	it('deleting a séance: refused unticked, beside its form', async () => {
		const id = await preparedSitting(portal.db, portal.admin, { fiches: [] });
		const message = 'Cochez la case pour confirmer que la séance doit être supprimée.';
		expect(await formAnswer(() => onSitting(sitting.delete, id, { confirm: 'non' }))).toEqual({
			status: 400,
			message,
			errors: { confirm_delete: message },
			values: { intent: 'delete' },
			changes: [],
			stored: null
		});
		expect(
			await routeAnswer(() => onSitting(sitting.delete, id, { confirm: 'oui' }))
		).toMatchObject({
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
			expect(await routeAnswer(() => onSitting(sitting.close, id, fields))).toMatchObject({
				status: 303,
				location: `/commission/seances/${id}/cloture`
			});
		expect(
			await routeAnswer(() => onSitting(sitting.close, id, { confirm: 'oui', decisions: '' }))
		).toMatchObject({ status: 303, location: `/commission/seances/${id}?close=1` });
	});

	it('a row that is none of the page’s: its message above the forms, under a list to choose from', async () => {
		const { sittingId: id } = await heldSitting(portal.db, portal.admin);
		expect(
			await formAnswer(() => onSitting(sitting.removeItem, id, { itemId: 'x' }))
		).toMatchObject({
			status: 400,
			message: 'Point inconnu.',
			errors: { form: 'Point inconnu.' }
		});
		expect(await formAnswer(() => onSitting(sitting.addMember, id, { userId: '' }))).toMatchObject({
			status: 400,
			message: 'Choisissez un membre dans la liste.',
			errors: { userId: 'Choisissez un membre dans la liste.' }
		});
		expect(await formAnswer(() => onSitting(sitting.addFiches, id, { codes: 'x' }))).toMatchObject({
			status: 400,
			errors: { codes: 'Choisissez au moins une fiche dans la liste.' }
		});
	});

	it('a form that does not pass on a séance deleted meanwhile: the deletion said, the typing kept', async () => {
		const id = await preparedSitting(portal.db, portal.admin, { fiches: [] });
		const guest = { guest_name: 'x'.repeat(200) };
		expect(await formAnswer(() => onSitting(sitting.addGuest, id, guest))).toMatchObject({
			status: 400,
			message: 'Le nom de l’invité : 120 caractères au plus (200 saisis, 80 de trop).',
			values: guest
		});
		expect((await deleteSitting(portal.db, portal.admin, id, null)).ok).toBe(true);
		expect(await routeAnswer(() => onSitting(sitting.addGuest, id, guest))).toMatchObject({
			status: 404,
			message: expect.stringContaining('Cette séance a été supprimée'),
			kept: guest.guest_name
		});
		expect(
			await routeAnswer(() =>
				onSitting(sitting.edit, id, {
					held_on: '2026-05-02',
					starts_at: '9h',
					place: 'Figeac',
					title: ''
				})
			)
		).toMatchObject({
			status: 404,
			kept: 'Date : 2\u00a0mai\u00a02026\nHeure : 9h\nLieu : Figeac'
		});
	});
});
