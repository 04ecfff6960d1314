import { mailIsRelayed, relayDownSince } from '$lib/server/mail/outbox';
import { error, redirect } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import { campaignCompletion, closeCampaign } from '$lib/server/campaigns/service';
import { getDb } from '$lib/server/db/instance';
import { refusalAnswer } from '$lib/server/http/form-answer';
import { refuse } from '$lib/server/result';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'campaigns.manage');
	const result = await campaignCompletion(getDb(), Number(event.params.id));
	if (!result.ok) error(404, result.message);
	const opened = event.url.searchParams.get('ouverte') === '1';
	return {
		...result.value,
		opened,
		// The relay known down since then: the opening's messages wait, and the notice says so.
		relayDownSince: opened ? await relayDownSince(getDb()) : null,
		closed: event.url.searchParams.get('close') === '1',
		cancelledMail: Number(/^\d{1,6}$/.exec(event.url.searchParams.get('annules') ?? '')?.[0] ?? 0),
		mailed: mailIsRelayed()
	};
};

const CLOSE_UNCONFIRMED =
	'Cochez la case pour confirmer la clôture : une campagne close ne se rouvre pas.';

export const actions: Actions = {
	close: async (event) => {
		const admin = await authorize(event, 'campaigns.manage');
		const id = Number(event.params.id);
		const form = await event.request.formData();
		if (form.get('confirm') !== 'oui')
			return refusalAnswer(
				refuse(400, CLOSE_UNCONFIRMED, { fieldErrors: { confirm: CLOSE_UNCONFIRMED } })
			);
		const result = await closeCampaign(getDb(), admin, id, safeClientAddress(event));
		if (!result.ok) return refusalAnswer(result);
		const { cancelled } = result.value;
		redirect(303, `/admin/campagnes/${id}?close=1${cancelled > 0 ? `&annules=${cancelled}` : ''}`);
	}
};
