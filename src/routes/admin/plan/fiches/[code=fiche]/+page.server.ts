import { error, redirect } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import { ficheEditor, rebaseTyping, retireFiche, updateFiche } from '$lib/server/authoring/service';
import { getDb } from '$lib/server/db/instance';
import { invalidFormAnswer, readPostedForm, refusalAnswer } from '$lib/server/http/form-answer';
import { RETIRE_FIELDS, RetireSchema } from '$lib/schemas/organisation';
import { parseFicheForm } from '$lib/schemas/plan-edit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'plan.edit');
	const editor = await ficheEditor(getDb(), event.params.code);
	if (!editor.ok) error(editor.status, editor.message);
	return { ...editor.value, saved: event.url.searchParams.get('enregistre') === '1' };
};

export const actions: Actions = {
	enregistrer: async (event) => {
		const admin = await authorize(event, 'plan.edit');
		const parsed = parseFicheForm(await event.request.formData());
		if (!parsed.input) return invalidFormAnswer(parsed.errors, parsed.values);
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
				await rebaseTyping(
					getDb(),
					event.params.code,
					parsed.values,
					parsed.input,
					result.changes ?? []
				)
			);
		if (!result.ok) return refusalAnswer(result, parsed.values);
		redirect(303, `/admin/plan/fiches/${result.value.code}?enregistre=1`);
	},
	abandonner: async (event) => {
		const admin = await authorize(event, 'plan.edit');
		const { answer, values, data } = readPostedForm(
			await event.request.formData(),
			RETIRE_FIELDS,
			RetireSchema,
			{ which: 'abandonner' }
		);
		if (answer) return answer;
		const result = await retireFiche(
			getDb(),
			admin,
			event.params.code,
			{ version: data.version, reason: data.reason, decisionId: data.decision },
			safeClientAddress(event)
		);
		if (!result.ok) return refusalAnswer(result, values);
		redirect(303, `/admin/plan/fiches/${event.params.code}?enregistre=1`);
	}
};
