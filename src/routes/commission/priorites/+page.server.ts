import { listPriorityComparison } from '$lib/server/commission/repository';
import { getDb } from '$lib/server/db/instance';
import { cachedByRevision, keyedByRevision } from '$lib/server/db/revision-cache';
import { listAxes } from '$lib/server/plan/repository';
import { renderedOnly } from '$lib/utils/rendered-only';
import type { PageServerLoad } from './$types';

// Nothing to interact with: rendered on the server only, no script sent (docs/performance.md).
export const csr = false;

// Read once per change of published data: the axes, and the comparison of each axis (or all).
const planAxes = cachedByRevision(listAxes);
const comparison = keyedByRevision(
	(db, axis: string) => listPriorityComparison(db, axis || undefined),
	8
);

export const load: PageServerLoad = async (event) => {
	const { url } = event;
	const db = getDb();
	const axes = await planAxes(db);
	const requested = url.searchParams.get('axe') ?? '';
	const axis = axes.some((a) => a.code === requested) ? requested : '';
	const fiches = await comparison(db, axis);
	return renderedOnly(event, { axes, axis, ignored: requested !== '' && axis === '', fiches });
};
