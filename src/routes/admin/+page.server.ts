import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/instance';
import { relayDownSince } from '$lib/server/mail/outbox';
import { listSubmittedUpdates } from '$lib/server/progress/repository';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'queue.view');
	const db = getDb();
	return {
		queueLength: (await listSubmittedUpdates(db)).length,
		// The relay down: said on the staff's home page, not only at /admin/courriels.
		relayDownSince: await relayDownSince(db)
	};
};
