import { error } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/instance';
import { refusalAnswer } from '$lib/server/http/form-answer';
import { doneAnswer, doneMarker, markerCount } from '$lib/server/http/done-answer';
import { mailIsRelayed, outboxPage, retryWaitingMail } from '$lib/server/mail/outbox';
import { mailStatusOfSlug } from '$lib/utils/mail-status';
import { readPageNumber } from '$lib/utils/text';
import { MAIL_STATUS_LABELS } from '$lib/utils/vocabulary';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'mail.view');
	const page = readPageNumber(event.url.searchParams.get('page'));
	const slug = event.url.searchParams.get('etat');
	const status = slug === null ? undefined : mailStatusOfSlug(slug);
	// The states are named as the page names them, and the page's own counts lead to each.
	if (slug !== null && !status)
		error(400, {
			message: `Cet état de message n’existe pas. États possibles : ${Object.values(MAIL_STATUS_LABELS).join(' ; ')}.`,
			next: { href: '/admin/courriels', label: 'Voir tous les courriels et leurs états' }
		});
	return {
		...(await outboxPage(getDb(), page, status)),
		relayed: mailIsRelayed(),
		// « Renvoyer » pressed without script led here (doneAnswer): how many it sent, as the script
		// draws it.
		retried: doneMarker(event.url, ['relance']) && markerCount(event.url, 'messages')
	};
};

export const actions: Actions = {
	retry: async (event) => {
		const admin = await authorize(event, 'mail.retry');
		const result = await retryWaitingMail(getDb(), admin, safeClientAddress(event));
		if (!result.ok) return refusalAnswer(result);
		const { count } = result.value;
		return doneAnswer(event, 'relance', { retried: count }, { messages: count });
	}
};
