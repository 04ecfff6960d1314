import { redirect } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import { listAdminOrganisations } from '$lib/server/authoring/organisations-repository';
import { listDecisionChoices } from '$lib/server/authoring/repository';
import {
	createOrganisation,
	withOrganisationNameProblem
} from '$lib/server/authoring/organisations';
import { getDb } from '$lib/server/db/instance';
import { invalidFormAnswer, readPostedForm, refusalAnswer } from '$lib/server/http/form-answer';
import { ORGANISATION_FIELDS, OrganisationSchema } from '$lib/schemas/organisation';
import { compareFrench, foldForMatching } from '$lib/utils/text';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'plan.edit');
	const db = getDb();
	const q = (event.url.searchParams.get('q') ?? '').slice(0, 100);
	const words = foldForMatching(q).split(' ').filter(Boolean);
	// A former name finds the organisation too.
	const organisations = (await listAdminOrganisations(db))
		.filter((o) => {
			const text = foldForMatching([o.name, o.fullName ?? '', o.slug, ...o.aliases].join(' '));
			return words.every((w) => text.includes(w));
		})
		.sort((a, b) => compareFrench(a.name, b.name));
	return {
		q,
		organisations,
		decisions: await listDecisionChoices(db),
		created: event.url.searchParams.get('creee')
	};
};

export const actions: Actions = {
	create: async (event) => {
		const admin = await authorize(event, 'plan.edit');
		const { answer, errors, values, typed, data } = readPostedForm(
			await event.request.formData(),
			ORGANISATION_FIELDS,
			OrganisationSchema
		);
		if (answer)
			return invalidFormAnswer(
				await withOrganisationNameProblem(getDb(), errors, typed.name, null),
				values
			);
		const result = await createOrganisation(
			getDb(),
			admin,
			{
				name: data.name,
				fullName: data.full_name || null,
				kind: data.kind,
				reason: data.reason,
				decisionId: data.decision
			},
			safeClientAddress(event)
		);
		if (!result.ok) return refusalAnswer(result, values);
		redirect(303, `/admin/organisations/${result.value.id}?enregistre=creee`);
	}
};
