import { getDb } from '$lib/server/db/instance';
import { renderedOnly } from '$lib/utils/rendered-only';
import { editionKeyOfUrl, editionView } from './edition';
import type { PageServerLoad } from './$types';

/**
 * The edition's page is rendered on the server only: nothing in it needs SvelteKit's client but
 * its charts, which ChartsScript.svelte draws from the edition's `graphiques.json`. No
 * hydration script, no hydration data (renderedOnly: not walked by the serialiser).
 */
export const csr = false;

export const load: PageServerLoad = async (event) => {
	return renderedOnly(
		event,
		await editionView(getDb(), editionKeyOfUrl(event.params.year, event.url))
	);
};
