import type { Executor } from '../db';
import type { MailStatus } from '../db/schema';
import type { MailState } from '../../utils/mail-status';

/**
 * How the reason of a message given up after a long relay outage starts (giveUpWaiting): it is
 * stored `failed` like a refusal, and told apart from one by this reason, which is all it has.
 */
const GIVEN_UP_START = 'Abandonné : ';
const GIVEN_UP_PATTERN = `${GIVEN_UP_START}%`;

/**
 * How the advice of a one-time link refused for good begins (linkRemedy, sender.ts): the address is
 * the likely cause. Only such a refusal marks an account on /admin/utilisateurs: a message given up
 * after temporary refusals (a full mailbox, ten times) or after an outage keeps the advice to send
 * it again, and is no sign of a wrong address.
 */
export const ADDRESS_AT_FAULT = 'L’adresse est sans doute en cause';

/** One message waiting in, or kept by, the outbox. */
export interface OutboxRow {
	id: number;
	messageId: string;
	kind: string;
	recipient: string;
	/** The account written to (null: an address without an account). */
	userId: number | null;
	subject: string;
	text: string;
	html: string;
	unsubscribeUrl: string | null;
	/** Only while the message waits to be sent (see ONE_TIME_LINK in templates.ts). */
	oneTimeLink: string | null;
	/** When that link stops working (ms): the message is no longer sent after it. */
	linkExpiresAt: number | null;
	status: MailStatus;
	attempts: number;
	lastError: string | null;
	createdAt: number;
	sentAt: number | null;
	/** While `pending`: when the sender tries it (again). */
	nextAttemptAt: number;
	/** The campaign it opens or reminds of, if any: checked again before it leaves. */
	campaignId: number | null;
	/** The fiches that campaign message asks for, a JSON array of fiche ids (null: written before 2026_12_14). */
	campaignFicheIds: string | null;
}

export interface NewMessage {
	messageId: string;
	kind: string;
	recipient: string;
	userId: number | null;
	subject: string;
	text: string;
	html: string;
	/** An invitation's or reset's link, which the bodies hold as ONE_TIME_LINK. */
	oneTimeLink?: string | null;
	linkExpiresAt?: number | null;
	unsubscribeUrl: string | null;
}

/**
 * What a message is about, when closing it (a campaign) or deleting it (a séance) must cancel the
 * messages about it that have not left yet.
 */
export type MessageAbout = {
	campaignId?: number;
	/** The fiches a campaign's message asks for: whether it is still of use is judged on them. */
	campaignFicheIds?: number[];
	sittingId?: number;
};

/**
 * What the admins' page lists: the text part, never the HTML part, the one-time link or the
 * unsubscribe link (an admin could turn someone's messages off with it).
 */
const LISTED_COLUMNS = [
	'id',
	'message_id as messageId',
	'kind',
	'recipient',
	'user_id as userId',
	'subject',
	'text_body as text',
	'status',
	'attempts',
	'last_error as lastError',
	'created_at as createdAt',
	'sent_at as sentAt',
	'next_attempt_at as nextAttemptAt'
] as const;

/** A message's every column, as `OutboxRow` names them. */
export const OUTBOX_COLUMNS = [
	...LISTED_COLUMNS,
	'html_body as html',
	'unsubscribe_url as unsubscribeUrl',
	'one_time_link as oneTimeLink',
	'link_expires_at as linkExpiresAt',
	'campaign_id as campaignId',
	'campaign_fiche_ids as campaignFicheIds'
] as const;

/** A message as the admins' page shows it. */
export type ListedMessage = Omit<
	OutboxRow,
	'oneTimeLink' | 'linkExpiresAt' | 'html' | 'unsubscribeUrl' | 'campaignId' | 'campaignFicheIds'
> & { state: MailState };

/** Writes a message to the outbox; call it inside the transaction of the event that causes it. */
export async function insertMessage(
	db: Executor,
	message: NewMessage,
	now: number,
	about: MessageAbout = {}
): Promise<number> {
	const { id } = await db
		.insertInto('mail_outbox')
		.values({
			message_id: message.messageId,
			kind: message.kind,
			recipient: message.recipient,
			user_id: message.userId,
			subject: message.subject,
			text_body: message.text,
			html_body: message.html,
			unsubscribe_url: message.unsubscribeUrl,
			one_time_link: message.oneTimeLink ?? null,
			link_expires_at: message.linkExpiresAt ?? null,
			campaign_id: about.campaignId ?? null,
			campaign_fiche_ids: about.campaignFicheIds ? JSON.stringify(about.campaignFicheIds) : null,
			sitting_id: about.sittingId ?? null,
			status: 'pending',
			next_attempt_at: now,
			created_at: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return id;
}

/**
 * Takes the first-written message due for an attempt: marks it `sending` and counts the attempt,
 * before anything is sent (at-most-once: a message found `sending` after a crash is never sent
 * again). Due messages go in the order they were written, whatever their attempts: after an outage
 * a campaign's opening mail goes before its reminder. Run in a transaction, so that no other
 * sender takes the same message.
 */
export async function claimDueMessage(db: Executor, now: number): Promise<OutboxRow | undefined> {
	const due = await db
		.selectFrom('mail_outbox')
		.select('id')
		.where('status', '=', 'pending')
		.where('next_attempt_at', '<=', now)
		.orderBy('id')
		.limit(1)
		.executeTakeFirst();
	if (!due) return undefined;
	return db
		.updateTable('mail_outbox')
		.set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1) }))
		.where('id', '=', due.id)
		.where('status', '=', 'pending')
		.returning(OUTBOX_COLUMNS)
		.executeTakeFirst();
}

async function setOutcome(
	db: Executor,
	id: number,
	values: {
		status: MailStatus;
		last_error?: string | null;
		next_attempt_at?: number;
		sent_at?: number | null;
		stopped_at?: number;
	}
): Promise<void> {
	await db
		.updateTable('mail_outbox')
		// A one-time link is kept only while the message may still be sent.
		.set({ ...values, ...(values.status === 'pending' ? {} : { one_time_link: null }) })
		.where('id', '=', id)
		.where('status', '=', 'sending')
		.execute();
}

export function markSent(db: Executor, id: number, now: number): Promise<void> {
	return setOutcome(db, id, { status: 'sent', sent_at: now, last_error: null });
}

/** A temporary failure (nothing was delivered): tried again at `nextAttemptAt`. */
export function markRetry(db: Executor, id: number, nextAttemptAt: number, error: string) {
	return setOutcome(db, id, {
		status: 'pending',
		next_attempt_at: nextAttemptAt,
		last_error: error
	});
}

/**
 * « Réessayer maintenant »: every message waiting is due now (those waiting for a later attempt
 * after their own failure too). Returns how many messages wait.
 */
export async function makePendingDue(db: Executor, now: number): Promise<number> {
	await db
		.updateTable('mail_outbox')
		.set({ next_attempt_at: now })
		.where('status', '=', 'pending')
		.where('next_attempt_at', '>', now)
		.execute();
	const { count } = await db
		.selectFrom('mail_outbox')
		.select((eb) => eb.fn.countAll<number>().as('count'))
		.where('status', '=', 'pending')
		.executeTakeFirstOrThrow();
	return Number(count);
}

/** A claim given back untouched: the relay failed before this message was handed over. */
export async function releaseClaim(db: Executor, id: number): Promise<void> {
	await db
		.updateTable('mail_outbox')
		.set((eb) => ({ status: 'pending', attempts: eb('attempts', '-', 1) }))
		.where('id', '=', id)
		.where('status', '=', 'sending')
		.execute();
}

/**
 * After a long relay outage: the messages written at or before `writtenBefore` still waiting are
 * given up together (none outlives an older one), a message with a one-time link with what to do
 * (`remedyFor` its kind). Returns how many.
 */
export async function giveUpWaiting(
	db: Executor,
	writtenBefore: number,
	reason: string,
	remedyFor: (kind: string) => string,
	now: number
): Promise<number> {
	const waiting = await db
		.selectFrom('mail_outbox')
		.select(['kind', (eb) => eb('one_time_link', 'is not', null).as('withLink')])
		.where('status', '=', 'pending')
		.where('created_at', '<=', writtenBefore)
		.groupBy(['kind', 'withLink'])
		.execute();
	let given = 0;
	for (const { kind, withLink } of waiting) {
		const result = await db
			.updateTable('mail_outbox')
			.set({
				status: 'failed',
				last_error: `${GIVEN_UP_START}${withLink ? `${reason} ${remedyFor(kind)}` : reason}`,
				one_time_link: null,
				stopped_at: now
			})
			.where('status', '=', 'pending')
			.where('created_at', '<=', writtenBefore)
			.where('kind', '=', kind)
			.where('one_time_link', withLink ? 'is not' : 'is', null)
			.executeTakeFirst();
		given += Number(result.numUpdatedRows);
	}
	return given;
}

/** The relay's own state (the one row of `mail_relay`). */
export interface RelayState {
	/** Since when the relay fails (ms), or null when it answered last. */
	failingSince: number | null;
	/** Tries in a row the relay failed. */
	failures: number;
	/** No message is tried before this moment (ms), or null. */
	pausedUntil: number | null;
	lastError: string | null;
}

export async function readRelayState(db: Executor): Promise<RelayState> {
	const row = await db
		.selectFrom('mail_relay')
		.select([
			'failing_since as failingSince',
			'failures',
			'paused_until as pausedUntil',
			'last_error as lastError'
		])
		.where('id', '=', 1)
		.executeTakeFirst();
	return row ?? { failingSince: null, failures: 0, pausedUntil: null, lastError: null };
}

/** One more failure of the relay: every message waits until `pausedUntil`. */
export async function recordRelayFailure(
	db: Executor,
	values: { now: number; failures: number; pausedUntil: number; reason: string }
): Promise<void> {
	// An upsert: a row lost (a hand-edited database) must not turn the outage into a silent loop.
	await db
		.insertInto('mail_relay')
		.values({
			id: 1,
			failing_since: values.now,
			failures: values.failures,
			paused_until: values.pausedUntil,
			last_error: values.reason
		})
		.onConflict((oc) =>
			oc.column('id').doUpdateSet((eb) => ({
				failing_since: eb.fn.coalesce('mail_relay.failing_since', eb.val(values.now)),
				failures: values.failures,
				paused_until: values.pausedUntil,
				last_error: values.reason
			}))
		)
		.execute();
}

/** The relay answered: its failures are forgotten. */
export async function clearRelayFailure(db: Executor): Promise<void> {
	await db
		.updateTable('mail_relay')
		.set({ failing_since: null, failures: 0, paused_until: null, last_error: null })
		.where('id', '=', 1)
		.where('failing_since', 'is not', null)
		.execute();
}

/** A restart, or « Réessayer maintenant »: the relay is tried at the next round. */
export async function liftRelayPause(db: Executor): Promise<void> {
	await db
		.updateTable('mail_relay')
		.set({ paused_until: null })
		.where('id', '=', 1)
		.where('paused_until', 'is not', null)
		.execute();
}

/** `failed` (refused for good) or `interrupted` (may have been delivered: never sent again). */
export function markStopped(
	db: Executor,
	id: number,
	status: 'failed' | 'interrupted',
	error: string,
	now: number
) {
	return setOutcome(db, id, { status, last_error: error, stopped_at: now });
}

/**
 * A claimed message not sent because its one-time link no longer works: `cancelled`, the link
 * cleared, and the claim's attempt given back (nothing was tried with the relay).
 */
export async function markCancelled(
	db: Executor,
	id: number,
	reason: string,
	now: number
): Promise<void> {
	await db
		.updateTable('mail_outbox')
		.set((eb) => ({
			status: 'cancelled',
			last_error: reason,
			stopped_at: now,
			one_time_link: null,
			attempts: eb('attempts', '-', 1)
		}))
		.where('id', '=', id)
		.where('status', '=', 'sending')
		.execute();
}

/**
 * A campaign closed, or a séance deleted: the messages about it not yet handed to the relay are
 * cancelled with `reason` (one being handed over at that moment goes); with `only`, those of that
 * kind to those accounts alone (a reminder replaced by a newer one). The accounts they were for,
 * one entry per message.
 */
export async function cancelPendingAbout(
	db: Executor,
	about: { campaignId: number } | { sittingId: number },
	reason: string,
	only?: { kind: string; userIds: number[] },
	now = Date.now()
): Promise<(number | null)[]> {
	if (only?.userIds.length === 0) return [];
	const rows = await db
		.updateTable('mail_outbox')
		.set({ status: 'cancelled', last_error: reason, stopped_at: now })
		.$if(only !== undefined, (q) =>
			q.where('kind', '=', only!.kind).where('user_id', 'in', only!.userIds)
		)
		.$if('campaignId' in about, (q) =>
			q.where('campaign_id', '=', 'campaignId' in about ? about.campaignId : null)
		)
		.$if('sittingId' in about, (q) =>
			q.where('sitting_id', '=', 'sittingId' in about ? about.sittingId : null)
		)
		.where('status', '=', 'pending')
		.returning('user_id')
		.execute();
	return rows.map((row) => row.user_id);
}

/** Whether a message of `kind` about the séance, written at `writtenSince` or after, still waits to leave (pending). */
export async function hasPendingAboutSitting(
	db: Executor,
	sittingId: number,
	kind: string,
	writtenSince: number
): Promise<boolean> {
	const row = await db
		.selectFrom('mail_outbox')
		.select('id')
		.where('sitting_id', '=', sittingId)
		.where('kind', '=', kind)
		.where('status', '=', 'pending')
		.where('created_at', '>=', writtenSince)
		.executeTakeFirst();
	return row !== undefined;
}

/** How many cancellations of a séance were written (kind `cancelled`), whatever became of them. */
export async function countCancellationsOfSitting(
	db: Executor,
	sittingId: number
): Promise<number> {
	const row = await db
		.selectFrom('mail_outbox')
		.select((eb) => eb.fn.countAll<number>().as('count'))
		.where('sitting_id', '=', sittingId)
		.where('kind', '=', 'cancelled')
		.executeTakeFirstOrThrow();
	return Number(row.count);
}

/** How many messages about the campaign were cancelled for `reason` (cancelPendingAbout's). */
export async function countCancelledAboutCampaign(
	db: Executor,
	campaignId: number,
	reason: string
): Promise<number> {
	const row = await db
		.selectFrom('mail_outbox')
		.select((eb) => eb.fn.countAll<number>().as('count'))
		.where('campaign_id', '=', campaignId)
		.where('status', '=', 'cancelled')
		.where('last_error', '=', reason)
		.executeTakeFirstOrThrow();
	return Number(row.count);
}

/**
 * For each of `userIds`, when the latest message of `kind` about the campaign was written for
 * them (ms), unless it was refused or cancelled (it told them nothing); absent: none.
 */
export async function lastWrittenAboutCampaign(
	db: Executor,
	campaignId: number,
	kind: string,
	userIds: number[]
): Promise<Map<number, number>> {
	if (userIds.length === 0) return new Map();
	const rows = await db
		.selectFrom('mail_outbox')
		.select((eb) => ['user_id as userId', eb.fn.max('created_at').as('writtenAt')])
		.where('campaign_id', '=', campaignId)
		.where('kind', '=', kind)
		.where('status', 'not in', ['failed', 'cancelled'])
		.where('user_id', 'in', userIds)
		.groupBy('user_id')
		.execute();
	return new Map(rows.flatMap((r) => (r.userId === null ? [] : [[r.userId, r.writtenAt]])));
}

/**
 * Of `userIds`, those a message about the séance reached, or may have reached (handed to the relay,
 * or interrupted while it was).
 */
export async function findReachedAboutSitting(
	db: Executor,
	sittingId: number,
	userIds: number[]
): Promise<Set<number>> {
	if (userIds.length === 0) return new Set();
	const rows = await db
		.selectFrom('mail_outbox')
		.select('user_id')
		.distinct()
		.where('sitting_id', '=', sittingId)
		.where('status', 'in', ['sent', 'sending', 'interrupted'])
		.where('user_id', 'in', userIds)
		.execute();
	return new Set(rows.flatMap((row) => (row.user_id === null ? [] : [row.user_id])));
}

/**
 * At start-up: a message still `sending` was being handed to the relay when the process died. It
 * may or may not have been delivered; it is never sent again (at-most-once) and shows as
 * interrupted at /admin/courriels.
 */
export async function interruptUnfinished(db: Executor, now: number): Promise<number> {
	const result = await db
		.updateTable('mail_outbox')
		.set({
			status: 'interrupted',
			one_time_link: null,
			stopped_at: now,
			last_error: 'Envoi interrompu par un arrêt du serveur : peut-être remis, jamais renvoyé.'
		})
		.where('status', '=', 'sending')
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

/** Without SMTP_URL: pending messages stay in the outbox, marked as not sent by SMTP. */
export async function keepPending(db: Executor): Promise<number> {
	const result = await db
		.updateTable('mail_outbox')
		.set({ status: 'kept', last_error: null, one_time_link: null })
		.where('status', '=', 'pending')
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

/**
 * The accounts whose latest invitation message (kind `invitation`: an invitation, or a link an admin
 * sent) the relay refused for good, its address the likely cause (ADDRESS_AT_FAULT in its
 * reason; not given up after temporary refusals or an outage), as a table of `userId` to join: one pass over the outbox for every account,
 * within the accounts' own query. A newer invitation, sent or waiting, takes the account out.
 */
export function invitationRefusals(db: Executor) {
	return db
		.selectFrom('mail_outbox')
		.innerJoin(
			(eb) =>
				eb
					.selectFrom('mail_outbox')
					.select((l) => l.fn.max('id').as('id'))
					.where('kind', '=', 'invitation')
					.where('user_id', 'is not', null)
					.groupBy('user_id')
					.as('latest'),
			(join) => join.onRef('latest.id', '=', 'mail_outbox.id')
		)
		.select('mail_outbox.user_id as userId')
		.where('mail_outbox.status', '=', 'failed')
		.where('mail_outbox.last_error', 'like', `%${ADDRESS_AT_FAULT}%`);
}

/** The most recent messages (of one status, if given), newest first (admin page). */
export async function listMessages(
	db: Executor,
	limit: number,
	offset: number,
	state?: MailState
): Promise<ListedMessage[]> {
	const status = state === 'given_up' ? 'failed' : state;
	const rows = await db
		.selectFrom('mail_outbox')
		.select(LISTED_COLUMNS)
		.$if(status !== undefined, (q) => q.where('status', '=', status!))
		.$if(state === 'given_up', (q) => q.where('last_error', 'like', GIVEN_UP_PATTERN))
		.$if(state === 'failed', (q) =>
			q.where((eb) =>
				eb.or([eb('last_error', 'is', null), eb('last_error', 'not like', GIVEN_UP_PATTERN)])
			)
		)
		.orderBy('id', 'desc')
		.limit(limit)
		.offset(offset)
		.execute();
	return rows.map((row) => ({ ...row, state: stateOf(row.status, row.lastError) }));
}

/** A message given up after a long outage is `failed` in the table, `given_up` on the page. */
function stateOf(status: MailStatus, lastError: string | null): MailState {
	return status === 'failed' && lastError?.startsWith(GIVEN_UP_START) ? 'given_up' : status;
}

export async function countMessagesByStatus(
	db: Executor
): Promise<Partial<Record<MailState, number>>> {
	const rows = await db
		.selectFrom('mail_outbox')
		.select([
			'status',
			(eb) => eb('last_error', 'like', GIVEN_UP_PATTERN).as('givenUp'),
			(eb) => eb.fn.countAll<number>().as('count')
		])
		.groupBy(['status', 'givenUp'])
		.execute();
	const counts: Partial<Record<MailState, number>> = {};
	for (const row of rows) {
		const state = stateOf(row.status, row.givenUp ? GIVEN_UP_START : null);
		counts[state] = (counts[state] ?? 0) + Number(row.count);
	}
	return counts;
}
