import { error, redirect } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import { retireStructure, structureEditor } from '$lib/server/authoring/structure';
import { getDb } from '$lib/server/db/instance';
import { savedMarker } from '$lib/server/http/done-answer';
import { readPostedForm, refusalAnswer } from '$lib/server/http/form-answer';
import { RETIRE_FIELDS, RetireSchema } from '$lib/schemas/retire';
import { saveStructureForm, structureLevel } from '../structure-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const admin = await authorize(event, 'plan.edit');
	const level = structureLevel(event.params.niveau);
	const id = Number(event.params.id);
	const editor = await structureEditor(getDb(), level, id);
	if (!editor.ok) error(editor.status, editor.message);
	// « ajout »: just added (its add page leads here), « 1 »: a change saved, « retrait »: retired
	// (said while it is); each only after this admin's own act on it (savedMarker).
	const saved = await savedMarker(
		getDb(),
		event.url,
		admin.id,
		{ type: level, id },
		{
			ajout: 'plan.structure_changed',
			'1': 'plan.structure_changed',
			retrait: editor.value.record?.retired ? 'plan.structure_retired' : false
		}
	);
	return { ...editor.value, level, niveau: event.params.niveau, saved };
};

export const actions: Actions = {
	enregistrer: async (event) => {
		const admin = await authorize(event, 'plan.edit');
		return saveStructureForm(event, admin, Number(event.params.id));
	},
	retirer: async (event) => {
		const admin = await authorize(event, 'plan.edit');
		const { answer, values, data } = readPostedForm(
			await event.request.formData(),
			RETIRE_FIELDS,
			RetireSchema,
			{ which: 'retirer' }
		);
		if (answer) return answer;
		const id = Number(event.params.id);
		const result = await retireStructure(
			getDb(),
			admin,
			structureLevel(event.params.niveau),
			id,
			{ version: data.version, reason: data.reason, decisionId: data.decision },
			safeClientAddress(event)
		);
		// Withdrawn meanwhile (another tab, another admin): its page says so, as after one's own.
		if (!result.ok && result.reason === 'withdrawn')
			redirect(303, `/admin/plan/${event.params.niveau}/${id}`);
		if (!result.ok) return refusalAnswer(result, values);
		redirect(303, `/admin/plan/${event.params.niveau}/${id}?enregistre=retrait`);
	}
};
