import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/instance';
import { outboxPage } from '$lib/server/mail/outbox';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'mail.view');
	const raw = event.url.searchParams.get('page') ?? '1';
	const page = /^\d{1,5}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : 1;
	return outboxPage(getDb(), page);
};
