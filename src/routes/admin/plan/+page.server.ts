import { redirect } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import { listDecisionChoices, listObjectiveChoices } from '$lib/server/authoring/repository';
import { createFiche } from '$lib/server/authoring/fiches';
import { planTree } from '$lib/server/authoring/structure';
import { getDb } from '$lib/server/db/instance';
import { readPostedForm, refusalAnswer } from '$lib/server/http/form-answer';
import { NEW_FICHE_FIELDS, NewFicheSchema } from '$lib/schemas/plan-edit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'plan.edit');
	const db = getDb();
	return {
		...(await planTree(db)),
		objectiveChoices: await listObjectiveChoices(db),
		decisions: await listDecisionChoices(db)
	};
};

export const actions: Actions = {
	ajouter: async (event) => {
		const admin = await authorize(event, 'plan.edit');
		const { answer, values, data } = readPostedForm(
			await event.request.formData(),
			NEW_FICHE_FIELDS,
			NewFicheSchema
		);
		if (answer) return answer;
		const result = await createFiche(
			getDb(),
			admin,
			{
				objectiveId: data.objective,
				title: data.title,
				reason: data.reason,
				decisionId: data.decision
			},
			safeClientAddress(event)
		);
		if (!result.ok) return refusalAnswer(result, values);
		redirect(303, `/admin/plan/fiches/${result.value.code}?enregistre=ajout`);
	}
};
