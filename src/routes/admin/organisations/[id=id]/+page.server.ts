import { error, redirect } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import {
	findAdminOrganisation,
	listAdminOrganisations
} from '$lib/server/authoring/organisations-repository';
import { listDecisionChoices } from '$lib/server/authoring/repository';
import {
	editOrganisation,
	mergeOrganisations,
	ORGANISATION_SHOWN_FIELDS,
	organisationFormValues,
	organisationSeenRevision,
	organisationShown,
	rebaseOrganisationTyping,
	retireOrganisation,
	withOrganisationNameProblem
} from '$lib/server/authoring/organisations';
import { getDb } from '$lib/server/db/instance';
import { savedMarker } from '$lib/server/http/done-answer';
import { invalidFormAnswer, readPostedForm, refusalAnswer } from '$lib/server/http/form-answer';
import { readForm } from '$lib/schemas/form';
import {
	MERGE_FIELDS,
	MergeSchema,
	ORGANISATION_EDIT_FIELDS,
	OrganisationEditSchema
} from '$lib/schemas/organisation';
import { RETIRE_FIELDS, RetireSchema } from '$lib/schemas/retire';
import type { Actions, PageServerLoad } from './$types';
import { ORGANISATION_NOT_FOUND } from '$lib/utils/vocabulary';

export const load: PageServerLoad = async (event) => {
	const admin = await authorize(event, 'plan.edit');
	const db = getDb();
	const organisation = await findAdminOrganisation(db, Number(event.params.id));
	if (!organisation) error(404, ORGANISATION_NOT_FOUND);
	return {
		organisation,
		// Its fields as the form shows them, and as its hidden `shown_…` fields keep them.
		formValues: organisationFormValues(organisation),
		// Its last revision, sent back: a conflict names who changed it since, and when.
		seenRevision: await organisationSeenRevision(db, organisation.id),
		others: (await listAdminOrganisations(db))
			.filter((o) => o.id !== organisation.id && !o.retiredAt)
			.map((o) => ({ id: o.id, name: o.name })),
		decisions: await listDecisionChoices(db),
		// « creee »: just created (the creation form leads here); « 1 »: a change saved here;
		// « retiree »: retired here (said while it is); « fusion »: another merged into this one.
		// Each only after this admin's own act on it (savedMarker).
		saved: await savedMarker(
			db,
			event.url,
			admin.id,
			{ type: 'organisation', id: organisation.id },
			{
				creee: 'plan.organisation_created',
				'1': 'plan.organisation_updated',
				retiree: organisation.retiredAt !== null && 'plan.organisation_retired',
				fusion: 'plan.organisation_merged'
			}
		)
	};
};

export const actions: Actions = {
	modifier: async (event) => {
		const admin = await authorize(event, 'plan.edit');
		const id = Number(event.params.id);
		const posted = await event.request.formData();
		// The answer names the form, to show it at the right place.
		const form = readPostedForm(posted, ORGANISATION_EDIT_FIELDS, OrganisationEditSchema, {
			which: 'modifier'
		});
		if (form.answer)
			return invalidFormAnswer(
				await withOrganisationNameProblem(getDb(), form.errors, form.typed.name, id),
				form.values
			);
		const { data } = form;
		// The fields as the form showed them: a change made meanwhile is not overwritten unseen.
		const shown = posted.has('shown_name')
			? organisationShown(readForm(posted, ORGANISATION_SHOWN_FIELDS).values)
			: null;
		const result = await editOrganisation(
			getDb(),
			admin,
			id,
			{
				version: data.version,
				seenRevision: data.seen_revision,
				name: data.name,
				fullName: data.full_name || null,
				kind: data.kind,
				reason: data.reason,
				decisionId: data.decision,
				shown
			},
			safeClientAddress(event)
		);
		if (!result.ok)
			return refusalAnswer(
				result,
				result.status === 409 && shown
					? await rebaseOrganisationTyping(getDb(), id, form.values, shown)
					: form.values
			);
		redirect(303, `/admin/organisations/${id}?enregistre=1`);
	},
	fusionner: async (event) => {
		const admin = await authorize(event, 'plan.edit');
		const id = Number(event.params.id);
		// The answer names the form, to show it at the right place.
		const form = readPostedForm(await event.request.formData(), MERGE_FIELDS, MergeSchema, {
			which: 'fusionner'
		});
		if (form.answer) return form.answer;
		const { data } = form;
		const result = await mergeOrganisations(
			getDb(),
			admin,
			id,
			{ version: data.version, into: data.into, reason: data.reason, decisionId: data.decision },
			safeClientAddress(event)
		);
		if (!result.ok) return refusalAnswer(result, form.values);
		redirect(303, `/admin/organisations/${result.value.keptId}?enregistre=fusion`);
	},
	retirer: async (event) => {
		const admin = await authorize(event, 'plan.edit');
		const id = Number(event.params.id);
		// The answer names the form, to show it at the right place.
		const form = readPostedForm(await event.request.formData(), RETIRE_FIELDS, RetireSchema, {
			which: 'retirer'
		});
		if (form.answer) return form.answer;
		const { data } = form;
		const result = await retireOrganisation(
			getDb(),
			admin,
			id,
			{ version: data.version, reason: data.reason, decisionId: data.decision },
			safeClientAddress(event)
		);
		if (!result.ok) return refusalAnswer(result, form.values);
		redirect(303, `/admin/organisations/${id}?enregistre=retiree`);
	}
};
