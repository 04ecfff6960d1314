import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/instance';
import { listSubmittedUpdates } from '$lib/server/progress/repository';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'queue.view');
	return { queue: await listSubmittedUpdates(getDb()) };
};
