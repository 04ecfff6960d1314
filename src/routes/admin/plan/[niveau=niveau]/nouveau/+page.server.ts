import { error } from '@sveltejs/kit';
import { authorize } from '$lib/server/auth/guards';
import { structureEditor } from '$lib/server/authoring/structure';
import { getDb } from '$lib/server/db/instance';
import { ID_PATTERN } from '$lib/utils/text';
import { saveStructureForm, structureLevel } from '../structure-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'plan.edit');
	const level = structureLevel(event.params.niveau);
	// `?parent=3`: the axis of a new orientation, the orientation of a new objective.
	const parent = event.url.searchParams.get('parent') ?? '';
	const editor = await structureEditor(
		getDb(),
		level,
		null,
		ID_PATTERN.test(parent) ? Number(parent) : null
	);
	if (!editor.ok) error(editor.status, editor.message);
	return { ...editor.value, level, niveau: event.params.niveau, saved: null };
};

export const actions: Actions = {
	enregistrer: async (event) => {
		const admin = await authorize(event, 'plan.edit');
		return saveStructureForm(event, admin, null);
	}
};
