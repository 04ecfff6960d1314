import { listPriorityComparison } from '$lib/server/commission/repository';
import { getDb } from '$lib/server/db/instance';
import { listAxes } from '$lib/server/plan/repository';
import type { PageServerLoad } from './$types';

// Nothing to interact with: rendered on the server only, no script sent (docs/performance.md).
export const csr = false;

export const load: PageServerLoad = async ({ url }) => {
	const db = getDb();
	const axes = await listAxes(db);
	const requested = url.searchParams.get('axe') ?? '';
	const axis = axes.some((a) => a.code === requested) ? requested : '';
	const fiches = await listPriorityComparison(db, axis || undefined);
	return { axes, axis, ignored: requested !== '' && axis === '', fiches };
};
