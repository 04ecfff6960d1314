import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole, safeClientAddress } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/instance';
import { invalidFormAnswer, refusalAnswer } from '$lib/server/http/form-answer';
import { findProgressUpdate } from '$lib/server/progress/repository';
import { reviewProgressUpdate } from '$lib/server/progress/service';
import { hasForbiddenCharacters, parseForm } from '$lib/schemas/form';
import { COMMENT_MAX_LENGTH } from '$lib/schemas/limits';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await requireRole(event, 'admin');
	const update = await findProgressUpdate(getDb(), Number(event.params.id));
	if (!update) error(404, 'Cette mise à jour n’existe pas.');
	// A draft (never sent, or withdrawn by its organisation) is visible to that organisation alone,
	// as the partner's form promises: staff learn whose it is, not what it says.
	if (update.state === 'draft')
		return {
			update: null,
			draft: {
				ficheCode: update.ficheCode,
				ficheTitle: update.ficheTitle,
				organisationName: update.organisationName
			}
		};
	return { update, draft: null };
};

const ReviewSchema = z.object({
	version: z
		.string()
		.regex(/^\d{1,9}$/, 'Le formulaire est incomplet : rechargez la page.')
		.transform(Number),
	comment: z
		.string()
		.trim()
		.max(COMMENT_MAX_LENGTH, `Le commentaire compte au plus ${COMMENT_MAX_LENGTH} caractères.`)
		.refine(
			(v) => !hasForbiddenCharacters(v),
			'Le commentaire contient des caractères non autorisés.'
		)
});

async function decide(event: Parameters<Actions[string]>[0], decision: 'validate' | 'return') {
	const admin = await requireRole(event, 'admin');
	const id = Number(event.params.id);
	const { values, errors, data } = parseForm(
		await event.request.formData(),
		['version', 'comment'],
		ReviewSchema
	);
	if (data && decision === 'return' && data.comment === '') {
		errors.comment = 'Expliquez au partenaire ce qu’il doit corriger.';
	}
	if (!data || Object.keys(errors).length > 0)
		return invalidFormAnswer(errors, { comment: values.comment });
	const result = await reviewProgressUpdate(
		getDb(),
		admin,
		{ updateId: id, version: data.version, decision, comment: data.comment },
		safeClientAddress(event)
	);
	if (!result.ok) return refusalAnswer(result, { comment: values.comment });
	redirect(303, '/admin/suivis?fait=1');
}

export const actions: Actions = {
	valider: async (event) => {
		await requireRole(event, 'admin');
		return decide(event, 'validate');
	},
	renvoyer: async (event) => {
		await requireRole(event, 'admin');
		return decide(event, 'return');
	}
};
