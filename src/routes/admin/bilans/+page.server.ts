import { redirect } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/instance';
import { readPostedForm, refusalAnswer } from '$lib/server/http/form-answer';
import { findEdition, listEditions } from '$lib/server/editions/repository';
import { draftDigest, findDraftDigest, saveEditionDraft } from '$lib/server/editions/service';
import { readForm } from '$lib/schemas/form';
import { EditionSchema } from '$lib/schemas/edition';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = [
	'year',
	'as_of',
	'intro',
	'text_performance',
	'text_solidarite',
	'text_modernite',
	'change_note'
] as const;

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'editions.manage');
	const db = getDb();
	// `?brouillon=ID`: the form opens on that draft's texts, to correct them.
	const id = event.url.searchParams.get('brouillon') ?? '';
	const draft = /^\d{1,9}$/.test(id) ? await findEdition(db, Number(id)) : undefined;
	return {
		editions: await listEditions(db, { publishedOnly: false }),
		editing:
			draft?.state === 'draft'
				? {
						id: draft.id,
						year: String(draft.year),
						as_of: draft.asOf,
						intro: draft.intro,
						text_performance: draft.axisTexts.performance ?? '',
						text_solidarite: draft.axisTexts.solidarite ?? '',
						text_modernite: draft.axisTexts.modernite ?? '',
						change_note: draft.changeNote ?? '',
						shown: draftDigest(draft)
					}
				: null
	};
};

export const actions: Actions = {
	save: async (event) => {
		const admin = await authorize(event, 'editions.manage');
		const form = await event.request.formData();
		// The digest of the draft the form showed ('' for none), given back with any refusal.
		const { shown } = readForm(form, ['shown']).values;
		const { answer, values, data } = readPostedForm(form, FIELDS, EditionSchema, { shown });
		if (answer) return answer;
		const db = getDb();
		const result = await saveEditionDraft(
			db,
			admin,
			{
				year: data.year,
				asOf: data.as_of,
				intro: data.intro,
				axisTexts: {
					performance: data.text_performance,
					solidarite: data.text_solidarite,
					modernite: data.text_modernite
				},
				changeNote: data.change_note || null,
				shown
			},
			safeClientAddress(event)
		);
		if (!result.ok) {
			// Refused over a draft saved meanwhile: sent again, the form replaces it knowingly.
			if (result.status === 409) values.shown = await findDraftDigest(db, data.year);
			return refusalAnswer(result, values);
		}
		redirect(303, `/admin/bilans/${result.value.id}`);
	}
};
