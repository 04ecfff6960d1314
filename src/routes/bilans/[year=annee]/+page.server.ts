import { getDb } from '$lib/server/db/instance';
import { keyedByRevision } from '$lib/server/db/revision-cache';
import { listVersions } from '$lib/server/editions/repository';
import { editionPage } from '$lib/server/editions/snapshot';
import { PreparedJson } from '$lib/utils/prepared-json';
import { publishedEditionOf } from './edition';
import type { PageServerLoad } from './$types';

/**
 * An edition's page data, put together once per change of published data (a published edition
 * never changes; a new version is a change): its snapshot read and parsed once, and sent to the
 * browser for hydration as JSON written once (PreparedJson) instead of being walked by SvelteKit's
 * serialiser on every request (190 KB of HTML at ten years). Every request is still rendered.
 * Keyed by year and `?version=` as the address gives them (a made-up version is a 404, not kept).
 */
const editionData = keyedByRevision(async (db, key: string) => {
	const bar = key.indexOf('|');
	const snapshot =
		bar < 0
			? await publishedEditionOf(key, null)
			: await publishedEditionOf(key.slice(0, bar), key.slice(bar + 1));
	return new PreparedJson({
		snapshot: editionPage(snapshot),
		versions: await listVersions(db, snapshot.year)
	});
}, 16);

export const load: PageServerLoad = async ({ params, url }) => {
	const version = url.searchParams.get('version');
	const key = version === null ? params.year : `${params.year}|${version}`;
	return { edition: await editionData(getDb(), key) };
};
