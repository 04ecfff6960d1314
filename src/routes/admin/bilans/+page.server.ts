import { redirect } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/instance';
import { readPostedForm, refusalAnswer } from '$lib/server/http/form-answer';
import { findLatestPublished, listEditions } from '$lib/server/editions/repository';
import {
	correctionValues,
	draftDigest,
	editionFormAxes,
	editionToEdit,
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
	// `?brouillon=ID`: the form opens on that draft's texts, to correct them; `?corriger=ID` (a
	// published edition): on its year's latest version's texts, for a new version.
	const idOf = (name: string) => {
		const id = event.url.searchParams.get(name) ?? '';
		return ID_PATTERN.test(id) ? Number(id) : undefined;
	};
	const { draft, published } = await editionToEdit(db, idOf('brouillon'), idOf('corriger'));
	// One text per axis the bilan shows (a past year's: the plan at its date), and today's.
	const axes = await editionFormAxes(db, (draft ?? published)?.asOf);
	return {
		axisFields: axes.map((a) => ({
			name: axisTextField(a.code),
			label: `Texte de l’axe « ${a.shortName} »`
		})),
		editions: await listEditions(db, { publishedOnly: false }),
		editing: draft
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
			: published && { id: published.id, ...correctionValues(published, axes) }
	};
};

export const actions: Actions = {
	save: async (event) => {
		const admin = await authorize(event, 'editions.manage');
		const form = await event.request.formData();
		const db = getDb();
		// The digest of the draft the form showed ('' for none), given back with any refusal.
		// `based_on`: the published version a correction's form was opened on ('' for none).
		// `based_on_year`: that version's year, which the form's read-only year must still be.
		const {
			shown,
			as_of: asOf,
			based_on: basedOn,
			based_on_year: basedOnYear
		} = readForm(form, ['shown', 'as_of', 'based_on', 'based_on_year']).values;
		const { axes, fields, schema } = await postedEditionForm(db, asOf);
		const { answer, values, data } = readPostedForm(form, fields, schema, {
			shown,
			based_on: basedOn,
			based_on_year: basedOnYear
		});
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
				offeredAxes: axes.map((a) => a.code),
				basedOn: ID_PATTERN.test(basedOn) ? Number(basedOn) : 0,
				// A correction's form without its base's year (opened before the field was added):
				// 0, not its year, so refused and given back with the year filled.
				basedOnYear: ID_PATTERN.test(basedOnYear) ? Number(basedOnYear) : 0
			},
			safeClientAddress(event)
		);
		if (!result.ok) {
			// Refused over a draft saved meanwhile: sent again, the form replaces it knowingly.
			if (result.status === 409) values.shown = await findDraftDigest(db, data.year);
			// Not based on the latest published version: the form comes back as its correction,
			// the texts left empty filled from it, the typing kept.
			const published =
				result.reason === 'published-texts' ? await findLatestPublished(db, data.year) : undefined;
			return refusalAnswer(result, published ? correctionValues(published, axes, values) : values);
		}
		// Said on the preview, focused (ArrivalNotice): « Brouillon du bilan 2025 enregistré. »
		redirect(303, `/admin/bilans/${result.value.id}#enregistre`);
	}
};
