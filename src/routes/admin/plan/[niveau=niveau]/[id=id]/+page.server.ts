import { error } from '@sveltejs/kit';
import { authorize } from '$lib/server/auth/guards';
import { structureEditor } from '$lib/server/authoring/service';
import { getDb } from '$lib/server/db/instance';
import { saveStructureForm, structureLevel } from '../structure-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'plan.edit');
	const level = structureLevel(event.params.niveau);
	const editor = await structureEditor(getDb(), level, Number(event.params.id));
	if (!editor.ok) error(editor.status, editor.message);
	return {
		...editor.value,
		level,
		niveau: event.params.niveau,
		saved: event.url.searchParams.get('enregistre') === '1'
	};
};

export const actions: Actions = {
	enregistrer: async (event) => {
		const admin = await authorize(event, 'plan.edit');
		return saveStructureForm(event, admin, Number(event.params.id));
	}
};
