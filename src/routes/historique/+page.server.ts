import { getDb } from '$lib/server/db/instance';
import { planHistory } from '$lib/server/plan/history';
import { renderedOnly } from '$lib/utils/rendered-only';
import type { PageServerLoad } from './$types';

// Nothing to interact with: rendered on the server only, no script sent (docs/performance.md).
export const csr = false;

export const load: PageServerLoad = async (event) =>
	renderedOnly(event, { events: await planHistory(getDb()) });
