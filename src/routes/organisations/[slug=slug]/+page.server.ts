import { error, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/instance';
import { keyedByRevision } from '$lib/server/db/revision-cache';
import { findOrganisationBySlug } from '$lib/server/plan/repository';
import { renderedOnly } from '$lib/utils/rendered-only';
import { ORGANISATION_NOT_FOUND } from '$lib/utils/vocabulary';
import type { PageServerLoad } from './$types';

// Nothing to interact with: rendered on the server only, no script sent (docs/performance.md).
export const csr = false;

/** Read once per change of published data (organisations and misses). */
const organisationPage = keyedByRevision(findOrganisationBySlug, 64);

export const load: PageServerLoad = async (event) => {
	const { params } = event;
	const organisation = /^[a-z0-9-]{1,80}$/.test(params.slug)
		? await organisationPage(getDb(), params.slug)
		: undefined;
	if (!organisation) error(404, ORGANISATION_NOT_FOUND);
	// Merged into another: its fiches, names and address are that one's now.
	if (organisation.mergedInto) redirect(308, `/organisations/${organisation.mergedInto}`);
	return renderedOnly(event, { organisation });
};
