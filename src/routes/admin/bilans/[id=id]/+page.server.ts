import { error, redirect } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/instance';
import { refusalAnswer } from '$lib/server/http/form-answer';
import { refusedBack } from '$lib/server/http/done-answer';
import { findEdition, findPublishedSnapshot, listVersions } from '$lib/server/editions/repository';
import { draftDigest, publishEdition, tooSoonToPublish } from '$lib/server/editions/service';
import { buildEditionSnapshot, editionPage } from '$lib/server/editions/snapshot';
import { PUBLISH_FIELDS, PublishSchema } from '$lib/schemas/edition';
import { parseForm } from '$lib/schemas/form';
import { EDITION_NOT_FOUND } from '$lib/utils/vocabulary';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'editions.manage');
	const db = getDb();
	const edition = await findEdition(db, Number(event.params.id));
	if (!edition) error(404, EDITION_NOT_FOUND);
	const snapshot =
		edition.state === 'published'
			? await findPublishedSnapshot(db, edition.year, edition.version)
			: await buildEditionSnapshot(
					db,
					{
						year: edition.year,
						version: edition.version,
						asOf: edition.asOf,
						intro: edition.intro,
						axisTexts: edition.axisTexts,
						changeNote: edition.changeNote
					},
					new Date().toISOString()
				);
	return {
		edition,
		snapshot: editionPage(snapshot!),
		tooSoon: edition.state === 'draft' ? tooSoonToPublish(edition.asOf) : null,
		// The draft this preview shows: its « Publier » link carries it to the confirmation, which
		// publishes that draft or nothing.
		read: edition.state === 'draft' ? draftDigest(edition) : null,
		// A published version a later one replaced says so, as its public page does.
		versions: edition.state === 'published' ? await listVersions(db, edition.year) : []
	};
};

export const actions: Actions = {
	publish: async (event) => {
		const admin = await authorize(event, 'editions.manage');
		// Irreversible: only from the confirmation page, which says what will be frozen, and only
		// the draft that page showed (`shown`).
		const confirmation = `/admin/bilans/${event.params.id}/publication`;
		const { data } = parseForm(await event.request.formData(), PUBLISH_FIELDS, PublishSchema);
		if (!data?.confirm) redirect(303, confirmation);
		const result = await publishEdition(
			getDb(),
			admin,
			Number(event.params.id),
			safeClientAddress(event),
			new Date(),
			data.shown
		);
		if (!result.ok && result.reason === 'draft-changed') refusedBack(event, confirmation);
		if (!result.ok) return refusalAnswer(result);
		// Said on the bilan as published, focused (ArrivalNotice): « Bilan 2025 publié. »
		redirect(303, `/bilans/${result.value.year}#publie`);
	}
};
