import { getDb } from '$lib/server/db/instance';
import { keyedByRevision } from '$lib/server/db/revision-cache';
import { listVersions } from '$lib/server/editions/repository';
import { editionPage } from '$lib/server/editions/snapshot';
import { renderedOnly } from '$lib/utils/rendered-only';
import { publishedEditionOf } from './edition';
import type { PageServerLoad } from './$types';

/**
 * The edition's page is rendered on the server only: nothing in it needs SvelteKit's client but
 * its charts, which ChartsScript.svelte draws from the configuration written on each canvas. No
 * hydration script, no hydration data (renderedOnly: not walked by the serialiser).
 */
export const csr = false;

/**
 * An edition's page data, put together once per change of published data (a published edition
 * never changes; a new version is a change): its snapshot read and parsed once. Every request is
 * still rendered. Keyed by year and `?version=` as the address gives them (a made-up version is a
 * 404, not kept).
 */
const editionData = keyedByRevision(async (db, key: string) => {
	const bar = key.indexOf('|');
	const snapshot =
		bar < 0
			? await publishedEditionOf(key, null)
			: await publishedEditionOf(key.slice(0, bar), key.slice(bar + 1));
	return { snapshot: editionPage(snapshot), versions: await listVersions(db, snapshot.year) };
}, 16);

export const load: PageServerLoad = async (event) => {
	const version = event.url.searchParams.get('version');
	const key = version === null ? event.params.year : `${event.params.year}|${version}`;
	return renderedOnly(event, await editionData(getDb(), key));
};
