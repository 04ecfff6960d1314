import { getDb } from '$lib/server/db/instance';
import { listVersions } from '$lib/server/editions/repository';
import { editionPage } from '$lib/server/editions/snapshot';
import { publishedEdition } from './edition';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url }) => {
	const snapshot = await publishedEdition(params.year, url);
	return { snapshot: editionPage(snapshot), versions: await listVersions(getDb(), snapshot.year) };
};
