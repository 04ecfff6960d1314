import { getDb } from '$lib/server/db/instance';
import { listEditions } from '$lib/server/editions/repository';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({
	editions: await listEditions(getDb(), { publishedOnly: true })
});
