import { frenchSpacing } from '../../utils/french-spacing';
import { codeSegments } from '../../utils/code-segments';
import { escapeHtml } from '../../utils/html';

/**
 * Every message the portal sends: French, plain text and HTML (every value escaped), the portal's
 * name, absolute links built from ORIGIN, and a footer saying why the person receives it and how
 * to stop. Pure functions: the services pass the words, the outbox keeps the result. Its words,
 * subject included, are spaced as the pages' are (frenchSpacing): on a phone no line starts with
 * « : », « ; » or « » ».
 */
const PORTAL_NAME = 'Portail de suivi du SDUSN du Lot';

export interface MailContent {
	subject: string;
	text: string;
	html: string;
	/** The action's one-time link, written in the bodies as ONE_TIME_LINK (see MailLink). */
	oneTimeLink: string | null;
	/** When that link stops working (ms since the epoch): the message is not sent after it. */
	linkExpiresAt: number | null;
}

/**
 * Stands for a one-time link in a stored message: the outbox keeps the link apart, only until the
 * message is sent or given up (fillOneTimeLink puts it in for the relay), so that the admins' page
 * of messages never shows it, and a backup holds it only for a message still waiting to be sent.
 */
export const ONE_TIME_LINK = '{{lien-a-usage-unique}}';

export interface MailLink {
	label: string;
	url: string;
	/** A link that signs in or sets a password (invitation, reset): never stored in the bodies. */
	oneTimeLink?: true;
	/** When a one-time link stops working (ms since the epoch). */
	expiresAt?: number;
}

export interface MailParts {
	subject: string;
	greeting: string;
	paragraphs: string[];
	/** A list of items, each with an optional link (fiches of a campaign, an agenda…). */
	items?: { text: string; url?: string }[];
	/** The main link, shown as a button in HTML and as a line of its own in text. */
	action?: MailLink;
	/** Why the person receives this message. */
	reason: string;
	/** How to stop receiving it (notifications) or what to do if it was not expected. */
	stop: string;
	/** Notifications: the one-click unsubscribe link, also in the footer. */
	unsubscribeUrl?: string;
	/** The page where preferences are changed. */
	preferencesUrl?: string;
}

/** Words of the message, spaced the French way, then escaped for the HTML part. */
function words(value: string): string {
	return escapeHtml(frenchSpacing(value));
}

/**
 * Words of the HTML part's body: as `words`, a fiche's code (« 3-1 ») kept on one line by an
 * inline `white-space:nowrap` (which webmails and Outlook keep) rather than cut after its hyphen;
 * the hyphen stays the plain one, so that the code is found and copied as typed. The text part
 * needs nothing: it keeps the plain hyphen, and a mail reader does not cut there.
 */
function bodyWords(value: string): string {
	return codeSegments(frenchSpacing(value))
		.map(({ text, code }) =>
			code ? `<span style="white-space:nowrap">${escapeHtml(text)}</span>` : escapeHtml(text)
		)
		.join('');
}

function textPart(parts: MailParts): string {
	const lines = [parts.greeting, ''];
	for (const paragraph of parts.paragraphs) lines.push(paragraph, '');
	if (parts.items?.length) {
		for (const item of parts.items) lines.push(`- ${item.text}${item.url ? ` : ${item.url}` : ''}`);
		lines.push('');
	}
	if (parts.action) lines.push(`${parts.action.label} : ${parts.action.url}`, '');
	lines.push('-- ', PORTAL_NAME, parts.reason, parts.stop);
	if (parts.unsubscribeUrl) lines.push(`Se désabonner : ${parts.unsubscribeUrl}`);
	if (parts.preferencesUrl) lines.push(`Vos préférences : ${parts.preferencesUrl}`);
	// Addresses hold no space: only the words' spaces change.
	return `${frenchSpacing(lines.join('\n'))}\n`;
}

function link(url: string, label: string): string {
	return `<a href="${escapeHtml(url)}">${bodyWords(label)}</a>`;
}

function htmlPart(parts: MailParts): string {
	const body: string[] = [
		`<p style="margin:0 0 16px;font-weight:bold;color:#1d3b6f">${escapeHtml(PORTAL_NAME)}</p>`,
		`<p>${bodyWords(parts.greeting)}</p>`,
		...parts.paragraphs.map((p) => `<p>${bodyWords(p).replace(/\n/g, '<br>')}</p>`)
	];
	if (parts.items?.length)
		body.push(
			`<ul>${parts.items
				.map((item) => `<li>${item.url ? link(item.url, item.text) : bodyWords(item.text)}</li>`)
				.join('')}</ul>`
		);
	if (parts.action)
		body.push(
			`<p><a href="${escapeHtml(parts.action.url)}" style="display:inline-block;padding:10px 16px;background:#1d3b6f;color:#ffffff;text-decoration:none;border-radius:4px">${words(parts.action.label)}</a></p>`,
			// A long address breaks anywhere: on a phone it would make the whole mail scroll sideways.
			// Only the address may break anywhere: on a phone, the words of the sentence stay whole.
			`<p style="font-size:13px">Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur\u00a0: <span style="overflow-wrap:anywhere;word-break:break-all">${escapeHtml(parts.action.url)}</span></p>`
		);
	const footer = [bodyWords(parts.reason), bodyWords(parts.stop)];
	if (parts.unsubscribeUrl) footer.push(link(parts.unsubscribeUrl, 'Se désabonner'));
	if (parts.preferencesUrl) footer.push(link(parts.preferencesUrl, 'Vos préférences de courriel'));
	body.push(
		`<hr style="border:none;border-top:1px solid #ccc;margin:24px 0 8px">`,
		`<p style="font-size:13px;color:#444">${footer.join('<br>')}</p>`
	);
	return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${words(parts.subject)}</title></head><body style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;max-width:640px;margin:0 auto;padding:16px">${body.join('\n')}</body></html>`;
}

export function renderMail(parts: MailParts): MailContent {
	const secret = parts.action?.oneTimeLink ? parts.action.url : null;
	const shown =
		secret && parts.action ? { ...parts, action: { ...parts.action, url: ONE_TIME_LINK } } : parts;
	return {
		// Spaced as the bodies are: in a narrow inbox list, no break before « : » or inside « ».
		subject: frenchSpacing(parts.subject),
		text: textPart(shown),
		html: htmlPart(shown),
		oneTimeLink: secret,
		linkExpiresAt: secret ? (parts.action?.expiresAt ?? null) : null
	};
}

/** The bodies as sent: the one-time link put back in place of ONE_TIME_LINK. */
export function fillOneTimeLink(
	bodies: { text: string; html: string },
	link: string
): { text: string; html: string } {
	return {
		text: bodies.text.replaceAll(ONE_TIME_LINK, link),
		html: bodies.html.replaceAll(ONE_TIME_LINK, escapeHtml(link))
	};
}
