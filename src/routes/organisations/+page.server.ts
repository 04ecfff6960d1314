import { getDb } from '$lib/server/db/instance';
import { listOrganisations } from '$lib/server/plan/repository';
import type { PageServerLoad } from './$types';

// Nothing to interact with: rendered on the server only, no script sent (docs/performance.md).
export const csr = false;

export const load: PageServerLoad = async () => ({
	organisations: await listOrganisations(getDb())
});
