import { redirect } from '@sveltejs/kit';
import {
	deny,
	denyAsMissing,
	missing,
	requireUser,
	safeClientAddress
} from '$lib/server/auth/guards';
import { can } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db/instance';
import { refusalAnswer } from '$lib/server/http/form-answer';
import {
	findFicheOrganisationIds,
	findProgressUpdate,
	wasSentToLotNumerique
} from '$lib/server/progress/repository';
import { refuse } from '$lib/server/result';
import {
	discardProgressDraft,
	ownDiscardedDraft,
	withdrawProgressUpdate
} from '$lib/server/progress/service';
import { UPDATE_NOT_FOUND, UPDATE_STATE_LABELS } from '$lib/utils/vocabulary';
import { INCOMPLETE_FORM, readForm } from '$lib/schemas/form';
import { ID_PATTERN } from '$lib/utils/text';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/**
 * An update of the person's organisation (on a fiche it may no longer work on), or the draft it
 * discarded (its number is never given again): anything else is answered as a missing update.
 */
async function ownUpdate(event: RequestEvent | Parameters<PageServerLoad>[0]) {
	const user = requireUser(event);
	const db = getDb();
	const id = Number(event.params.id);
	const update = await findProgressUpdate(db, id);
	if (!update) {
		if (!(await ownDiscardedDraft(db, user, id))) missing(event, UPDATE_NOT_FOUND);
		return { user, update: null, ficheOrganisationIds: [] };
	}
	const ficheOrganisationIds = await findFicheOrganisationIds(db, update.ficheId);
	// Another organisation's update is answered as a missing one: its id tells nothing.
	if (
		!can(user, 'update.view', { ficheOrganisationIds, updateOrganisationId: update.organisationId })
	)
		await denyAsMissing(event, user, 'update.view', UPDATE_NOT_FOUND);
	return { user, update, ficheOrganisationIds };
}

/** The box of « Supprimer le brouillon » left unticked. */
const DISCARD_UNCONFIRMED =
	'Cochez la case pour confirmer la suppression : un brouillon supprimé ne se retrouve pas.';

export const load: PageServerLoad = async (event) => {
	requireUser(event);
	const { user, update, ficheOrganisationIds } = await ownUpdate(event);
	// A draft its organisation discarded (a link, a tab left open): the page that says so.
	if (!update) redirect(303, `/espace/suivis/${event.params.id}/supprime`);
	const access = { ficheOrganisationIds, updateOrganisationId: update.organisationId };
	return {
		update: {
			id: update.id,
			ficheCode: update.ficheCode,
			ficheTitle: update.ficheTitle,
			reportedOn: update.reportedOn,
			status: update.status,
			progress: update.progress,
			done: update.done,
			nextSteps: update.nextSteps,
			difficulties: update.difficulties,
			state: update.state,
			stateLabel: UPDATE_STATE_LABELS[update.state],
			version: update.version,
			reviewComment: update.reviewComment,
			returnedAt: update.returnedAt,
			authorName: update.authorName,
			updatedByName: update.updatedByName,
			updatedAt: update.updatedAt,
			submittedAt: update.submittedAt,
			measurements: update.measurements
		},
		carried: can(user, 'update.create', { ficheOrganisationIds }),
		canWithdraw: can(user, 'update.withdraw', { ...access, state: update.state }),
		canDiscard:
			update.state === 'draft' &&
			can(user, 'update.discard', {
				...access,
				state: update.state,
				sent: await wasSentToLotNumerique(getDb(), update.id)
			})
	};
};

export const actions: Actions = {
	retirer: async (event) => {
		requireUser(event);
		const { user, update } = await ownUpdate(event);
		if (!update) missing(event, UPDATE_NOT_FOUND);
		const { values, errors } = readForm(await event.request.formData(), ['version']);
		if (errors.version || !ID_PATTERN.test(values.version))
			return refusalAnswer(refuse(400, INCOMPLETE_FORM));
		const result = await withdrawProgressUpdate(
			getDb(),
			user,
			update.id,
			Number(values.version),
			safeClientAddress(event)
		);
		if (!result.ok) {
			if (result.status === 403) await deny(event, user, 'update.withdraw', result.message);
			return refusalAnswer(result);
		}
		redirect(
			303,
			`/espace/fiches/${result.value.ficheCode}/suivi?brouillon=${update.id}&retiree=1`
		);
	},
	// A draft discarded for good, with its measurements: the box ticked, over the version shown.
	supprimer: async (event) => {
		requireUser(event);
		const { user, update } = await ownUpdate(event);
		const id = Number(event.params.id);
		// Discarded already (a second tab, a colleague): the page that says so.
		if (!update) redirect(303, `/espace/suivis/${id}/supprime?deja=1`);
		const { values, errors } = readForm(await event.request.formData(), ['version', 'confirm']);
		if (errors.version || !ID_PATTERN.test(values.version))
			return refusalAnswer(refuse(400, INCOMPLETE_FORM));
		if (values.confirm !== 'oui')
			return refusalAnswer(
				refuse(400, DISCARD_UNCONFIRMED, { fieldErrors: { confirm: DISCARD_UNCONFIRMED } })
			);
		const result = await discardProgressDraft(
			getDb(),
			user,
			update.id,
			Number(values.version),
			safeClientAddress(event)
		);
		if (!result.ok) {
			if (result.status === 404) missing(event, result.message);
			if (result.status === 410) redirect(303, `/espace/suivis/${id}/supprime?deja=1`);
			return refusalAnswer(result);
		}
		redirect(303, `/espace/suivis/${id}/supprime`);
	}
};
