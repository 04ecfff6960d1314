import { mailIsRelayed } from '$lib/server/mail/outbox';
import { error } from '@sveltejs/kit';
import { authorize } from '$lib/server/auth/guards';
import { campaignCompletion } from '$lib/server/campaigns/service';
import { getDb } from '$lib/server/db/instance';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'campaigns.manage');
	const id = /^\d{1,9}$/.test(event.params.id) ? Number(event.params.id) : 0;
	const result = await campaignCompletion(getDb(), id);
	if (!result.ok) error(404, result.message);
	return {
		...result.value,
		opened: event.url.searchParams.get('ouverte') === '1',
		mailed: mailIsRelayed()
	};
};
