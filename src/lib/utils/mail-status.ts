import type { MailStatus } from '../server/db/schema';

/**
 * A message's state as the admins' page tells it: its status, but a message given up after a long
 * relay outage (`failed` in the table) apart from one the relay refused.
 */
export type MailState = MailStatus | 'given_up';

/** The words of /admin/courriels?etat=… for each state (French addresses, English states in code). */
export const MAIL_STATUS_SLUGS: Record<MailState, string> = {
	pending: 'en-attente',
	sending: 'en-cours',
	sent: 'remis',
	failed: 'refuses',
	given_up: 'abandonnes',
	interrupted: 'interrompus',
	kept: 'gardes',
	cancelled: 'liens-perimes'
};

/** The state a slug of the address names, or undefined. */
export function mailStatusOfSlug(slug: string): MailState | undefined {
	const statuses = Object.keys(MAIL_STATUS_SLUGS) as MailState[];
	return statuses.find((status) => MAIL_STATUS_SLUGS[status] === slug);
}
