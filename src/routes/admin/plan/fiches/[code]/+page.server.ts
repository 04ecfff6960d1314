import { error, redirect } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import { ficheEditor, rebaseTyping, updateFiche } from '$lib/server/authoring/service';
import { getDb } from '$lib/server/db/instance';
import { refusalAnswer } from '$lib/server/http/form-answer';
import { refuse } from '$lib/server/result';
import { parseFicheForm } from '$lib/schemas/plan-edit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'plan.edit');
	const editor = await ficheEditor(getDb(), event.params.code);
	if (!editor.ok) error(editor.status, editor.message);
	return { ...editor.value, saved: event.url.searchParams.get('enregistre') === '1' };
};

export const actions: Actions = {
	default: async (event) => {
		const admin = await authorize(event, 'plan.edit');
		const parsed = parseFicheForm(await event.request.formData());
		if (!parsed.input)
			return refusalAnswer(
				refuse(400, 'Le formulaire contient des erreurs : corrigez les champs signalés.', {
					fieldErrors: parsed.errors
				}),
				parsed.values
			);
		const result = await updateFiche(
			getDb(),
			admin,
			event.params.code,
			parsed.input,
			safeClientAddress(event)
		);
		if (!result.ok && result.status === 409)
			return refusalAnswer(
				result,
				await rebaseTyping(getDb(), event.params.code, parsed.values, result.changes ?? [])
			);
		if (!result.ok) return refusalAnswer(result, parsed.values);
		redirect(303, `/admin/plan/fiches/${result.value.code}?enregistre=1`);
	}
};
