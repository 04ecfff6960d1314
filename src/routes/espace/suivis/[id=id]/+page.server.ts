import { redirect } from '@sveltejs/kit';
import { missing, requireUser, safeClientAddress } from '$lib/server/auth/guards';
import type { User } from '$lib/server/auth/users';
import { getDb } from '$lib/server/db/instance';
import { invalidFormAnswer, refusalAnswer } from '$lib/server/http/form-answer';
import { refuse } from '$lib/server/result';
import {
	discardProgressDraft,
	readUpdateAccess,
	replacedValuesOf,
	withdrawProgressUpdate,
	type UpdateAction
} from '$lib/server/progress/service';
import { UPDATE_STATE_LABELS } from '$lib/utils/vocabulary';
import { INCOMPLETE_FORM, parseForm, readForm, versionField } from '$lib/schemas/form';
import { DISCARD_FIELDS, DiscardSchema } from '$lib/schemas/progress-update';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/**
 * The service's decision on the address's update (`readUpdateAccess`): an update of the person's
 * organisation (on a fiche it may no longer work on); the draft it discarded (its number is never
 * given again) and anything else are refusals, another organisation's journaled once.
 */
async function ownUpdate(
	event: RequestEvent | Parameters<PageServerLoad>[0],
	user: User,
	action: UpdateAction
) {
	const id = Number(event.params.id);
	const access = await readUpdateAccess(getDb(), user, id, action, safeClientAddress(event));
	return { id, access };
}

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { id, access } = await ownUpdate(event, user, 'view');
	if (!access.ok) {
		// A draft its organisation discarded (a link, a tab left open): the page that says so.
		if (access.reason === 'draft-discarded') redirect(303, `/espace/suivis/${id}/supprime`);
		missing(event, access.message);
	}
	const { update, ficheOrganisationIds, carried, canWithdraw, canDiscard } = access.value;
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
		// Its values that a later validation replaced: shown as such, not dropped.
		replaced: await replacedValuesOf(getDb(), user, {
			id: update.id,
			organisationId: update.organisationId,
			ficheOrganisationIds
		}),
		carried,
		canWithdraw,
		canDiscard
	};
};

export const actions: Actions = {
	retirer: async (event) => {
		const user = requireUser(event);
		const { access } = await ownUpdate(event, user, 'withdraw');
		if (!access.ok) missing(event, access.message);
		const { update } = access.value;
		const { values, errors } = readForm(await event.request.formData(), ['version']);
		const version = versionField.safeParse(values.version);
		// Every refusal names its form: the page says it beside the withdrawal's button while it
		// still offers it, as the deletion's.
		const named = { intent: 'withdraw' };
		if (errors.version || !version.success)
			return refusalAnswer(refuse(400, INCOMPLETE_FORM), named);
		const result = await withdrawProgressUpdate(
			getDb(),
			user,
			update.id,
			version.data,
			safeClientAddress(event)
		);
		if (!result.ok) return refusalAnswer(result, named);
		redirect(
			303,
			`/espace/fiches/${result.value.ficheCode}/suivi?brouillon=${update.id}&retiree=1`
		);
	},
	// A draft discarded for good, with its measurements: the box ticked, over the version shown.
	supprimer: async (event) => {
		const user = requireUser(event);
		const { id, access } = await ownUpdate(event, user, 'discard');
		if (!access.ok) {
			// Discarded already (a second tab, a colleague): the page that says so.
			if (access.reason === 'draft-discarded')
				redirect(303, `/espace/suivis/${id}/supprime?deja=1`);
			missing(event, access.message);
		}
		const { update } = access.value;
		const { errors, data } = parseForm(
			await event.request.formData(),
			DISCARD_FIELDS,
			DiscardSchema
		);
		// Every refusal names its form: the page says it beside the deletion's button, the box
		// pointing to it, not above the page.
		const values = { intent: 'discard' };
		// A version that is not one: the page is stale or made by hand, said before the box.
		if (errors.version) return refusalAnswer(refuse(400, INCOMPLETE_FORM), values);
		if (!data) return invalidFormAnswer(errors, values, errors.confirm);
		const result = await discardProgressDraft(
			getDb(),
			user,
			update.id,
			data.version,
			safeClientAddress(event)
		);
		if (!result.ok) {
			if (result.status === 404) missing(event, result.message);
			if (result.status === 410) redirect(303, `/espace/suivis/${id}/supprime?deja=1`);
			return refusalAnswer(result, values);
		}
		redirect(303, `/espace/suivis/${id}/supprime`);
	}
};
