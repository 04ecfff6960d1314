import type { MailStatus } from '../server/db/schema';

/** French words for the states of a message of the outbox (/admin/courriels). */
export const MAIL_STATUS_LABELS: Record<string, string> = {
	pending: 'en attente',
	sending: 'en cours d’envoi',
	sent: 'remis au serveur de courrier',
	failed: 'refusé (définitif)',
	interrupted: 'interrompu (peut-être remis, jamais renvoyé)',
	kept: 'gardé ici, non envoyé par SMTP',
	cancelled:
		'non envoyé (lien périmé, destinataire désactivé ou désabonné depuis, ou campagne close)'
};

/**
 * The words of one message's state: a message not sent says only that, its own reason (a dead
 * link, a recipient gone, its campaign closed) being shown beside it, not the list of them all.
 */
export function mailStatusLabel(status: string): string {
	return status === 'cancelled' ? 'non envoyé' : (MAIL_STATUS_LABELS[status] ?? status);
}

/** The same words agreeing with a count of several messages (« 13 gardés ici… »). */
const PLURAL_LABELS: Record<string, string> = {
	...MAIL_STATUS_LABELS,
	failed: 'refusés (définitif)',
	interrupted: 'interrompus (peut-être remis, jamais renvoyés)',
	kept: 'gardés ici, non envoyés par SMTP',
	cancelled:
		'non envoyés (lien périmé, destinataire désactivé ou désabonné depuis, ou campagne close)'
};

export function mailStatusCount(status: string, count: number): string {
	return `${count} ${(count > 1 ? PLURAL_LABELS : MAIL_STATUS_LABELS)[status] ?? status}`;
}

/** The words of /admin/courriels?etat=… for each state (French addresses, English states in code). */
export const MAIL_STATUS_SLUGS: Record<string, string> = {
	pending: 'en-attente',
	sending: 'en-cours',
	sent: 'remis',
	failed: 'refuses',
	interrupted: 'interrompus',
	kept: 'gardes',
	cancelled: 'liens-perimes'
};

/** The state a slug of the address names, or undefined. */
export function mailStatusOfSlug(slug: string): MailStatus | undefined {
	const found = Object.entries(MAIL_STATUS_SLUGS).find(([, s]) => s === slug);
	return found?.[0] as MailStatus | undefined;
}
