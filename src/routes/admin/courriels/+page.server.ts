import { error } from '@sveltejs/kit';
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/instance';
import { outboxPage } from '$lib/server/mail/outbox';
import { MAIL_STATUS_SLUGS, mailStatusOfSlug } from '$lib/utils/mail-status';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'mail.view');
	const raw = event.url.searchParams.get('page') ?? '1';
	const page = /^\d{1,5}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : 1;
	const slug = event.url.searchParams.get('etat');
	const status = slug === null ? undefined : mailStatusOfSlug(slug);
	if (slug !== null && !status)
		error(
			400,
			`Cet état de message n’existe pas. États possibles : ${Object.values(MAIL_STATUS_SLUGS).join(', ')}.`
		);
	return outboxPage(getDb(), page, status);
};
