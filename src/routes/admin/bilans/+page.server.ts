import { redirect } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/instance';
import { readPostedForm, refusalAnswer } from '$lib/server/http/form-answer';
import { listEditions } from '$lib/server/editions/repository';
import { saveEditionDraft } from '$lib/server/editions/service';
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
	return { editions: await listEditions(getDb(), { publishedOnly: false }) };
};

export const actions: Actions = {
	save: async (event) => {
		const admin = await authorize(event, 'editions.manage');
		const { answer, values, data } = readPostedForm(
			await event.request.formData(),
			FIELDS,
			EditionSchema
		);
		if (answer) return answer;
		const d = data;
		const result = await saveEditionDraft(
			getDb(),
			admin,
			{
				year: d.year,
				asOf: d.as_of,
				intro: d.intro,
				axisTexts: {
					performance: d.text_performance,
					solidarite: d.text_solidarite,
					modernite: d.text_modernite
				},
				changeNote: d.change_note || null
			},
			safeClientAddress(event)
		);
		if (!result.ok) return refusalAnswer(result, values);
		redirect(303, `/admin/bilans/${result.value.id}`);
	}
};
