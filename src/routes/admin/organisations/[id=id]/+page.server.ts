import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import {
	findAdminOrganisation,
	listAdminOrganisations
} from '$lib/server/authoring/organisations-repository';
import { listClosedDecisions } from '$lib/server/authoring/repository';
import {
	editOrganisation,
	mergeOrganisations,
	retireOrganisation
} from '$lib/server/authoring/service';
import { getDb } from '$lib/server/db/instance';
import { refusalAnswer } from '$lib/server/http/form-answer';
import { refuse } from '$lib/server/result';
import { parseForm } from '$lib/schemas/form';
import {
	MERGE_FIELDS,
	MergeSchema,
	ORGANISATION_EDIT_FIELDS,
	OrganisationEditSchema,
	RETIRE_FIELDS,
	RetireSchema
} from '$lib/schemas/organisation';
import type { Actions, PageServerLoad } from './$types';

function organisationId(raw: string): number {
	if (!/^\d{1,9}$/.test(raw)) error(404, 'Cette organisation n’existe pas.');
	return Number(raw);
}

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'plan.edit');
	const db = getDb();
	const organisation = await findAdminOrganisation(db, organisationId(event.params.id));
	if (!organisation) error(404, 'Cette organisation n’existe pas.');
	return {
		organisation,
		others: (await listAdminOrganisations(db))
			.filter((o) => o.id !== organisation.id && !o.retiredAt)
			.map((o) => ({ id: o.id, name: o.name })),
		decisions: await listClosedDecisions(db),
		saved: event.url.searchParams.get('enregistre') === '1'
	};
};

/** Reads one of the page's forms; a refusal answer names the form, to show it at the right place. */
async function read<F extends string, S extends z.ZodType>(
	event: RequestEvent,
	fields: readonly F[],
	schema: S,
	which: string
) {
	const { values, errors, data } = parseForm(await event.request.formData(), fields, schema);
	if (!data || Object.keys(errors).length > 0)
		return {
			refusal: refusalAnswer(
				refuse(400, 'Le formulaire contient des erreurs : corrigez les champs signalés.', {
					fieldErrors: errors
				}),
				{ ...values, which }
			)
		};
	return { data: data as z.output<S>, values: { ...values, which } };
}

export const actions: Actions = {
	modifier: async (event) => {
		const admin = await authorize(event, 'plan.edit');
		const id = organisationId(event.params.id);
		const form = await read(event, ORGANISATION_EDIT_FIELDS, OrganisationEditSchema, 'modifier');
		if (form.refusal) return form.refusal;
		const { data } = form;
		const result = await editOrganisation(
			getDb(),
			admin,
			id,
			{
				version: data.version,
				name: data.name,
				fullName: data.full_name || null,
				kind: data.kind,
				reason: data.reason,
				decisionId: data.decision
			},
			safeClientAddress(event)
		);
		if (!result.ok) return refusalAnswer(result, form.values);
		redirect(303, `/admin/organisations/${id}?enregistre=1`);
	},
	fusionner: async (event) => {
		const admin = await authorize(event, 'plan.edit');
		const id = organisationId(event.params.id);
		const form = await read(event, MERGE_FIELDS, MergeSchema, 'fusionner');
		if (form.refusal) return form.refusal;
		const { data } = form;
		const result = await mergeOrganisations(
			getDb(),
			admin,
			id,
			{ version: data.version, into: data.into, reason: data.reason, decisionId: data.decision },
			safeClientAddress(event)
		);
		if (!result.ok) return refusalAnswer(result, form.values);
		redirect(303, `/admin/organisations/${result.value.keptId}?enregistre=1`);
	},
	retirer: async (event) => {
		const admin = await authorize(event, 'plan.edit');
		const id = organisationId(event.params.id);
		const form = await read(event, RETIRE_FIELDS, RetireSchema, 'retirer');
		if (form.refusal) return form.refusal;
		const { data } = form;
		const result = await retireOrganisation(
			getDb(),
			admin,
			id,
			{ version: data.version, reason: data.reason, decisionId: data.decision },
			safeClientAddress(event)
		);
		if (!result.ok) return refusalAnswer(result, form.values);
		redirect(303, `/admin/organisations/${id}?enregistre=1`);
	}
};
