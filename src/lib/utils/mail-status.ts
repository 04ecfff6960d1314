import type { MailStatus } from '../server/db/schema';

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
