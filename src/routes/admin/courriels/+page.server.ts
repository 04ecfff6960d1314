import { error } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/instance';
import { refusalAnswer } from '$lib/server/http/form-answer';
import {
	doneAnswer,
	doneMarker,
	markerCount,
	markerFreshSince
} from '$lib/server/http/done-answer';
import { latestOwnAct } from '$lib/server/audit/repository';
import { mailIsRelayed, outboxPage, retryWaitingMail } from '$lib/server/mail/outbox';
import { mailStatusOfSlug } from '$lib/utils/mail-status';
import { readPageNumber } from '$lib/utils/text';
import { MAIL_STATUS_LABELS } from '$lib/utils/vocabulary';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = await authorize(event, 'mail.view');
	const page = readPageNumber(event.url.searchParams.get('page'));
	const slug = event.url.searchParams.get('etat');
	const status = slug === null ? undefined : mailStatusOfSlug(slug);
	// The states are named as the page names them, and the page's own counts lead to each.
	if (slug !== null && !status)
		error(400, {
			message: `Cet état de message n’existe pas. États possibles : ${Object.values(MAIL_STATUS_LABELS).join(' ; ')}.`,
			next: { href: '/admin/courriels', label: 'Voir tous les courriels et leurs états' }
		});
	const outbox = await outboxPage(getDb(), page, status);
	return {
		...outbox,
		relayed: mailIsRelayed(),
		retried: await retriedMarker(event.url, viewer.id, outbox.counts.pending ?? 0)
	};
};

/**
 * « Réessayer maintenant » pressed without script led here (doneAnswer): how many it sent, as the
 * script draws it, when it is true now: as many as this admin's retry of the last minutes sent (the
 * journal's count), or none when none waits.
 */
async function retriedMarker(url: URL, adminId: number, pending: number): Promise<number | null> {
	const count = doneMarker(url, ['relance']) && markerCount(url, 'messages');
	if (count === 0) return pending === 0 ? 0 : null;
	if (count === null) return null;
	const act = await latestOwnAct(getDb(), adminId, 'mail.retried', markerFreshSince());
	return act?.count === count ? count : null;
}

export const actions: Actions = {
	retry: async (event) => {
		const admin = await authorize(event, 'mail.retry');
		const result = await retryWaitingMail(getDb(), admin, safeClientAddress(event));
		if (!result.ok) return refusalAnswer(result);
		const { count } = result.value;
		return doneAnswer(event, 'relance', { retried: count }, { messages: count });
	}
};
