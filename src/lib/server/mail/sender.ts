import nodemailer from 'nodemailer';
import type { SmtpConfig } from '../config.js';
import type { Db } from '../db';
import { log } from '../log.js';
import { formatMoment } from '../../utils/format';
import {
	claimDueMessage,
	interruptUnfinished,
	keepPending,
	markRetry,
	postponePending,
	hasRetryDue,
	markSent,
	markCancelled,
	markStopped,
	type OutboxRow
} from './outbox-repository';
import { fillOneTimeLink } from './templates';

/**
 * Delivers the outbox. One message at a time, in the server process:
 *
 * - the attempt is recorded (`sending`, attempts + 1) and committed **before** the message is
 *   handed to the relay, with its stable Message-ID;
 * - accepted: `sent`. Refused with 4xx, or the relay cannot be reached (nothing was delivered):
 *   `pending` again after a growing delay (1 min, 2, 4… at most 1 h), `failed` after
 *   MAX_ATTEMPTS. Refused with 5xx: `failed` at once. Cut off after the message was handed over
 *   (the relay may have it): `interrupted`, never sent again;
 * - a message found `sending` at start-up (the process died during the attempt) becomes
 *   `interrupted` too.
 *
 * So a message is delivered **at most once**: a crash at the wrong moment can lose one (shown to
 * admins at /admin/courriels, who can ask for a new link), never duplicate it.
 */
export interface OutgoingMail {
	messageId: string;
	from: string;
	to: string;
	subject: string;
	text: string;
	html: string;
	unsubscribeUrl: string | null;
}

export interface MailTransport {
	send(message: OutgoingMail): Promise<void>;
	close(): void;
}

const MAX_ATTEMPTS = 10;
const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 3_600_000;

/** SMTP through Nodemailer; `tls` lets tests trust their own self-signed relay. */
export function smtpTransport(
	config: SmtpConfig,
	tls: { rejectUnauthorized?: boolean } = {}
): MailTransport {
	const transporter = nodemailer.createTransport({
		host: config.host,
		port: config.port,
		secure: config.secure,
		// STARTTLS is used whenever the relay offers it; required unless loopback or turned off.
		requireTLS: config.requireTls,
		auth: config.user ? { user: config.user, pass: config.password ?? '' } : undefined,
		connectionTimeout: 15_000,
		greetingTimeout: 15_000,
		socketTimeout: 60_000,
		tls: { servername: config.host, ...tls },
		logger: false,
		debug: false
	});
	return {
		async send(message) {
			await transporter.sendMail({
				messageId: message.messageId,
				from: message.from,
				to: message.to,
				subject: message.subject,
				text: message.text,
				html: message.html,
				headers: message.unsubscribeUrl
					? {
							'List-Unsubscribe': `<${message.unsubscribeUrl}>`,
							'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click'
						}
					: {}
			});
		},
		close: () => transporter.close()
	};
}

export type Outcome = 'temporary' | 'permanent' | 'uncertain';

/** Steps of an SMTP exchange before the message is handed over: a failure there delivered nothing. */
const BEFORE_DATA = new Set([
	'CONN',
	'EHLO',
	'HELO',
	'LHLO',
	'STARTTLS',
	'AUTH',
	'MAIL FROM',
	'RCPT TO'
]);
const UNREACHABLE = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EDNS'
]);

/** Steps where a failure is the relay's, not the message's: connecting, greeting, TLS, login. */
const RELAY_STEPS = new Set(['CONN', 'EHLO', 'HELO', 'LHLO', 'STARTTLS', 'AUTH']);

/**
 * Whether a temporary failure is the relay's own (unreachable, silent, refused the connection, TLS
 * or the login, or closing with 421), so that every other message would meet it too; a refusal of
 * one recipient (450, 452 at RCPT TO) is not.
 */
export function isRelayFault(error: unknown): boolean {
	const e = (error ?? {}) as { responseCode?: number; code?: string; command?: string };
	if (e.responseCode === 421) return true;
	if (e.code && (UNREACHABLE.has(e.code) || ['ETLS', 'EAUTH', 'ETIMEDOUT'].includes(e.code)))
		return true;
	return RELAY_STEPS.has((e.command ?? '').toUpperCase().split(' ')[0] ?? '');
}

/** What a delivery error means for the message (see the note at the top of this file). */
export function classify(error: unknown): Outcome {
	const e = (error ?? {}) as { responseCode?: number; code?: string; command?: string };
	// TLS or credentials refused before anything was sent: the operator may fix the relay's settings.
	if (e.code === 'ETLS' || e.code === 'EAUTH') return 'temporary';
	if (typeof e.responseCode === 'number') {
		if (e.responseCode >= 500) return 'permanent';
		if (e.responseCode >= 400) return 'temporary';
	}
	if (e.code && UNREACHABLE.has(e.code)) return 'temporary';
	const command = (e.command ?? '').toUpperCase().split(' ').slice(0, 2).join(' ');
	if (BEFORE_DATA.has(command) || BEFORE_DATA.has(command.split(' ')[0] ?? '')) return 'temporary';
	return 'uncertain';
}

/**
 * What went wrong, in French for the admins' page, then the relay's own words (often English) as a
 * detail; never the message's content or the credentials.
 */
export function describeFailure(error: unknown): string {
	const e = (error ?? {}) as {
		responseCode?: number;
		code?: string;
		response?: string;
		message?: string;
	};
	const detail = (e.response ?? e.message ?? String(error)).slice(0, 300);
	const codes = [e.responseCode, e.code].filter(Boolean).join(' ');
	const unreachable = [...UNREACHABLE].find((code) => e.code === code || detail.includes(code));
	let summary: string;
	// Credentials and TLS first, as classify() does: a refused login carries a 535 reply code too.
	if (e.code === 'EAUTH')
		summary =
			'Le serveur de courrier a refusé l’identifiant ou le mot de passe de SMTP_URL : nouvel essai plus tard, corrigez le réglage.';
	else if (e.code === 'ETLS')
		summary =
			'La connexion chiffrée (TLS) avec le serveur de courrier a échoué : nouvel essai plus tard.';
	else if (typeof e.responseCode === 'number' && e.responseCode >= 500)
		summary = `Refusé définitivement par le serveur de courrier (code ${e.responseCode}) : adresse inconnue ou message rejeté.`;
	else if (typeof e.responseCode === 'number' && e.responseCode >= 400)
		summary = `Refusé pour l’instant par le serveur de courrier (code ${e.responseCode}) : nouvel essai plus tard.`;
	else if (unreachable)
		summary = `Serveur de courrier injoignable (${unreachable}) : nouvel essai plus tard.`;
	else if (e.code === 'ETIMEDOUT') summary = 'Le serveur de courrier n’a pas répondu à temps.';
	else summary = 'La connexion avec le serveur de courrier a été coupée.';
	return `${summary} Détail technique${codes ? ` (${codes})` : ''} : ${detail}`;
}

function linkExpiredReason(expiresAt: number, kind: string, now: number): string {
	const remedy =
		kind === 'invitation'
			? 'Renvoyez l’invitation depuis la liste des comptes.'
			: 'La personne peut demander un nouveau lien.';
	const when = formatMoment(expiresAt);
	return expiresAt <= now
		? `Non envoyé : son lien à usage unique a expiré le ${when}, avant que le serveur de courrier ne prenne le message. ${remedy}`
		: `Non envoyé : son lien à usage unique expire le ${when}, dans moins de 5 minutes, trop tôt pour servir une fois reçu. ${remedy}`;
}

function retryDelay(attempts: number, baseMs = RETRY_BASE_MS): number {
	return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), RETRY_MAX_MS);
}

export interface SenderOptions {
	/** null: the embedded default, messages kept in the outbox. */
	transport: MailTransport | null;
	from: string;
	now?: () => number;
	pollMs?: number;
	retryBaseMs?: number;
	maxAttempts?: number;
	/** Runs before each delivery round (the scheduler: digests and campaign reminders). */
	beforeDelivery?: (now: number) => Promise<void>;
	/**
	 * Why a one-time link no longer works at `at` (replaced by a newer one, used, ended by a
	 * password change or a disabled account), or null: such a message is not sent.
	 */
	linkProblem?: (link: string, at: number) => Promise<string | null>;
}

/**
 * A link with less life left than this is not sent: it would be dead by the time it is read.
 * (Exported for the tests.)
 */
export const LINK_MARGIN_MS = 5 * 60_000;

export class MailSender {
	private timer: ReturnType<typeof setTimeout> | undefined;
	private running: Promise<void> | undefined;
	private stopped = false;
	/**
	 * After the relay's own failure, no message is tried before this moment (ms): those written
	 * meanwhile wait with the others, and all go in the order they were written once it is past.
	 */
	private relayPausedUntil = 0;
	private readonly now: () => number;

	constructor(
		private readonly db: Db,
		private readonly options: SenderOptions
	) {
		this.now = options.now ?? Date.now;
	}

	/** Marks attempts a previous process left unfinished, then polls the outbox. */
	async start(): Promise<void> {
		const interrupted = await interruptUnfinished(this.db);
		if (interrupted > 0)
			log().warn(
				{ event: 'mail-interrupted', count: interrupted },
				'Courriels interrompus par un arrêt'
			);
		this.schedule(0);
	}

	private schedule(delay: number): void {
		if (this.stopped) return;
		this.timer = setTimeout(() => {
			this.running = this.tick()
				.catch((error: unknown) =>
					log().error(
						{ event: 'mail-error', err: error instanceof Error ? error.message : String(error) },
						'Envoi des courriels : erreur'
					)
				)
				.finally(() => {
					this.running = undefined;
					this.schedule(this.options.pollMs ?? 2_000);
				});
		}, delay);
		this.timer.unref?.();
	}

	/** One round of the loop: the hook (digest, reminders), then delivery. */
	private async tick(): Promise<void> {
		await this.options.beforeDelivery?.(this.now());
		await this.deliverDue();
	}

	/** Delivers every message due now, one after the other; returns how many were attempted. */
	async deliverDue(): Promise<number> {
		if (!this.options.transport) {
			await keepPending(this.db);
			return 0;
		}
		if (this.now() < this.relayPausedUntil) {
			// « Réessayer maintenant » (/admin/courriels) made the waiting messages due: the pause ends.
			if (!(await hasRetryDue(this.db, this.now()))) return 0;
			this.relayPausedUntil = 0;
		}
		let attempted = 0;
		while (!this.stopped && this.now() >= this.relayPausedUntil) {
			const message = await this.db
				.transaction()
				.execute((trx) => claimDueMessage(trx, this.now()));
			if (!message) break;
			attempted += 1;
			await this.deliver(this.options.transport, message);
		}
		return attempted;
	}

	private async deliver(transport: MailTransport, message: OutboxRow): Promise<void> {
		// A link that no longer works is not sent: the person would follow it to a refusal. A check
		// that fails (a busy database, a lasting fault) counts as a try: the message waits like one
		// the relay put off, and is given up after the last attempt instead of waiting for ever.
		let dead: string | null;
		try {
			dead = await this.deadLinkReason(message);
		} catch (error) {
			log().warn(
				{ event: 'mail-link-check-failed', id: message.id, err: (error as Error).message },
				'Courriel : vérification du lien impossible'
			);
			await this.notDelivered(
				message,
				'temporary',
				'Vérification du lien à usage unique impossible : nouvel essai plus tard.'
			);
			return;
		}
		if (dead) {
			await markCancelled(this.db, message.id, dead);
			log().warn(
				{ event: 'mail-link-dead', id: message.id, kind: message.kind },
				'Courriel non envoyé : lien à usage unique expiré ou remplacé'
			);
			return;
		}
		try {
			await transport.send({
				messageId: message.messageId,
				from: this.options.from,
				to: message.recipient,
				subject: message.subject,
				...(message.oneTimeLink ? fillOneTimeLink(message, message.oneTimeLink) : message),
				unsubscribeUrl: message.unsubscribeUrl
			});
		} catch (error) {
			const outcome = classify(error);
			const reason = describeFailure(error);
			const retryAt = await this.notDelivered(message, outcome, reason);
			// The relay's own fault: the other messages wait with this one, without spending attempts.
			if (outcome === 'temporary' && isRelayFault(error)) {
				this.relayPausedUntil = retryAt;
				await postponePending(this.db, retryAt, `En attente : ${reason}`);
			}
			log().warn(
				{
					event: 'mail-refused',
					id: message.id,
					kind: message.kind,
					attempts: message.attempts,
					outcome
				},
				'Courriel non remis'
			);
			return;
		}
		await markSent(this.db, message.id, this.now());
		log().info({ event: 'mail-sent', id: message.id, kind: message.kind }, 'Courriel remis');
	}

	/**
	 * A try that did not deliver: tried again later while the failure is temporary and attempts are
	 * left, else stopped (`interrupted` when it may have been delivered, `failed` otherwise).
	 * Returns when a next try of the relay is due.
	 */
	private async notDelivered(
		message: OutboxRow,
		outcome: Outcome,
		reason: string
	): Promise<number> {
		const maxAttempts = this.options.maxAttempts ?? MAX_ATTEMPTS;
		const retryAt = this.now() + retryDelay(message.attempts, this.options.retryBaseMs);
		if (outcome === 'temporary' && message.attempts < maxAttempts) {
			await markRetry(this.db, message.id, retryAt, reason);
			return retryAt;
		}
		// A temporary failure given up: not « nouvel essai plus tard » any more.
		const final =
			outcome === 'temporary'
				? `${reason.replace(/ : nouvel essai plus tard(, corrigez le réglage)?\./, '.')} Abandonné après ${message.attempts} essais.`
				: reason;
		await markStopped(
			this.db,
			message.id,
			outcome === 'uncertain' ? 'interrupted' : 'failed',
			final
		);
		return retryAt;
	}

	/** Why the message's one-time link will not work when read, or null (no link, or a live one). */
	private async deadLinkReason(message: OutboxRow): Promise<string | null> {
		if (!message.oneTimeLink) return null;
		const at = this.now() + LINK_MARGIN_MS;
		if (message.linkExpiresAt !== null && message.linkExpiresAt <= at)
			return linkExpiredReason(message.linkExpiresAt, message.kind, this.now());
		const problem = await this.options.linkProblem?.(message.oneTimeLink, at);
		return problem ? `Non envoyé : ${problem}` : null;
	}

	/** Stops polling; resolves once the message being handed over (if any) is done. */
	async stop(): Promise<void> {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		await this.running;
		this.options.transport?.close();
	}
}
