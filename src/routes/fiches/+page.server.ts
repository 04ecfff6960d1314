import { getDb } from '$lib/server/db/instance';
import { parseFicheFilters } from '$lib/server/plan/filters';
import {
	listAxes,
	listFiches,
	listObjectives,
	listOrganisationRefs,
	listOrientations
} from '$lib/server/plan/repository';
import type { PageServerLoad } from './$types';

// Nothing to interact with: rendered on the server only, no script sent (docs/performance.md).
export const csr = false;

export const load: PageServerLoad = async ({ url }) => {
	const db = getDb();
	const [axes, orientations, objectives, organisations] = [
		await listAxes(db),
		await listOrientations(db),
		await listObjectives(db),
		await listOrganisationRefs(db)
	];
	const { query, values, ignored } = parseFicheFilters(url.searchParams, {
		axes: axes.map((a) => a.code),
		orientations: orientations.map((o) => o.code),
		objectives: objectives.map((o) => o.number),
		organisations: organisations.map((o) => o.slug)
	});
	const fiches = await listFiches(db, query);
	return { axes, orientations, objectives, organisations, fiches, values, ignored };
};
