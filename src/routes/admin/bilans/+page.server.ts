import { redirect } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/instance';
import { readPostedForm, refusalAnswer } from '$lib/server/http/form-answer';
import { findEdition, listEditions } from '$lib/server/editions/repository';
import {
	draftDigest,
	editionFormAxes,
	findDraftDigest,
	postedEditionForm,
	saveEditionDraft
} from '$lib/server/editions/service';
import { readForm } from '$lib/schemas/form';
import { axisTextField } from '$lib/schemas/edition';
import { ID_PATTERN } from '$lib/utils/text';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'editions.manage');
	const db = getDb();
	// `?brouillon=ID`: the form opens on that draft's texts, to correct them.
	const id = event.url.searchParams.get('brouillon') ?? '';
	const draft = ID_PATTERN.test(id) ? await findEdition(db, Number(id)) : undefined;
	// One text per axis the bilan shows (a past year's: the plan at its date), and today's.
	const axes = await editionFormAxes(db, draft?.state === 'draft' ? draft.asOf : undefined);
	return {
		axisFields: axes.map((a) => ({
			name: axisTextField(a.code),
			label: `Texte de l’axe « ${a.shortName} »`
		})),
		editions: await listEditions(db, { publishedOnly: false }),
		editing:
			draft?.state === 'draft'
				? {
						id: draft.id,
						year: String(draft.year),
						as_of: draft.asOf,
						intro: draft.intro,
						...Object.fromEntries(
							axes.map((a) => [axisTextField(a.code), draft.axisTexts[a.code] ?? ''])
						),
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
		const db = getDb();
		// The digest of the draft the form showed ('' for none), given back with any refusal.
		const { shown, as_of: asOf } = readForm(form, ['shown', 'as_of']).values;
		const { axes, fields, schema } = await postedEditionForm(db, asOf);
		const { answer, values, data } = readPostedForm(form, fields, schema, { shown });
		if (answer) return answer;
		const result = await saveEditionDraft(
			db,
			admin,
			{
				year: data.year,
				asOf: data.as_of,
				intro: data.intro,
				axisTexts: data.axisTexts,
				changeNote: data.change_note || null,
				shown,
				offeredAxes: axes.map((a) => a.code)
			},
			safeClientAddress(event)
		);
		if (!result.ok) {
			// Refused over a draft saved meanwhile: sent again, the form replaces it knowingly.
			if (result.status === 409) values.shown = await findDraftDigest(db, data.year);
			return refusalAnswer(result, values);
		}
		// Said on the preview, focused (ArrivalNotice): « Brouillon du bilan 2025 enregistré. »
		redirect(303, `/admin/bilans/${result.value.id}#enregistre`);
	}
};
