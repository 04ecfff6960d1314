import { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { SmtpConfig } from '../config.js';
import type { Db } from '../db';
import { isBusy } from '../db/dialect';
import { DiskFullEpisode } from '../db/disk-full-episode';
import { log } from '../log.js';
import { formatDuration, formatMoment } from '../../utils/format';
import { RELAY_GIVE_UP_MS } from '../../utils/rules';
import {
	ADDRESS_AT_FAULT,
	claimDueMessage,
	clearRelayFailure,
	giveUpWaiting,
	interruptUnfinished,
	keepPending,
	liftRelayPause,
	markCancelled,
	markRetry,
	markSent,
	markStopped,
	readRelayState,
	recordRelayFailure,
	releaseClaim,
	type OutboxRow
} from './outbox-repository';
import { SENDER_LEASE_MS, SenderLease } from './sender-lease';
import { fillOneTimeLink } from './templates';

/**
 * Delivers the outbox. One message at a time, in the server process:
 *
 * - the attempt is recorded (`sending`, attempts + 1) and committed **before** the message is
 *   handed to the relay, with its stable Message-ID;
 * - accepted: `sent`. Refused with 4xx for this message: `pending` again after a growing delay
 *   (1 min, 2, 4… at most 1 h), `failed` after MAX_ATTEMPTS. Refused with 5xx: `failed` at once.
 *   Cut off or silent once the message was being handed over (the relay may have it):
 *   `interrupted`, never sent again;
 * - the relay's own failure (unreachable, refusing the connection, TLS, the login or the portal's
 *   sender address, closing with 421): no message spends an attempt; the claim is given back and
 *   every message waits (`mail_relay.paused_until`, growing the same way) — those written meanwhile
 *   too — the relay tried again after 1, 2, 4, then every 5 minutes — then all go in the order
 *   they were written; after RELAY_GIVE_UP_MS of outage, the
 *   messages older than that are given up together;
 * - a message found `sending` at start-up (the process died during the attempt) becomes
 *   `interrupted` too;
 * - one sender per database (SenderLease): a second process started on the same database waits,
 *   and takes over only once the first has stopped or died.
 *
 * So a message is delivered **at most once**: a crash or a cut at the wrong moment can lose one
 * (shown to admins at /admin/courriels, who can ask for a new link), never duplicate it.
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
/**
 * The relay is tried again at most this long after its last failure: a try costs no message an
 * attempt, and a reset asked for meanwhile (its link lives 30 minutes) must not wait an hour once
 * the relay is mended.
 */
const RELAY_RETRY_MAX_MS = 5 * 60_000;
/**
 * A relay failing for this long is logged at `error` level, which the alert of docs/operations.md
 * (« Surveiller ») catches; a shorter outage (the relay restarted) stays a warning.
 */
export const RELAY_ALERT_MS = 3_600_000;

/**
 * Where an SMTP exchange stood when it failed: `connect` (connection, greeting, EHLO, STARTTLS,
 * login: nothing of the message was sent, and every message would meet the same), `envelope`
 * (MAIL FROM, RCPT TO, DATA until its 354: this message only, nothing delivered) or `data` (the
 * message itself: from there a cut may come after the relay took it).
 */
type Phase = 'connect' | 'envelope' | 'data';

/**
 * SMTP with Nodemailer's SMTPConnection (its documented lower layer), one connection per message,
 * so that a failure carries the phase it came in: Nodemailer's transport reports any cut or
 * timeout as a `CONN` failure, even after the message was handed over. `tls` lets tests trust
 * their own self-signed relay.
 */
export function smtpTransport(
	config: SmtpConfig,
	tls: { rejectUnauthorized?: boolean } = {}
): MailTransport {
	const auth = config.user ? { user: config.user, pass: config.password ?? '' } : null;
	return {
		async send(message) {
			const mail = new MailComposer({
				messageId: message.messageId,
				from: message.from,
				to: message.to,
				subject: message.subject,
				text: message.text,
				html: message.html,
				// Every message is written by the portal (RFC 3834): out-of-office replies stay away.
				headers: {
					'Auto-Submitted': 'auto-generated',
					...(message.unsubscribeUrl
						? {
								'List-Unsubscribe': `<${message.unsubscribeUrl}>`,
								'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click'
							}
						: {})
				}
			}).compile();
			// A message that cannot be written out is refused here: nothing reached the relay.
			const raw = await mail.build().catch((error: Error) => {
				throw Object.assign(error, { code: 'EMESSAGE' });
			});
			const connection = new SMTPConnection({
				host: config.host,
				port: config.port,
				secure: config.secure,
				...(config.clientName ? { name: config.clientName } : {}),
				// STARTTLS whenever the relay offers it; required unless loopback or turned off.
				requireTLS: config.requireTls,
				connectionTimeout: 15_000,
				greetingTimeout: 15_000,
				socketTimeout: 60_000,
				tls: { servername: config.host, ...tls },
				logger: false,
				debug: false
			});
			await new Promise<void>((resolve, reject) => {
				let phase: Phase = 'connect';
				let settled = false;
				const fail = (error: Error) => {
					if (!settled) reject(Object.assign(error, { phase }));
					settled = true;
					connection.close();
				};
				// Kept for the connection's life: an error emitted after the answer is not thrown.
				connection.on('error', fail);
				// A relay that closes before its greeting is told here, not by an 'error' event.
				connection.connect((error) => {
					if (error) return fail(error);
					const send = () => {
						phase = 'envelope';
						// SMTPConnection pipes the message only once DATA got its 354: from that moment
						// the relay may take it, and a cut may come after it did.
						const body = Readable.from([raw]);
						const pipe = body.pipe.bind(body);
						body.pipe = ((destination, options) => {
							phase = 'data';
							return pipe(destination, options);
						}) as typeof body.pipe;
						connection.send(mail.getEnvelope(), body, (error) => {
							if (error) return fail(error);
							settled = true;
							resolve();
							connection.quit();
						});
					};
					if (auth && connection.allowsAuth)
						connection.login(auth, (error) => (error ? fail(error) : send()));
					else send();
				});
			});
		},
		close: () => {}
	};
}

/**
 * What a failure means: `relay`, the relay's own (every message would meet it: all wait, none
 * spends an attempt); `policy`, a policy refusal of a recipient (5.7.x at RCPT TO: « Relay access
 * denied »), which may be this recipient's (a relay that serves internal domains only) or the
 * relay's for every message — the first of a round holds this message alone, a second makes it the
 * relay's; `temporary`, this message put off (tried again later); `permanent`, this message
 * refused for good; `uncertain`, cut or silent while the message itself was being handed over (it
 * may have been delivered: never sent again).
 */
export type Outcome = 'relay' | 'policy' | 'temporary' | 'permanent' | 'uncertain';

const UNREACHABLE = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EDNS'
]);

interface SmtpFailure {
	responseCode?: number;
	code?: string;
	command?: string;
	response?: string;
	message?: string;
	phase?: Phase;
}

/** The SMTP command a failure answered (« MAIL FROM », « RCPT TO », « DATA »…), upper case. */
const commandOf = (failure: SmtpFailure) =>
	(failure.command ?? '').toUpperCase().split(' ').slice(0, 2).join(' ');

/** A policy refusal (enhanced status 5.7.x: « Relay access denied »), not a wrong address. */
const policyRefusal = (failure: SmtpFailure) => /\b5\.7\.\d{1,3}\b/.test(failure.response ?? '');

/**
 * Whether a refusal names the recipient's address as its cause: a 5xx answer to RCPT TO, an
 * enhanced status 5.1.x (« 5.1.1 User unknown », whatever the command), or an address Nodemailer
 * could not write. A message refused for its content (554 5.7.1 at DATA) or its size (552) is not:
 * its advice is not to create another account.
 */
export function addressRefused(error: unknown): boolean {
	const err = (error ?? {}) as SmtpFailure;
	if (/\b5\.1\.\d{1,3}\b/.test(err.response ?? err.message ?? '')) return true;
	if (typeof err.responseCode === 'number')
		return err.responseCode >= 500 && commandOf(err).startsWith('RCPT') && !policyRefusal(err);
	return err.code === 'EENVELOPE';
}

/** What a delivery error means (see the note at the top of this file). */
export function classify(error: unknown): Outcome {
	const err = (error ?? {}) as SmtpFailure;
	// Before the envelope (connection, greeting, TLS, login) nothing of the message was sent, and
	// every message would meet the same; unreachable relays, TLS and logins can fail nowhere else.
	if (err.phase === 'connect' || (err.code && UNREACHABLE.has(err.code))) return 'relay';
	if (err.code === 'ETLS' || err.code === 'EAUTH') return 'relay';
	const command = commandOf(err);
	if (typeof err.responseCode === 'number') {
		// The relay answered, so it did not take the message: the reply decides.
		if (err.responseCode === 421) return 'relay';
		if (command === 'MAIL FROM') {
			// Too big for this relay (552, 5.3.4): this message only. Otherwise the portal's
			// sender address or its right to send (530, 550, 553, rate limits): every message.
			if (err.responseCode === 552 || /\b5\.3\.4\b/.test(err.response ?? '')) return 'permanent';
			return 'relay';
		}
		if (err.responseCode >= 500)
			return command.startsWith('RCPT') && policyRefusal(err) ? 'policy' : 'permanent';
		return 'temporary';
	}
	// Refused by Nodemailer itself before anything was sent (an address it cannot write, a message
	// larger than the relay announced): nothing left the portal.
	if (err.code === 'EENVELOPE' || err.code === 'EMESSAGE') return 'permanent';
	// Cut or silent before the message itself: nothing was delivered; this message waits alone.
	if (err.phase === 'envelope') return 'temporary';
	return 'uncertain';
}

/**
 * Why TLS with the relay failed, and the setting to change: STARTTLS refused (Nodemailer asks for
 * it even when the relay does not offer it, SMTP_REQUIRE_TLS for a remote relay), a certificate
 * refused (Node's reasons all name it: expired, self-signed, another name), or anything else.
 */
function tlsFailure(err: SmtpFailure): string {
	if (commandOf(err) === 'STARTTLS')
		return 'Le serveur de courrier ne propose pas STARTTLS, que le portail exige pour un relais distant : activez-le sur le relais, passez SMTP_URL en smtps://…:465, ou réglez SMTP_REQUIRE_TLS=false (déconseillé : courriels et identifiants passent en clair).';
	if (/certificate/i.test(err.message ?? ''))
		return 'Le certificat du serveur de courrier a été refusé (expiré, autosigné ou à un autre nom) : vérifiez que le nom du relais dans SMTP_URL est celui de son certificat.';
	return 'La connexion chiffrée (TLS) avec le serveur de courrier a échoué.';
}

/**
 * What went wrong, in French for the admins' page, then the relay's own words (often English) as a
 * detail; never the message's content or the credentials.
 */
export function describeFailure(error: unknown): string {
	const err = (error ?? {}) as SmtpFailure;
	const outcome = classify(error);
	const command = commandOf(err);
	const login = err.code === 'EAUTH' || command.startsWith('AUTH');
	// The relay's reply to a login may quote what was sent (the credentials, base64-encoded): only
	// its code is kept. Elsewhere, addresses and long tokens are left out: the text is shown to
	// every admin, and copied into each message a long outage gives up.
	const detail = login
		? ''
		: (err.response ?? err.message ?? String(error))
				.slice(0, 300)
				// eslint-disable-next-line regexp/no-super-linear-backtracking, regexp/no-super-linear-move -- on 300 characters at most
				.replace(/<[^<>\s]*@[^<>\s]*>|[^\s<>"]+@[^\s<>"]+/g, '<adresse>')
				.replace(/[A-Za-z0-9+/=]{24,}/g, '…');
	const codes = [err.responseCode, err.code].filter(Boolean).join(' ');
	const unreachable = [...UNREACHABLE].find(
		(code) => err.code === code || (err.message ?? '').includes(code)
	);
	const reply = err.responseCode ? ` (code ${err.responseCode})` : '';
	let summary: string;
	// Credentials and TLS first: a refused login carries a 535 reply code too.
	if (login)
		summary =
			err.responseCode === undefined
				? 'L’identification auprès du serveur de courrier n’a pas pu se faire (mot de passe absent de SMTP_URL, ou identification non proposée) : corrigez le réglage.'
				: `Le serveur de courrier a refusé l’identifiant ou le mot de passe de SMTP_URL${reply} : corrigez le réglage.`;
	else if (err.code === 'ETLS' || /certificate/i.test(err.message ?? '')) summary = tlsFailure(err);
	else if (unreachable) summary = `Serveur de courrier injoignable (${unreachable}).`;
	else if (err.responseCode === 421)
		summary = 'Le serveur de courrier est indisponible pour l’instant (code 421).';
	else if (outcome === 'relay' && command === 'MAIL FROM')
		summary =
			(err.responseCode ?? 0) >= 500
				? `Le serveur de courrier refuse les envois du portail${reply} : vérifiez MAIL_FROM et les droits d’envoi de SMTP_URL.`
				: `Le serveur de courrier ne prend pas de message du portail pour l’instant${reply}.`;
	else if (outcome === 'relay' && (err.responseCode ?? 0) >= 500)
		summary = `Le serveur de courrier refuse la connexion du portail${reply} : vérifiez SMTP_URL.`;
	else if (outcome === 'relay')
		summary = `Le serveur de courrier n’a pas répondu ou a coupé la connexion avant l’envoi${reply}.`;
	else if (outcome === 'policy')
		summary = `Le serveur de courrier refuse de relayer vers cette adresse${reply} : adresse hors de ce qu’il dessert, ou identifiants de SMTP_URL à vérifier.`;
	else if (outcome === 'permanent' && err.responseCode === undefined)
		summary =
			'Refusé avant l’envoi : adresse que le serveur de courrier ne peut pas prendre, ou message trop volumineux pour lui.';
	else if (outcome === 'permanent')
		summary = `Refusé définitivement par le serveur de courrier${reply} : adresse inconnue ou message rejeté.`;
	else if (outcome === 'temporary' && err.responseCode === undefined)
		summary =
			'La connexion avec le serveur de courrier a été coupée avant l’envoi du message : nouvel essai plus tard.';
	else if (outcome === 'temporary')
		summary = `Refusé pour l’instant par le serveur de courrier${reply} : nouvel essai plus tard.`;
	else
		summary =
			'La connexion avec le serveur de courrier a été coupée pendant la remise : le message a peut-être été remis ; il n’est pas renvoyé.';
	return detail
		? `${summary} Détail technique${codes ? ` (${codes})` : ''} : ${detail}`
		: `${summary}${codes ? ` Détail technique : ${codes}.` : ''}`;
}

/**
 * What to do when a message with a one-time link did not go. Refused for good (`permanent`) for its
 * address (`addressAtFault`, addressRefused), the address is the likely cause: a new link would go
 * to it again, and an account's address cannot be changed (no form, no command does), so the way out
 * is another account at the right address. Refused for its content or size, or given up: send again.
 */
function linkRemedy(kind: string, outcome?: Outcome, addressAtFault = false): string {
	if (outcome === 'permanent' && addressAtFault)
		return kind === 'invitation'
			? `${ADDRESS_AT_FAULT} (mal écrite, ou boîte qui n’existe plus) : renvoyer l’invitation la ferait refuser de même. L’adresse d’un compte ne se corrige pas : vérifiez-la auprès de la personne, puis désactivez ce compte et créez-en un à la bonne adresse, depuis la liste des comptes.`
			: 'L’adresse du compte est sans doute en cause (boîte fermée ou qui n’existe plus) : un nouveau lien irait à la même adresse et serait refusé de même. L’adresse d’un compte ne se corrige pas : si la personne en a une autre, désactivez ce compte et créez-en un à cette adresse, depuis la liste des comptes.';
	return kind === 'invitation'
		? 'Renvoyez l’invitation depuis la liste des comptes.'
		: 'La personne peut demander un nouveau lien.';
}

function linkExpiredReason(expiresAt: number, kind: string, now: number): string {
	const remedy = linkRemedy(kind);
	const when = formatMoment(expiresAt);
	return expiresAt <= now
		? `Non envoyé : son lien à usage unique a expiré le ${when}, avant que le serveur de courrier ne prenne le message. ${remedy}`
		: `Non envoyé : son lien à usage unique expire le ${when}, dans moins de ${formatDuration(LINK_MARGIN_MS)}, trop tôt pour servir une fois reçu. ${remedy}`;
}

function retryDelay(attempts: number, baseMs = RETRY_BASE_MS, maxMs = RETRY_MAX_MS): number {
	return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), maxMs);
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
	/**
	 * Why a notification waiting in the outbox must no longer go to its account at `at` (disabled
	 * since, its category turned off since, its campaign's reminder out of date), or null: such a
	 * message is not sent either.
	 */
	recipientProblem?: (message: OutboxRow, at: number) => Promise<string | null>;
}

/**
 * How long the sender waits, after a round refused for a full disk, before its next round: every
 * pollMs, each round tried again to write (the lease) and failed.
 */
export const DISK_FULL_RETRY_MS = 60_000;

/**
 * A link with less life left than this is not sent: it would be dead by the time it is read.
 * (Exported for the tests.)
 */
export const LINK_MARGIN_MS = 5 * 60_000;

export class MailSender {
	private timer: ReturnType<typeof setTimeout> | undefined;
	private heartbeat: ReturnType<typeof setInterval> | undefined;
	private running: Promise<void> | undefined;
	private stopped = false;
	/** Polling (start): a round then stops when the lease is lost. deliverDue alone (tests) is not. */
	private polling = false;
	/** The holder this sender was last told it waits for (logged once each). */
	private waitingFor: string | null = null;
	/** A full disk, logged once an episode (DiskFullEpisode): rounds a minute apart meanwhile. */
	private readonly diskFull: DiskFullEpisode;
	private readonly now: () => number;
	private readonly lease: SenderLease;

	constructor(
		private readonly db: Db,
		private readonly options: SenderOptions
	) {
		this.now = options.now ?? Date.now;
		this.lease = new SenderLease(db, this.now);
		this.diskFull = new DiskFullEpisode(
			db,
			'mail',
			{
				full: 'Espace disque plein : envoi des courriels suspendu, nouvel essai chaque minute',
				over: 'Espace disque de nouveau disponible : envoi des courriels repris'
			},
			this.now
		);
	}

	/**
	 * Takes the right to send this database's mail (or waits for it), then polls the outbox. A
	 * restart is how an operator applies a mended SMTP_URL: the relay is tried at once, whatever
	 * pause was left.
	 */
	async start(): Promise<void> {
		this.polling = true;
		await this.takeLease();
		// A long round (a slow relay, many messages) keeps the lease: rounds renew it only between them.
		this.heartbeat = setInterval(() => void this.renewLease(), SENDER_LEASE_MS / 4);
		this.heartbeat.unref?.();
		this.schedule(0);
	}

	/**
	 * Takes or keeps the lease; on taking it, marks the attempts a previous process left unfinished
	 * and lifts the relay's pause. False while another process sends.
	 */
	private async takeLease(): Promise<boolean> {
		const outcome = await this.lease.take();
		if (outcome === 'kept') return true;
		if (outcome === 'taken') {
			if (this.waitingFor !== null)
				log().info({ event: 'mail-sender-taken' }, 'Ce processus envoie désormais les courriels');
			this.waitingFor = null;
			await liftRelayPause(this.db);
			const interrupted = await interruptUnfinished(this.db, this.now());
			if (interrupted > 0)
				log().warn(
					{ event: 'mail-interrupted', count: interrupted },
					'Courriels interrompus par un arrêt'
				);
			return true;
		}
		const { holder, host, pid } = outcome.waiting;
		// holderPid, not pid: pino's own pid (this process's) is on every line, and a JSON reader
		// keeps the last of two keys. The host's pid namespace (« pid:[4026531836] ») stays in the
		// field, out of the sentence.
		if (this.waitingFor !== holder)
			log().warn(
				{ event: 'mail-sender-waiting', host, holderPid: pid },
				`Un autre processus du portail (machine ${host.replace(/ pid:\[\d+\]$/, '')}, processus ${pid}) envoie les courriels de cette base : celui-ci attend qu’il s’arrête`
			);
		this.waitingFor = holder;
		return false;
	}

	private async renewLease(): Promise<void> {
		if (!this.lease.holding || this.stopped) return;
		try {
			// A renewal that went through does not end a full disk's episode: rewriting the lease's
			// row in place needs no new page.
			if (!(await this.lease.renew()))
				log().warn(
					{ event: 'mail-sender-lost' },
					'Un autre processus a pris l’envoi des courriels de cette base'
				);
		} catch (error) {
			await this.failed(error);
		}
	}

	/**
	 * A round (or the lease's renewal) that failed, in the log. A full disk is one line an episode
	 * (DiskFullEpisode). The database kept locked by another process (a backup, an import) past
	 * the dialect's patience is no error: nothing was written, the next round tries again; a
	 * warning, as for a request (hooks.server.ts).
	 */
	private async failed(error: unknown): Promise<void> {
		if (await this.diskFull.refused(error)) return;
		if (isBusy(error))
			log().warn(
				{ event: 'database-busy', task: 'mail' },
				'Base de données occupée par un autre processus : envoi des courriels remis au tour suivant'
			);
		else
			log().error(
				{ event: 'mail-error', err: error instanceof Error ? error.message : String(error) },
				'Envoi des courriels : erreur'
			);
	}

	private schedule(delay: number): void {
		if (this.stopped) return;
		this.timer = setTimeout(() => {
			// A round that went through ends a full disk's episode only if the database grew: a
			// message's claim and outcome, rewritten in place, pass on a disk still full.
			this.running = this.tick()
				.then(() => this.diskFull.wentThrough())
				.catch((error: unknown) => this.failed(error))
				.finally(() => {
					this.running = undefined;
					this.schedule(this.diskFull.open ? DISK_FULL_RETRY_MS : (this.options.pollMs ?? 2_000));
				});
		}, delay);
		this.timer.unref?.();
	}

	/**
	 * One round of the loop: the hook (digest, reminders), then delivery (or the messages kept,
	 * without SMTP); nothing while another process holds the lease.
	 */
	private async tick(): Promise<void> {
		if (!(await this.takeLease())) return;
		await this.options.beforeDelivery?.(this.now());
		if (!this.options.transport) await keepPending(this.db);
		else await this.deliverDue();
	}

	/** Delivers every message due now, one after the other; returns how many were attempted. */
	async deliverDue(): Promise<number> {
		if (!this.options.transport) {
			await keepPending(this.db);
			return 0;
		}
		let relay = await readRelayState(this.db);
		if (relay.pausedUntil !== null && this.now() < relay.pausedUntil) return 0;
		let attempted = 0;
		const round = { relayFailures: relay.failures, policySeen: false };
		while (!this.stopped && (!this.polling || this.lease.holding)) {
			const message = await this.db
				.transaction()
				.execute((trx) => claimDueMessage(trx, this.now()));
			if (!message) break;
			attempted += 1;
			const ended = await this.deliver(this.options.transport, message, round);
			if (ended === 'relay') break;
			// Once the relay has answered (not a message cancelled without trying it), the outage is over.
			if (ended === 'reached' && relay.failingSince !== null) {
				await clearRelayFailure(this.db);
				relay = { failingSince: null, failures: 0, pausedUntil: null, lastError: null };
				round.relayFailures = 0;
			}
		}
		return attempted;
	}

	/**
	 * A relay down for RELAY_GIVE_UP_MS: the messages written before that are given up together
	 * (they would be days late); those written since keep waiting.
	 */
	private async giveUpAfterLongOutage(failingSince: number | null, lastError: string | null) {
		if (failingSince === null || this.now() - failingSince < RELAY_GIVE_UP_MS) return;
		const given = await this.db
			.transaction()
			.execute((trx) =>
				giveUpWaiting(
					trx,
					this.now() - RELAY_GIVE_UP_MS,
					`le serveur de courrier est en panne ou refuse les envois du portail depuis le ${formatMoment(failingSince)}.${lastError ? ` Dernière erreur : ${lastError}` : ''}`,
					linkRemedy,
					this.now()
				)
			);
		// Mail lost: an error, for the alert of docs/operations.md.
		if (given > 0)
			log().error(
				{ event: 'mail-given-up', count: given },
				'Courriels abandonnés : relais en panne'
			);
	}

	/** One attempt; returns how it ended (`relay`: the relay failed, the round stops). */
	private async deliver(
		transport: MailTransport,
		message: OutboxRow,
		round: { relayFailures: number; policySeen: boolean }
	): Promise<'relay' | 'reached' | 'not-tried'> {
		// A link that no longer works is not sent: the person would follow it to a refusal. A check
		// that fails (a busy database, a lasting fault) counts as a try of this message.
		let dead: string | null;
		try {
			dead = await this.unsendableReason(message);
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
			return 'not-tried';
		}
		if (dead) {
			await markCancelled(this.db, message.id, dead, this.now());
			log().warn(
				{ event: 'mail-link-dead', id: message.id, kind: message.kind },
				'Courriel non envoyé : lien à usage unique expiré ou remplacé, ou destinataire qui n’en veut plus'
			);
			return 'not-tried';
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
			const classified = classify(error);
			// A recipient refused by policy: this message waits alone, unless another recipient of
			// the same round was refused the same way (then it is the relay's refusal).
			const outcome =
				classified === 'policy' ? (round.policySeen ? 'relay' : 'temporary') : classified;
			if (classified === 'policy') round.policySeen = true;
			const reason = describeFailure(error);
			if (outcome === 'relay') {
				// Not this message's fault: its attempt is given back, and every message waits.
				await releaseClaim(this.db, message.id);
				const failures = round.relayFailures + 1;
				round.relayFailures = failures;
				await recordRelayFailure(this.db, {
					now: this.now(),
					failures,
					pausedUntil:
						this.now() + retryDelay(failures, this.options.retryBaseMs, RELAY_RETRY_MAX_MS),
					reason
				});
				const state = await readRelayState(this.db);
				const lasting =
					state.failingSince !== null && this.now() - state.failingSince >= RELAY_ALERT_MS;
				// Why, as the admins' page says it (a login's reply, which may quote credentials, left out).
				log()[lasting ? 'error' : 'warn'](
					{ event: 'mail-relay-down', failures, reason },
					`Serveur de courrier en panne : ${reason}`
				);
				// Only a relay just found failing gives anything up: one mended meanwhile sends them.
				await this.giveUpAfterLongOutage(state.failingSince, state.lastError);
				return 'relay';
			} else {
				await this.notDelivered(message, outcome, reason, addressRefused(error));
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
			}
			return 'reached';
		}
		await markSent(this.db, message.id, this.now());
		log().info({ event: 'mail-sent', id: message.id, kind: message.kind }, 'Courriel remis');
		return 'reached';
	}

	/**
	 * A try of this message that did not deliver: tried again later while the failure is temporary
	 * and attempts are left, else stopped (`interrupted` when it may have been delivered, `failed`
	 * otherwise, with what to do for a one-time link).
	 */
	private async notDelivered(
		message: OutboxRow,
		outcome: Exclude<Outcome, 'relay' | 'policy'>,
		reason: string,
		addressAtFault = false
	): Promise<void> {
		const maxAttempts = this.options.maxAttempts ?? MAX_ATTEMPTS;
		if (outcome === 'temporary' && message.attempts < maxAttempts) {
			const retryAt = this.now() + retryDelay(message.attempts, this.options.retryBaseMs);
			await markRetry(this.db, message.id, retryAt, reason);
			return;
		}
		// A temporary failure given up: not « nouvel essai plus tard » any more.
		const final =
			outcome === 'temporary'
				? `${reason.replace(/ : nouvel essai plus tard\./, '.')} Abandonné après ${message.attempts} essais.`
				: reason;
		const remedy = message.oneTimeLink
			? ` ${linkRemedy(message.kind, outcome, addressAtFault)}`
			: '';
		// A relay's own words may end without a full stop; the remedy is a sentence of its own.
		const ended = remedy && !/[.!?]$/.test(final.trim()) ? `${final.trim()}.` : final;
		await markStopped(
			this.db,
			message.id,
			outcome === 'uncertain' ? 'interrupted' : 'failed',
			`${ended}${remedy}`,
			this.now()
		);
	}

	/**
	 * Why the message must not be sent now, or null: its one-time link will not work when read, or
	 * its account no longer wants it (recipientProblem).
	 */
	private async unsendableReason(message: OutboxRow): Promise<string | null> {
		const unwanted = await this.options.recipientProblem?.(message, this.now());
		if (unwanted) return `Non envoyé : ${unwanted}`;
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
		if (this.heartbeat) clearInterval(this.heartbeat);
		await this.running;
		this.options.transport?.close();
		await this.lease.release();
	}
}
