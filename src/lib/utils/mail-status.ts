/** French words for the states of a message of the outbox (/admin/courriels). */
export const MAIL_STATUS_LABELS: Record<string, string> = {
	pending: 'en attente',
	sending: 'en cours d’envoi',
	sent: 'remis au serveur de courrier',
	failed: 'refusé (définitif)',
	interrupted: 'interrompu (peut-être remis, jamais renvoyé)',
	kept: 'gardé ici, non envoyé par SMTP'
};
