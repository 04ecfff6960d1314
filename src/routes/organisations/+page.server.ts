import { getDb } from '$lib/server/db/instance';
import { listOrganisations } from '$lib/server/plan/repository';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({
	organisations: await listOrganisations(getDb())
});
