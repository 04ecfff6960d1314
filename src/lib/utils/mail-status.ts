import type { MailStatus } from '../server/db/schema';

/** The words of /admin/courriels?etat=… for each state (French addresses, English states in code). */
export const MAIL_STATUS_SLUGS: Record<MailStatus, string> = {
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
	const statuses = Object.keys(MAIL_STATUS_SLUGS) as MailStatus[];
	return statuses.find((status) => MAIL_STATUS_SLUGS[status] === slug);
}
