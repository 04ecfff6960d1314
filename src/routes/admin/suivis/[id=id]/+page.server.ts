import { error, redirect } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import type { User } from '$lib/server/auth/users';
import { getDb } from '$lib/server/db/instance';
import { invalidFormAnswer, refusalAnswer } from '$lib/server/http/form-answer';
import { reviewContext, reviewProgressUpdate } from '$lib/server/progress/service';
import { parseForm } from '$lib/schemas/form';
import { REVIEW_FIELDS, ReviewSchema } from '$lib/schemas/review';
import type { Actions, PageServerLoad } from './$types';
import { UPDATE_NOT_FOUND } from '$lib/utils/vocabulary';

export const load: PageServerLoad = async (event) => {
	const admin = await authorize(event, 'queue.view');
	const context = await reviewContext(getDb(), admin, Number(event.params.id));
	if (!context) error(404, UPDATE_NOT_FOUND);
	return context;
};

async function decide(
	event: Parameters<Actions[string]>[0],
	admin: User,
	decision: 'validate' | 'return'
) {
	const id = Number(event.params.id);
	const form = await event.request.formData();
	// « Valider » has no comment field: a comment posted with it is not read (it used to be mailed).
	if (decision === 'validate') form.delete('comment');
	const { values, errors, data } = parseForm(form, REVIEW_FIELDS, ReviewSchema);
	if (!data || Object.keys(errors).length > 0)
		return invalidFormAnswer(errors, { comment: values.comment });
	const result = await reviewProgressUpdate(
		getDb(),
		admin,
		{ updateId: id, version: data.version, decision, comment: data.comment },
		safeClientAddress(event)
	);
	if (!result.ok) return refusalAnswer(result, { comment: values.comment });
	// The list reads the decision back by this id (never words from the address).
	redirect(303, `/admin/suivis?fait=${id}`);
}

export const actions: Actions = {
	valider: async (event) => {
		const admin = await authorize(event, 'queue.view');
		return decide(event, admin, 'validate');
	},
	renvoyer: async (event) => {
		const admin = await authorize(event, 'queue.view');
		return decide(event, admin, 'return');
	}
};
