import { error, redirect } from '@sveltejs/kit';
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/instance';
import { refusedBackHere } from '$lib/server/http/done-answer';
import { findEdition, listVersions } from '$lib/server/editions/repository';
import { draftDigest, tooSoonToPublish } from '$lib/server/editions/service';
import { EDITION_NOT_FOUND } from '$lib/utils/vocabulary';
import type { PageServerLoad } from './$types';

// The confirmation step before publishing an edition: what becomes public and what is frozen. The
// form posts to the edition's `publish` action, which refuses a post that does not come from here.
export const load: PageServerLoad = async (event) => {
	await authorize(event, 'editions.manage');
	const db = getDb();
	const edition = await findEdition(db, Number(event.params.id));
	if (!edition) error(404, EDITION_NOT_FOUND);
	// Published already (the page reloaded or gone back to after publishing): the bilan as published.
	if (edition.state === 'published') redirect(303, `/admin/bilans/${edition.id}`);
	const previous = (await listVersions(db, edition.year))[0] ?? null;
	const shown = draftDigest(edition);
	// Back here because publishing was refused, just now (refusedBack; a crafted link says nothing).
	const refused = refusedBackHere(event);
	return {
		edition: {
			id: edition.id,
			year: edition.year,
			version: edition.version,
			asOf: edition.asOf,
			changeNote: edition.changeNote
		},
		previous: previous ? { version: previous.version, publishedAt: previous.publishedAt } : null,
		// Refused by publishEdition: said here instead of a button that would be refused.
		tooSoon: tooSoonToPublish(edition.asOf),
		// Sent back by the form: publishing freezes this draft or nothing.
		shown,
		// The draft was saved again since the preview read (`vu`, the preview's digest), or since
		// this page was (back here refused), or the page was opened without the preview: no
		// button, the preview to read first.
		changed: refused || event.url.searchParams.get('vu') !== shown,
		refused
	};
};
