import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';
import type { Db, Executor } from '../db';
import type { MailState } from '../../utils/mail-status';
import { randomToken } from '../auth/tokens';
import {
	countMessagesByStatus,
	insertMessage,
	liftRelayPause,
	listMessages,
	makePendingDue,
	readRelayState,
	type MessageAbout
} from './outbox-repository';
import { recordAudit } from '../audit/repository';
import { ok, refuse, type Result } from '../result';
import { pluralize } from '../../utils/format';
import { ensureSecret, findUserById } from '../auth/repository';
import type { User } from '../auth/users';
import { CATEGORIES, findPreferences, type Category } from './preferences-repository';
import { ONE_TIME_LINK, renderMail, type MailParts } from './templates';
import { linkPath } from './links';

/**
 * What every service calls, inside the transaction of the event that causes a message:
 * `queueMail` (transactional: invitation, password reset) and `queueNotification` (respects the
 * person's preferences and carries a one-click unsubscribe link). The sender delivers later.
 */
let settings = {
	origin: 'http://localhost:3000',
	from: 'Portail SDUSN <ne-pas-repondre@localhost>',
	relayed: false
};

/**
 * Set once at start-up (hooks.server.ts) from ORIGIN, MAIL_FROM and SMTP_URL (`relayed`: a relay
 * delivers the messages; without one they stay in the outbox). Returns the settings it replaces,
 * which a test puts back when done (the files of a test worker share this module).
 */
export function configureMail(values: { origin: string; from: string; relayed: boolean }): {
	origin: string;
	from: string;
	relayed: boolean;
} {
	const previous = settings;
	settings = { ...values };
	return previous;
}

/** Whether messages leave the portal (SMTP_URL set): without a relay, nobody receives them. */
export function mailIsRelayed(): boolean {
	return settings.relayed;
}

/**
 * Since when the relay has refused the portal or not answered (ms), or null: while it does, a
 * message written now waits, and the pages that write one say so instead of « il part ».
 */
export async function relayDownSince(db: Executor): Promise<number | null> {
	return settings.relayed ? (await readRelayState(db)).failingSince : null;
}

/** The absolute address of a page of the portal, for a message. */
export function absoluteUrl(path: string): string {
	return new URL(path, settings.origin).href;
}

/** A stable Message-ID, made once when the message is written: the same at every attempt. */
function newMessageId(): string {
	const after = settings.from.slice(settings.from.lastIndexOf('@') + 1).replace(/>$/, '');
	const domain = settings.from.includes('@') && /^[^>\s]+$/.test(after) ? after : 'localhost';
	return `<${randomToken(15)}@${domain}>`;
}

export interface Recipient {
	id: number | null;
	email: string;
}

export async function queueMail(
	db: Executor,
	kind: string,
	to: Recipient,
	parts: MailParts,
	now = Date.now(),
	about: MessageAbout = {}
): Promise<number> {
	const content = renderMail(parts);
	return insertMessage(
		db,
		{
			messageId: newMessageId(),
			kind,
			recipient: to.email,
			userId: to.id,
			subject: content.subject,
			text: content.text,
			html: content.html,
			oneTimeLink: content.oneTimeLink,
			linkExpiresAt: content.linkExpiresAt,
			unsubscribeUrl: parts.unsubscribeUrl ?? null
		},
		now,
		about
	);
}

const CATEGORY_WORDS: Record<Category, string> = {
	reminders: 'les rappels des campagnes de suivi',
	validations: 'les validations et renvois de mises à jour',
	commission: 'les messages de la commission'
};
/** Where a kind of message names its category otherwise: the staff's digest, in /compte's words. */
const KIND_WORDS: Partial<Record<string, string>> = {
	digest: 'ce récapitulatif des mises à jour soumises à relire'
};

/**
 * A notification to an account: nothing when the person turned this category off; otherwise
 * queued with List-Unsubscribe (RFC 8058) and a footer with the unsubscribe link.
 */
export async function queueNotification(
	db: Executor,
	kind: string,
	category: Category,
	to: { id: number; email: string },
	parts: Omit<MailParts, 'stop' | 'unsubscribeUrl' | 'preferencesUrl'>,
	now = Date.now(),
	about: MessageAbout = {}
): Promise<number | null> {
	const preferences = await findPreferences(db, to.id);
	if (!preferences[category]) return null;
	const token = await unsubscribeToken(db, to, category);
	return queueMail(
		db,
		kind,
		to,
		{
			...parts,
			stop: `Pour ne plus recevoir ${KIND_WORDS[kind] ?? CATEGORY_WORDS[category]}, suivez le lien « Se désabonner » puis confirmez sur la page qu’il ouvre, ou changez vos préférences.`,
			unsubscribeUrl: absoluteUrl(linkPath('unsubscribe', token)),
			preferencesUrl: absoluteUrl('/compte#courriels')
		},
		now,
		about
	);
}

const UNSUBSCRIBE_KEY = 'mail-unsubscribe';

function signature(key: Uint8Array, payload: string): string {
	return encodeBase64urlNoPadding(
		hmac(SHA256, key, new TextEncoder().encode(`désabonnement:${payload}`))
	);
}

/**
 * "<account id>.<category>.<HMAC>": turns off one category of one account, nothing else. The HMAC
 * covers the account's address too, which the token does not carry: an id is given again to
 * another account after a backup older than the first one is restored, and a
 * link written for one address must not act on, nor show, another. A link signed before, over
 * the id and category alone, no longer verifies (its page sends the person to /compte).
 */
async function unsubscribeToken(
	db: Executor,
	to: { id: number; email: string },
	category: Category
): Promise<string> {
	const payload = `${to.id}.${category}`;
	return `${payload}.${signature(await ensureSecret(db, UNSUBSCRIBE_KEY), `${payload}.${to.email}`)}`;
}

/**
 * A one-click token as `unsubscribeToken` writes it, « <account id>.<category>.<signature> »: the
 * categories are those of CATEGORIES, so that a new one is read without being spelled again here.
 */
export const UNSUBSCRIBE_TOKEN = `(\\d{1,9})\\.(${CATEGORIES.join('|')})\\.([A-Za-z0-9_-]{43})`;

/**
 * The account (at the address the link was written for) and category of a one-click token. The
 * signature covers the address, which only the account gives: the account is read first, but the
 * signature is computed and compared (in constant time) whether or not it exists, over an address
 * no account has when none does, so that the time a forged token takes does not tell which ids
 * exist (it returned before any signature when the id had no account).
 */
export async function readUnsubscribeToken(
	db: Executor,
	token: string
): Promise<{ user: User; category: Category } | null> {
	const match = new RegExp(`^${UNSUBSCRIBE_TOKEN}$`).exec(token);
	if (!match) return null;
	const user = await findUserById(db, Number(match[1]));
	const payload = `${match[1]}.${match[2]}.${user?.email ?? ''}`;
	const wanted = decodeBase64urlIgnorePadding(
		signature(await ensureSecret(db, UNSUBSCRIBE_KEY), payload)
	);
	let given: Uint8Array;
	try {
		given = decodeBase64urlIgnorePadding(match[3]!);
	} catch {
		given = new Uint8Array(wanted.length);
	}
	const signed = given.length === wanted.length && constantTimeEqual(given, wanted);
	return signed && user ? { user, category: match[2] as Category } : null;
}

const PAGE_SIZE = 50;

const HIDDEN_LINK = '(lien à usage unique : réservé au destinataire, jamais montré ici)';
const HIDDEN_UNSUBSCRIBE = '(lien de désabonnement : réservé au destinataire, jamais montré ici)';
const UNSUBSCRIBE_LINK = /https?:\/\/\S*\/desabonnement\/\S+/g;

/**
 * A page of /admin/courriels: the messages (of one status, if given), newest first, 50 a page,
 * with the count of each status. Neither a one-time link (the rows listed do not carry it; the
 * bodies say where it was) nor an unsubscribe link is in it.
 */
export async function outboxPage(db: Executor, page: number, status?: MailState) {
	const rows = await listMessages(db, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE, status);
	return {
		messages: rows.slice(0, PAGE_SIZE).map((row) => ({
			...row,
			text: row.text
				.replaceAll(ONE_TIME_LINK, HIDDEN_LINK)
				.replace(UNSUBSCRIBE_LINK, HIDDEN_UNSUBSCRIBE)
		})),
		hasMore: rows.length > PAGE_SIZE,
		page,
		status: status ?? null,
		counts: await countMessagesByStatus(db),
		relay: await readRelayState(db)
	};
}

/**
 * « Réessayer maintenant » (/admin/courriels): once the relay is mended, the messages waiting need
 * not wait for the next try; they are due now, the relay's pause is lifted, and they go in the
 * order they were written.
 */
export async function retryWaitingMail(
	db: Db,
	admin: { id: number; name: string },
	clientAddress: string | null,
	now = Date.now()
): Promise<Result<{ count: number }>> {
	if (!settings.relayed)
		return refuse(
			409,
			'Aucun serveur de courrier n’est configuré (SMTP_URL) : les messages restent ici, il n’y a rien à réessayer.'
		);
	const count = await db.transaction().execute(async (trx) => {
		const waiting = await makePendingDue(trx, now);
		if (waiting === 0) return 0;
		await liftRelayPause(trx);
		await recordAudit(trx, {
			actor: admin,
			action: 'mail.retried',
			summary: `${pluralize(waiting, 'courriel en attente réessayé', 'courriels en attente réessayés')} maintenant`,
			after: { count: waiting },
			clientAddress
		});
		return waiting;
	});
	// Nothing waits (sent meanwhile, another admin's tab): not a refusal, so that the page, reloaded
	// after a success, shows the list as it is now and says nothing changed.
	return ok({ count });
}
