import { listPriorityComparison } from '$lib/server/commission/repository';
import { getDb } from '$lib/server/db/instance';
import { cachedByRevision, keyedByRevision } from '$lib/server/db/revision-cache';
import { parseAxisFilter } from '$lib/server/plan/filters';
import { listRetiredStructureKeys } from '$lib/server/authoring/import-repository';
import { listAxes } from '$lib/server/plan/repository';
import { renderedOnly } from '$lib/utils/rendered-only';
import type { PageServerLoad } from './$types';

// Nothing to interact with: rendered on the server only, no script sent (docs/performance.md).
export const csr = false;

// Read once per change of published data: the axes and those withdrawn from the plan (a filter on
// one says so, as /fiches says it), and the comparison of each axis (or all).
const planAxes = cachedByRevision(async (db) => ({
	axes: await listAxes(db),
	withdrawn: await listRetiredStructureKeys(db)
}));
const comparison = keyedByRevision(
	(db, axis: string) => listPriorityComparison(db, axis || undefined),
	8
);

export const load: PageServerLoad = async (event) => {
	const { url } = event;
	const db = getDb();
	const { axes, withdrawn } = await planAxes(db);
	// Read as /fiches reads it: a repeated, unknown or withdrawn axis is left aside with the same
	// notes (« Axe « … » retiré du plan : filtre ignoré. », not « inconnu »).
	const { axis = '', ignored } = parseAxisFilter(url.searchParams, {
		axes: axes.map((a) => a.code),
		withdrawn
	});
	const fiches = await comparison(db, axis);
	return renderedOnly(event, { axes, axis, ignored, fiches });
};
