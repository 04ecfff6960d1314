import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db';
import { diskRecentlyFull, noteDiskFull } from '../db/dialect';
import { openDatabase } from '../db';
import { migrateToLatest } from '../db/migrate';
import { createTestDb, scratchDir } from '../db/testing';
import { createLogger, log } from '../log.js';
import { insertMessage, readRelayState } from './outbox-repository';
import { readSenderLease } from './sender-lease-repository';
import { SENDER_LEASE_MS } from './sender-lease';
import { createTestUser, PEOPLE } from '../auth/testing';
import { passwordResetMail } from './messages';
import { configureMail, outboxPage, queueMail, retryWaitingMail } from './outbox';
import {
	DISK_FULL_RETRY_MS,
	LINK_MARGIN_MS,
	MailSender,
	type MailTransport,
	RELAY_ALERT_MS,
	addressRefused,
	classify,
	describeFailure,
	smtpTransport
} from './sender';
import { formatDuration } from '../../utils/format';
import { RELAY_GIVE_UP_MS } from '../../utils/rules';
import { findMessage, startScriptedRelay, startSmtp, type TestSmtp } from './testing';
import { mailStatusOfSlug } from '../../utils/mail-status';
import { mailStatusCount } from '../../utils/vocabulary';

let db: Db;
let smtp: TestSmtp;
let clock = Date.parse('2026-03-02T09:00:00Z');
const now = () => clock;

beforeEach(async () => {
	db = await createTestDb({ seed: false });
	smtp = await startSmtp();
	clock = Date.parse('2026-03-02T09:00:00Z');
});
afterEach(async () => {
	await smtp.close();
	await db.destroy();
	// A log spy a test leaves in place would swallow the lines of the tests after it, in this file
	// and in the files the same worker runs next (the fast project does not isolate them).
	expect([vi.isMockFunction(log().error), vi.isMockFunction(log().warn)]).toEqual([false, false]);
});

async function queue(subject = 'Votre invitation', unsubscribeUrl: string | null = null) {
	return db.transaction().execute((trx) =>
		insertMessage(
			trx,
			{
				messageId: `<${subject.replace(/\W/g, '')}-${Math.random().toString(36).slice(2)}@lot-numerique.test>`,
				kind: 'essai',
				recipient: 'paul@cdg46.test',
				userId: null,
				subject,
				text: 'Bonjour Paul,\nhttps://sdusn.test/espace\n',
				html: '<p>Bonjour Paul, <a href="https://sdusn.test/espace">votre espace</a></p>',
				unsubscribeUrl
			},
			clock
		)
	);
}

/** A message to another recipient. */
function queueTo(recipient: string, subject: string) {
	return db.transaction().execute((trx) =>
		insertMessage(
			trx,
			{
				messageId: `<${Math.random().toString(36).slice(2)}@lot-numerique.test>`,
				kind: 'essai',
				recipient,
				userId: null,
				subject,
				text: 'Bonjour,\n',
				html: '<p>Bonjour,</p>',
				unsubscribeUrl: null
			},
			clock
		)
	);
}

/** A password-reset message to Paul, its link valid until `expiresAt`. */
function queueReset(token: string, expiresAt: number) {
	return db
		.transaction()
		.execute((trx) =>
			queueMail(
				trx,
				'reset',
				{ id: null, email: 'paul@cdg46.test' },
				passwordResetMail({ name: 'Paul' }, { token, expiresAt }),
				clock
			)
		);
}

function sender(overrides: Partial<ConstructorParameters<typeof MailSender>[1]> = {}) {
	return new MailSender(db, {
		transport: smtpTransport(smtp.config),
		from: 'Portail SDUSN <ne-pas-repondre@lot-numerique.test>',
		now,
		retryBaseMs: 60_000,
		...overrides
	});
}

/** Runs `act` against a relay scripted by `script` (startScriptedRelay), closed afterwards. */
async function withScriptedRelay(
	script: Parameters<typeof startScriptedRelay>[0],
	act: (relay: Awaited<ReturnType<typeof startScriptedRelay>>) => Promise<void>
): Promise<void> {
	const relay = await startScriptedRelay(script);
	try {
		await act(relay);
	} finally {
		await relay.close();
	}
}

describe('the outbox sender', () => {
	it('delivers a message through SMTP: both parts, its Message-ID and unsubscribe headers', async () => {
		const id = await queue('Rappel', 'https://sdusn.test/desabonnement/abc');
		expect(await sender().deliverDue()).toBe(1);
		expect(smtp.received).toHaveLength(1);
		const { mail, envelopeTo } = smtp.received[0]!;
		expect(envelopeTo).toEqual(['paul@cdg46.test']);
		expect(mail.subject).toBe('Rappel');
		expect(mail.from?.value).toEqual([
			{ name: 'Portail SDUSN', address: 'ne-pas-repondre@lot-numerique.test' }
		]);
		expect(mail.text).toContain('https://sdusn.test/espace');
		expect(mail.html).toContain('<a href="https://sdusn.test/espace">');
		const row = await findMessage(db, id);
		expect(mail.messageId).toBe(row!.messageId);
		const lines = mail.headerLines.map((h) => h.line);
		expect(lines).toContain('List-Unsubscribe: <https://sdusn.test/desabonnement/abc>');
		expect(lines).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
		expect(lines).toContain('Auto-Submitted: auto-generated');
		expect(row).toMatchObject({ status: 'sent', attempts: 1, sentAt: clock });
	});

	it('sends transactional messages without List-Unsubscribe, as automatically generated', async () => {
		await queue('Invitation');
		await sender().deliverDue();
		const lines = smtp.received[0]!.mail.headerLines.map((h) => h.key);
		expect(lines).not.toContain('list-unsubscribe');
		expect(lines).not.toContain('list-unsubscribe-post');
		expect(smtp.received[0]!.mail.headers.get('auto-submitted')).toBe('auto-generated');
	});

	it('sends a one-time link to the recipient only: never in the stored bodies, gone from the outbox once its fate is known', async () => {
		const link = 'http://localhost:3000/mot-de-passe-oublie/secret-token-123';
		const reset = (subject: string) =>
			db.transaction().execute((trx) =>
				queueMail(
					trx,
					'reset',
					{ id: null, email: 'paul@cdg46.test' },
					passwordResetMail(
						{ name: 'Paul' },
						{ token: 'secret-token-123', expiresAt: clock + 1_800_000 }
					),
					clock
				).then(async (id) => {
					await trx.updateTable('mail_outbox').set({ subject }).where('id', '=', id).execute();
					return id;
				})
			);
		const sent = await reset('envoyé');
		const refused = await reset('refusé');
		const stored = (id: number) =>
			db
				.selectFrom('mail_outbox')
				.select(['text_body', 'html_body', 'one_time_link'])
				.where('id', '=', id)
				.executeTakeFirstOrThrow();
		// Waiting to be sent: the link is apart, the bodies hold its placeholder.
		expect(await stored(sent)).toMatchObject({ one_time_link: link });
		expect(JSON.stringify(await stored(sent))).toContain('{{lien-a-usage-unique}}');

		smtp.refuseNext.push(0, 550);
		await sender().deliverDue();
		const kept = await reset('gardé');
		await sender({ transport: null }).deliverDue();
		expect(smtp.received).toHaveLength(1);
		expect(smtp.received[0]!.mail.text).toContain(`Choisir un nouveau mot de passe\u00a0: ${link}`);
		expect(smtp.received[0]!.mail.html).toContain(`href="${link}"`);
		for (const id of [sent, refused, kept]) {
			const row = await stored(id);
			expect(row.one_time_link).toBeNull();
			expect(`${row.text_body}${row.html_body}`).not.toContain('secret-token-123');
		}
		expect((await findMessage(db, refused))?.status).toBe('failed');
		expect((await findMessage(db, kept))?.status).toBe('kept');
		const page = await outboxPage(db, 1);
		expect(JSON.stringify(page)).not.toContain('secret-token-123');
		expect(page.messages[0]!.text).toContain(
			'(lien à usage unique : réservé au destinataire, jamais montré ici)'
		);
	});

	it('does not send a one-time link that expired while the relay was refusing it', async () => {
		const late = await queueReset('court-123', clock + 30 * 60_000);
		const inTime = await queueReset('long-456', clock + 7 * 86_400_000);
		smtp.refuseNext.push(421);
		const s = sender();
		// The relay closes (421): both wait, their attempts untouched.
		expect(await s.deliverDue()).toBe(1);
		expect(smtp.received).toHaveLength(0);
		expect(await findMessage(db, late)).toMatchObject({ status: 'pending', attempts: 0 });
		expect(await findMessage(db, inTime)).toMatchObject({ status: 'pending', attempts: 0 });
		// The relay answers again 31 minutes later: the reset link has expired, the invitation has not.
		clock += 31 * 60_000;
		expect(await s.deliverDue()).toBe(2);
		expect(smtp.received).toHaveLength(1);
		expect(smtp.received[0]!.mail.text).toContain('long-456');
		const expired = await findMessage(db, late);
		// Not sent, not counted as tried.
		expect(expired).toMatchObject({ status: 'cancelled', attempts: 0, oneTimeLink: null });
		expect(expired!.lastError).toMatch(
			/^Non envoyé : son lien à usage unique a expiré le 2\u00a0mars\u00a02026 à 10\u00a0h\u00a030,/
		);
		expect(await findMessage(db, inTime)).toMatchObject({ status: 'sent' });
	});

	it('does not send a link with less than five minutes of life left, nor one its linkProblem ends', async () => {
		const almost = await queueReset('presque-123', clock + LINK_MARGIN_MS - 1000);
		const replaced = await queueReset('remplace-456', clock + 30 * 60_000);
		const live = await queueReset('vivant-789', clock + 30 * 60_000);
		const asked: string[] = [];
		const s = sender({
			linkProblem: async (link) => {
				asked.push(link);
				return link.endsWith('remplace-456') ? 'remplacé par un lien plus récent.' : null;
			}
		});
		expect(await s.deliverDue()).toBe(3);
		expect(smtp.received.map((r) => r.mail.text)).toEqual([expect.stringContaining('vivant-789')]);
		expect(await findMessage(db, almost)).toMatchObject({ status: 'cancelled', attempts: 0 });
		// The margin in words from LINK_MARGIN_MS (issue #14: « 5 minutes » was typed beside it).
		const { lastError } = (await findMessage(db, almost))!;
		expect(lastError).toMatch(/^Non envoyé : son lien à usage unique expire le .*, dans moins de /);
		expect(lastError).toContain(
			`dans moins de ${formatDuration(LINK_MARGIN_MS)}, trop tôt pour servir une fois reçu. La personne peut demander un nouveau lien.`
		);
		expect(await findMessage(db, replaced)).toMatchObject({
			status: 'cancelled',
			lastError: 'Non envoyé : remplacé par un lien plus récent.'
		});
		expect(await findMessage(db, live)).toMatchObject({ status: 'sent' });
		expect(asked).toHaveLength(2);
	});

	it('counts a link check that fails as a try: it backs off, goes on with the others, gives up at last', async () => {
		const unchecked = await queueReset('a-verifier-123', clock + 7 * 86_400_000);
		const other = await queue('Autre');
		const s = sender({
			maxAttempts: 3,
			linkProblem: async () => {
				throw new Error('SQLITE_BUSY: database is locked');
			}
		});
		expect(await s.deliverDue()).toBe(2);
		expect(smtp.received.map((r) => r.mail.subject)).toEqual(['Autre']);
		expect(await findMessage(db, other)).toMatchObject({ status: 'sent' });
		expect(await findMessage(db, unchecked)).toMatchObject({
			status: 'pending',
			attempts: 1,
			nextAttemptAt: clock + 60_000,
			lastError: 'Vérification du lien à usage unique impossible : nouvel essai plus tard.'
		});
		// A lasting fault: tried after one minute, then two, then given up, not every minute for ever.
		clock += 60_000;
		expect(await s.deliverDue()).toBe(1);
		expect(await findMessage(db, unchecked)).toMatchObject({
			status: 'pending',
			attempts: 2,
			nextAttemptAt: clock + 120_000
		});
		clock += 120_000;
		expect(await s.deliverDue()).toBe(1);
		expect(await findMessage(db, unchecked)).toMatchObject({
			status: 'failed',
			attempts: 3,
			oneTimeLink: null,
			lastError:
				'Vérification du lien à usage unique impossible. Abandonné après 3 essais. La personne peut demander un nouveau lien.'
		});
		clock += 86_400_000;
		expect(await s.deliverDue()).toBe(0);
		expect(smtp.received).toHaveLength(1);
	});

	it('when the relay itself fails, every message waits, none spends an attempt, all go in writing order', async () => {
		const opening = await queue('Ouverture de la campagne');
		const reminder = await queue('Rappel J-3');
		smtp.refuseNext.push(421);
		const s = sender();
		expect(await s.deliverDue()).toBe(1);
		// The relay closes (421): not this message's fault, its attempt is given back.
		expect(await findMessage(db, opening)).toMatchObject({ status: 'pending', attempts: 0 });
		expect(await findMessage(db, reminder)).toMatchObject({ status: 'pending', attempts: 0 });
		const relay = await readRelayState(db);
		expect(relay).toMatchObject({ failingSince: clock, failures: 1, pausedUntil: clock + 60_000 });
		expect(relay.lastError).toMatch(
			/^Le serveur de courrier est indisponible pour l’instant \(code 421\)/
		);
		// One written meanwhile waits too…
		clock += 30_000;
		const later = await queue('Notification');
		expect(await s.deliverDue()).toBe(0);
		// …and once the relay may be tried again, all three go in the order they were written.
		clock += 30_000;
		expect(await s.deliverDue()).toBe(3);
		expect(smtp.received.map((r) => r.mail.subject)).toEqual([
			'Ouverture de la campagne',
			'Rappel J-3',
			'Notification'
		]);
		expect(await findMessage(db, opening)).toMatchObject({ status: 'sent', attempts: 1 });
		expect(await findMessage(db, later)).toMatchObject({ status: 'sent', attempts: 1 });
		// The relay answered: the outage is over.
		expect(await readRelayState(db)).toMatchObject({ failingSince: null, failures: 0 });
	});

	it('says in the log why the relay is down, as the admins’ page does', async () => {
		await queue('Ouverture');
		await smtp.close();
		const warn = vi.spyOn(log(), 'warn');
		await sender().deliverDue();
		const down = warn.mock.calls.find(
			([fields]) => (fields as { event?: string }).event === 'mail-relay-down'
		);
		warn.mockRestore();
		smtp = await startSmtp();
		expect(down?.[0]).toMatchObject({
			failures: 1,
			reason: expect.stringMatching(/^Serveur de courrier injoignable \(ECONNREFUSED\)/)
		});
		expect(down?.[1]).toMatch(/^Serveur de courrier en panne : Serveur de courrier injoignable/);
	});

	it('the alert filter of docs/operations.md catches a lasting outage and the mail given up, in the lines the log writes', async () => {
		const doc = readFileSync(join(process.cwd(), 'docs/operations.md'), 'utf8');
		const filter = /`journalctl -u sdusn -o cat \| grep -E '([^']+)'`/.exec(doc)?.[1];
		expect(filter).toBeDefined();
		// The lines as the portal's logger writes them (level as a word, JSON), not the calls.
		const lines: string[] = [];
		const written = createLogger('info', { write: (line: string) => void lines.push(line) });
		const warn = vi
			.spyOn(log(), 'warn')
			.mockImplementation(((fields: object, text: string) => written.warn(fields, text)) as never);
		const error = vi
			.spyOn(log(), 'error')
			.mockImplementation(((fields: object, text: string) => written.error(fields, text)) as never);
		const start = clock;
		await queue('Ouverture');
		await smtp.close();
		const s = sender();
		await s.deliverDue();
		clock = start + RELAY_ALERT_MS;
		await s.deliverDue();
		clock = start + RELAY_GIVE_UP_MS;
		await s.deliverDue();
		warn.mockRestore();
		error.mockRestore();
		smtp = await startSmtp();
		const alerted = lines
			.filter((line) => new RegExp(filter!).test(line))
			.map((line) => (JSON.parse(line) as { event: string }).event);
		const all = lines.map((line) => (JSON.parse(line) as { event: string }).event);
		expect(all).toEqual(['mail-relay-down', 'mail-relay-down', 'mail-relay-down', 'mail-given-up']);
		// The first failure (a relay restarting) alerts no one; an hour later, every failure does.
		expect(alerted).toEqual(['mail-relay-down', 'mail-relay-down', 'mail-given-up']);
	});

	it('a long outage: the pause grows, no message fails one by one, and after three days the older ones are given up together', async () => {
		const ids = [await queue('Ouverture'), await queue('Rappel'), await queue('Clôture')];
		await smtp.close();
		const s = sender({ maxAttempts: 3 });
		const tries: number[] = [];
		const start = clock;
		// Minute by minute up to the 101st try (8 h); then one try an hour before the three days are
		// up. Every try of the three days (860, a failed connection each) took 14 to 20 s on a
		// loaded machine, over the time limit, and proved nothing more.
		while (tries.length <= 100) {
			if ((await s.deliverDue()) > 0) tries.push(clock - start);
			clock += 60_000;
		}
		clock = start + RELAY_GIVE_UP_MS - 3_600_000;
		expect(await s.deliverDue()).toBeGreaterThan(0);
		// 0, 1, 3, 7 minutes, then every five: more tries than maxAttempts, none counted.
		expect(tries.slice(0, 6)).toEqual([0, 1, 3, 7, 12, 17].map((m) => m * 60_000));
		expect(tries[100]! - tries[99]!).toBe(5 * 60_000);
		for (const id of ids)
			expect(await findMessage(db, id)).toMatchObject({ status: 'pending', attempts: 0 });
		// Written during the outage: it waits, and is not given up with the older ones.
		const recent = await queue('Récent');
		clock = start + RELAY_GIVE_UP_MS;
		await s.deliverDue();
		for (const id of ids) {
			const row = await findMessage(db, id);
			expect(row).toMatchObject({ status: 'failed', attempts: 0 });
			expect(row!.lastError).toMatch(
				/^Abandonné : le serveur de courrier est en panne ou refuse les envois du portail depuis le 2\u00a0mars\u00a02026 à 10\u00a0h\. Dernière erreur : Serveur de courrier injoignable \(ECONNREFUSED\)/
			);
		}
		expect(await findMessage(db, recent)).toMatchObject({ status: 'pending' });
		smtp = await startSmtp();
	}, 60_000);

	it('after three days of outage, only a relay found failing again gives the old messages up', async () => {
		const old = await queue('Ancien');
		clock += RELAY_GIVE_UP_MS;
		const outage = { failing_since: clock - RELAY_GIVE_UP_MS, failures: 40, last_error: 'Panne.' };
		// The pause is over and the relay was mended meanwhile: the message goes, nothing is given up.
		await db
			.updateTable('mail_relay')
			.set({ ...outage, paused_until: clock - 1 })
			.execute();
		expect(await sender().deliverDue()).toBe(1);
		expect(await findMessage(db, old)).toMatchObject({ status: 'sent' });
		// Still failing at the next try: the messages of three days ago are given up.
		const older = await queue('Plus ancien');
		clock += RELAY_GIVE_UP_MS;
		await db
			.updateTable('mail_relay')
			.set({ ...outage, failing_since: clock - RELAY_GIVE_UP_MS, paused_until: clock - 1 })
			.execute();
		smtp.refuseNext.push(421);
		expect(await sender().deliverDue()).toBe(1);
		expect(await findMessage(db, older)).toMatchObject({ status: 'failed', attempts: 0 });
	});

	// Review s44 (staff): given up after an outage, they were « refusé (définitif) », counted with 5xx.
	it('tells the admins’ page the messages given up after an outage from those the relay refused', async () => {
		const refused = await queue('Refusé');
		await db
			.updateTable('mail_outbox')
			.set({ status: 'failed', last_error: 'Refusé par le serveur de courrier (550).' })
			.where('id', '=', refused)
			.execute();
		const old = await queue('Ancien');
		clock += RELAY_GIVE_UP_MS;
		await db
			.updateTable('mail_relay')
			.set({ failing_since: clock - RELAY_GIVE_UP_MS, failures: 40, paused_until: clock - 1 })
			.execute();
		smtp.refuseNext.push(421);
		await sender().deliverDue();
		expect(await findMessage(db, old)).toMatchObject({ status: 'failed' });

		const all = await outboxPage(db, 1);
		expect(all.counts).toEqual({ failed: 1, given_up: 1 });
		expect(all.messages.map((m) => [m.subject, m.state])).toEqual([
			['Ancien', 'given_up'],
			['Refusé', 'failed']
		]);
		const givenUp = await outboxPage(db, 1, mailStatusOfSlug('abandonnes'));
		expect(givenUp.messages.map((m) => m.subject)).toEqual(['Ancien']);
		const failed = await outboxPage(db, 1, mailStatusOfSlug('refuses'));
		expect(failed.messages.map((m) => m.subject)).toEqual(['Refusé']);
		expect(mailStatusCount('given_up', 2)).toBe('2 abandonnés (panne du serveur de courrier)');
	});

	it('records an outage even when the relay’s row was lost', async () => {
		await db.deleteFrom('mail_relay').execute();
		await queue();
		smtp.refuseNext.push(421);
		expect(await sender().deliverDue()).toBe(1);
		expect(await readRelayState(db)).toMatchObject({ failingSince: clock, failures: 1 });
	});

	it('a restart tries the relay at once, the held messages first', async () => {
		await queue('Ouverture');
		await queue('Rappel');
		smtp.refuseNext.push(421);
		expect(await sender().deliverDue()).toBe(1);
		clock += 10_000;
		await queue('Notification');
		// The operator mends SMTP_URL and restarts: the pause is lifted, the order kept.
		const restarted = sender({ pollMs: 3_600_000 });
		await restarted.start();
		await restarted.stop();
		expect(await sender().deliverDue()).toBe(3);
		expect(smtp.received.map((r) => r.mail.subject)).toEqual([
			'Ouverture',
			'Rappel',
			'Notification'
		]);
	});

	it('a refusal of one recipient (451) does not hold the others', async () => {
		const first = await queue('Premier');
		await queue('Second');
		smtp.refuseNext.push(451);
		expect(await sender().deliverDue()).toBe(2);
		expect(smtp.received.map((r) => r.mail.subject)).toEqual(['Second']);
		expect(await findMessage(db, first)).toMatchObject({ status: 'pending', attempts: 1 });
	});

	it('« Réessayer maintenant » sends the waiting messages before their next attempt, and is journaled', async () => {
		const admin = await createTestUser(db, { ...PEOPLE.admin, password: null });
		const previous = configureMail({
			origin: 'https://sdusn.test',
			from: 'x@y.test',
			relayed: false
		});
		try {
			expect(await retryWaitingMail(db, admin, null, clock)).toMatchObject({
				ok: false,
				status: 409,
				message: expect.stringMatching(/^Aucun serveur de courrier n’est configuré/)
			});
			configureMail({ origin: 'https://sdusn.test', from: 'x@y.test', relayed: true });
			const id = await queue('Rappel');
			await queue('Autre');
			smtp.refuseNext.push(421);
			const s = sender();
			expect(await s.deliverDue()).toBe(1);
			// Two minutes before the next attempt, the relay is mended and an admin asks.
			clock += 10_000;
			expect(await s.deliverDue()).toBe(0);
			smtp.refuseNext.length = 0;
			expect(await retryWaitingMail(db, admin, '203.0.113.9', clock)).toEqual({
				ok: true,
				value: { count: 2 }
			});
			expect(await s.deliverDue()).toBe(2);
			expect(smtp.received.map((r) => r.mail.subject)).toEqual(['Rappel', 'Autre']);
			expect(await findMessage(db, id)).toMatchObject({ status: 'sent', attempts: 1 });
			// Nothing waits any more (another tab sent them): nothing done, not journaled, and not a
			// refusal, so that the page shows the list as it is now.
			expect(await retryWaitingMail(db, admin, null, clock)).toEqual({
				ok: true,
				value: { count: 0 }
			});
			const journal = await db
				.selectFrom('audit_event')
				.select(['action', 'summary', 'actor_label'])
				.execute();
			expect(journal).toEqual([
				{
					action: 'mail.retried',
					summary: '2\u00a0courriels en attente réessayés maintenant',
					actor_label: 'Anne Admin'
				}
			]);
		} finally {
			configureMail(previous);
		}
	});

	it('retries after a 451 with the same Message-ID and delivers once', async () => {
		const id = await queue();
		smtp.refuseNext.push(451);
		const s = sender();
		await s.deliverDue();
		expect(smtp.received).toHaveLength(0);
		expect(await findMessage(db, id)).toMatchObject({ status: 'pending', attempts: 1 });
		expect((await findMessage(db, id))!.lastError).toContain('451');
		// Not before its delay…
		clock += 59_000;
		expect(await s.deliverDue()).toBe(0);
		clock += 1_000;
		expect(await s.deliverDue()).toBe(1);
		expect(smtp.received).toHaveLength(1);
		expect(await findMessage(db, id)).toMatchObject({ status: 'sent', attempts: 2 });
		clock += 86_400_000;
		expect(await s.deliverDue()).toBe(0);
		expect(smtp.received).toHaveLength(1);
		expect(smtp.received[0]!.mail.messageId).toBe((await findMessage(db, id))!.messageId);
	});

	it('marks a 550 as failed at once and never tries it again', async () => {
		const id = await queue();
		smtp.refuseNext.push(550);
		const s = sender();
		await s.deliverDue();
		clock += 7 * 86_400_000;
		expect(await s.deliverDue()).toBe(0);
		expect(smtp.received).toHaveLength(0);
		const row = await findMessage(db, id);
		expect(row).toMatchObject({ status: 'failed', attempts: 1 });
		expect(row!.lastError).toContain('550');
	});

	it('lists the messages of one state for the admins, and when a waiting one is tried again', async () => {
		const refused = await queue('Refusé');
		const waiting = await queue('En attente');
		const sent = await queue('Remis');
		smtp.refuseNext.push(550, 451);
		await sender().deliverDue();
		const failedPage = await outboxPage(db, 1, 'failed');
		expect(failedPage.messages.map((m) => m.id)).toEqual([refused]);
		expect(failedPage).toMatchObject({
			status: 'failed',
			counts: { failed: 1, pending: 1, sent: 1 }
		});
		const pendingPage = await outboxPage(db, 1, 'pending');
		expect(pendingPage.messages).toMatchObject([{ id: waiting, nextAttemptAt: clock + 60_000 }]);
		expect((await outboxPage(db, 1)).messages.map((m) => m.id)).toEqual([sent, waiting, refused]);
		expect(mailStatusOfSlug('refuses')).toBe('failed');
		expect(mailStatusOfSlug('failed')).toBeUndefined();
	});

	it('never sends again a message the relay may have taken: a cut after its final dot', async () => {
		await withScriptedRelay({ afterData: 'cut' }, async (relay) => {
			const id = await queue('Invitation');
			const other = await queue('Autre');
			const s = sender({ transport: smtpTransport(relay.config) });
			expect(await s.deliverDue()).toBe(2);
			clock += 86_400_000;
			expect(await s.deliverDue()).toBe(0);
			// Each taken once, never again: « interrompu », the others not held.
			expect(relay.bodies).toHaveLength(2);
			for (const row of [await findMessage(db, id), await findMessage(db, other)]) {
				expect(row).toMatchObject({ status: 'interrupted', attempts: 1 });
				expect(row!.lastError).toMatch(
					/^La connexion avec le serveur de courrier a été coupée pendant la remise/
				);
			}
			expect(await readRelayState(db)).toMatchObject({ failingSince: null });
		});
	});

	it('a relay that refuses the portal itself (greeting, sender) holds every message instead of failing them', async () => {
		for (const script of [
			{ greeting: '554 5.7.1 Pas de service pour vous' },
			{ mailFrom: '550 5.7.1 Sender address rejected' },
			{ mailFrom: '530 5.7.0 Authentication required' }
		]) {
			await withScriptedRelay(script, async (relay) => {
				const first = await queue('Premier');
				const second = await queue('Second');
				const s = sender({ transport: smtpTransport(relay.config) });
				expect(await s.deliverDue()).toBe(1);
				for (const id of [first, second])
					expect(await findMessage(db, id)).toMatchObject({ status: 'pending', attempts: 0 });
				expect((await readRelayState(db)).lastError).toMatch(/^Le serveur de courrier refuse/);
				expect(relay.bodies).toEqual([]);
				await db.deleteFrom('mail_outbox').execute();
				await db
					.updateTable('mail_relay')
					.set({ failing_since: null, failures: 0, paused_until: null, last_error: null })
					.execute();
			});
		}
	});

	it('a relay that closes before its greeting holds every message, none marked « interrompu »', async () => {
		await withScriptedRelay({ greeting: null }, async (relay) => {
			const ids = [await queue('Premier'), await queue('Second')];
			expect(await sender({ transport: smtpTransport(relay.config) }).deliverDue()).toBe(1);
			for (const id of ids)
				expect(await findMessage(db, id)).toMatchObject({ status: 'pending', attempts: 0 });
			expect(await readRelayState(db)).toMatchObject({ failures: 1 });
		});
	});

	it('a cut before the message itself (at RCPT TO) delivered nothing: this message waits alone', async () => {
		await withScriptedRelay(
			{
				rcptTo: (address) => (address === 'coupe@cdg46.test' ? 'cut' : '250 OK')
			},
			async (relay) => {
				const cut = await queueTo('coupe@cdg46.test', 'Coupé');
				const other = await queue('Autre');
				expect(await sender({ transport: smtpTransport(relay.config) }).deliverDue()).toBe(2);
				const row = await findMessage(db, cut);
				expect(row).toMatchObject({ status: 'pending', attempts: 1 });
				expect(row!.lastError).toMatch(
					/^La connexion avec le serveur de courrier a été coupée avant l’envoi du message : nouvel essai plus tard\./
				);
				expect(await findMessage(db, other)).toMatchObject({ status: 'sent' });
				expect(relay.bodies).toHaveLength(1);
			}
		);
	});

	it('one recipient refused by policy (5.7.1) waits alone; two in a round are the relay’s refusal', async () => {
		const refused = (address: string) =>
			address.endsWith('@orange.test') ? `554 5.7.1 <${address}>: Relay access denied` : '250 OK';
		await withScriptedRelay({ rcptTo: refused }, async (relay) => {
			const outside = await queueTo('alice@orange.test', 'Dehors');
			const inside = await queue('Dedans');
			const s = sender({ transport: smtpTransport(relay.config) });
			expect(await s.deliverDue()).toBe(2);
			const row = await findMessage(db, outside);
			expect(row).toMatchObject({ status: 'pending', attempts: 1 });
			// The relay's words without the address: the text is shown to every admin.
			expect(row!.lastError).toMatch(
				/^Le serveur de courrier refuse de relayer vers cette adresse \(code 554\)/
			);
			expect(row!.lastError).toContain('<adresse>');
			expect(row!.lastError).not.toContain('alice@');
			expect(await findMessage(db, inside)).toMatchObject({ status: 'sent' });
			expect(await readRelayState(db)).toMatchObject({ failingSince: null });
			// Two recipients refused the same way in one round: every message waits.
			clock += 60_000;
			const second = await queueTo('bob@orange.test', 'Dehors aussi');
			const third = await queue('Dedans aussi');
			expect(await s.deliverDue()).toBe(2);
			expect(await findMessage(db, second)).toMatchObject({ status: 'pending', attempts: 0 });
			expect(await findMessage(db, third)).toMatchObject({ status: 'pending', attempts: 0 });
			expect(await readRelayState(db)).toMatchObject({ failures: 1 });
		});
	});

	it('keeps the relay’s reply to a login out of what admins read (it may quote the credentials)', async () => {
		await withScriptedRelay(
			{
				auth: '500 5.5.1 Command unrecognized: "AUTH PLAIN AHBvcnRhaWwAVHIzcy1zM2NyZXQh"'
			},
			async (relay) => {
				await queue('Premier');
				const config = { ...relay.config, user: 'portail', password: 'Tr3s-s3cret!' };
				await sender({ transport: smtpTransport(config) }).deliverDue();
				const { lastError } = await readRelayState(db);
				expect(lastError).toMatch(
					/^Le serveur de courrier a refusé l’identifiant ou le mot de passe de SMTP_URL \(code 500\)/
				);
				expect(lastError).not.toContain('AHBvcnRhaWw');
			}
		);
	});

	it('a message cancelled during an outage does not end it: the relay was not tried', async () => {
		await queueReset('court-123', clock + 30 * 60_000);
		await queue('Invitation');
		await smtp.close();
		const s = sender();
		const start = clock;
		expect(await s.deliverDue()).toBe(1);
		// 31 minutes on, the reset's link is dead: cancelled without trying the relay.
		clock += 31 * 60_000;
		await s.deliverDue();
		expect((await readRelayState(db)).failingSince).toBe(start);
		smtp = await startSmtp();
	});

	it('a message too big for the relay (552 at MAIL FROM) fails alone', async () => {
		await withScriptedRelay({ mailFrom: '552 5.3.4 Message size exceeds limit' }, async (relay) => {
			const id = await queue('Gros');
			expect(await sender({ transport: smtpTransport(relay.config) }).deliverDue()).toBe(1);
			expect(await findMessage(db, id)).toMatchObject({ status: 'failed', attempts: 1 });
			expect(await readRelayState(db)).toMatchObject({ failingSince: null });
		});
	});

	it('keeps messages in the outbox without SMTP_URL (embedded default)', async () => {
		const id = await queue();
		expect(await sender({ transport: null }).deliverDue()).toBe(0);
		expect(await findMessage(db, id)).toMatchObject({ status: 'kept', attempts: 0 });
	});

	it('never sends again a message a crash left in the middle of its attempt', async () => {
		const id = await queue();
		await db.updateTable('mail_outbox').set({ status: 'sending', attempts: 1 }).execute();
		const s = sender({ pollMs: 10 });
		await s.start();
		await new Promise((resolve) => setTimeout(resolve, 100));
		await s.stop();
		expect(smtp.received).toHaveLength(0);
		expect(await findMessage(db, id)).toMatchObject({ status: 'interrupted', attempts: 1 });
	});

	// Review s42, diff: /sante heard of a full disk only from a visitor's refused request, never
	// from the sender writing outside any request.
	it('tells /sante of a full disk met while sending', async () => {
		const error = vi.spyOn(log(), 'error').mockImplementation(() => undefined);
		const s = sender({ pollMs: 10 });
		vi.spyOn(s as unknown as { tick: () => Promise<void> }, 'tick').mockRejectedValue(
			Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
		);
		// The files of a worker share their modules: another may have met a full disk just before.
		noteDiskFull(0);
		expect(diskRecentlyFull()).toBe(false);
		try {
			await s.start();
			await vi.waitFor(() => expect(diskRecentlyFull()).toBe(true));
		} finally {
			await s.stop();
			error.mockRestore();
		}
	});

	// Review s59, ops: a full disk logged « mail-error » every 2 s (1,800 lines an hour in journald).
	it('logs a full disk once, as disk-full, and tries again a minute later, not every round', async () => {
		const error = vi.spyOn(log(), 'error').mockImplementation(() => undefined);
		const s = sender({ pollMs: 10 });
		const tick = vi
			.spyOn(s as unknown as { tick: () => Promise<void> }, 'tick')
			.mockRejectedValue(
				Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
			);
		try {
			await s.start();
			await vi.waitFor(() => expect(tick).toHaveBeenCalled());
			// Twenty rounds' time at pollMs: one round, one line.
			await new Promise((resolve) => setTimeout(resolve, 200));
			expect(tick).toHaveBeenCalledTimes(1);
			expect(error.mock.calls.map(([fields]) => fields)).toEqual([
				{ event: 'disk-full', task: 'mail' }
			]);
			expect(DISK_FULL_RETRY_MS).toBe(60_000);
		} finally {
			await s.stop();
			error.mockRestore();
		}
	});

	// A full disk refuses a message's writes (new pages) while the heartbeat's lease, rewritten in
	// place, still goes through: the episode ended at each renewal and began again at the next
	// round, two lines a minute. Review s60, diff: ending it only on a message handled by SMTP
	// left it open for ever without SMTP. Review s61: a round with nothing to write ended it while
	// the disk stayed full, and the next write began another. Through the sender's own loop, on a
	// real full database.
	describe('a full disk’s episode, through the sender’s loop', () => {
		// A test stopped midway (its time limit) must not leave fake timers or log spies to the next.
		afterEach(() => {
			vi.useRealTimers();
			vi.restoreAllMocks();
		});
		let roomy: number;
		const full = (yes: boolean) =>
			sql.raw(`PRAGMA max_page_count = ${yes ? 1 : roomy}`).execute(db);
		/** Whether the hook has something to write this round. */
		let writing = true;
		/** The scheduler's writes as beforeDelivery makes them: a new message, new pages. */
		const hook = async () => {
			if (!writing) return;
			await db.transaction().execute((trx) =>
				insertMessage(
					trx,
					{
						messageId: `<${Math.random().toString(36).slice(2)}@lot-numerique.test>`,
						kind: 'essai',
						recipient: 'paul@cdg46.test',
						userId: null,
						subject: 'Synthèse',
						text: 'x'.repeat(20_000),
						html: '<p>Synthèse</p>',
						unsubscribeUrl: null
					},
					clock
				)
			);
		};
		const events = (spy: { mock: { calls: unknown[][] } }, event: string) =>
			spy.mock.calls.filter(([fields]) => (fields as { event?: string }).event === event).length;
		/** Time passes a quarter of a lease at a time: the heartbeat renews it at each step. */
		async function wait(ms: number) {
			for (let left = ms; left > 0; left -= SENDER_LEASE_MS / 4) {
				clock += SENDER_LEASE_MS / 4;
				await vi.advanceTimersByTimeAsync(SENDER_LEASE_MS / 4);
			}
		}

		/** The sender started with fake timers, the log's error and info lines spied on. */
		async function looping(transport: MailTransport | null) {
			const error = vi.spyOn(log(), 'error').mockImplementation(() => undefined);
			const info = vi.spyOn(log(), 'info').mockImplementation(() => undefined);
			roomy = (await sql<{ max_page_count: number }>`PRAGMA max_page_count`.execute(db)).rows[0]!
				.max_page_count;
			vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
			writing = true;
			// A round a second of fake time, not every 10 ms: a minute with room is then sixty rounds
			// of real database work, not six thousand (twenty seconds on a loaded machine).
			const s = sender({ transport, pollMs: 1_000, beforeDelivery: hook });
			const lines = () => [events(error, 'disk-full'), events(info, 'disk-full-over')];
			const end = async () => {
				await full(false);
				await s.stop();
				vi.useRealTimers();
				error.mockRestore();
				info.mockRestore();
			};
			return { s, lines, end };
		}

		async function episode(transport: MailTransport | null) {
			const { s, lines, end } = await looping(transport);
			try {
				await s.start();
				await full(true);
				const leased = (await readSenderLease(db))!.leaseUntil;
				await wait(3 * DISK_FULL_RETRY_MS);
				// Four rounds refused, twelve renewals gone through: one line, the episode still open.
				expect((await readSenderLease(db))!.leaseUntil).toBeGreaterThan(leased);
				expect(lines()).toEqual([1, 0]);
				await full(false);
				await wait(DISK_FULL_RETRY_MS);
				expect(lines()).toEqual([1, 1]);
				// Over: a round every pollMs again, and the next full disk has its own line.
				await full(true);
				await wait(SENDER_LEASE_MS / 4);
				expect(lines()).toEqual([2, 1]);
			} finally {
				await end();
			}
		}

		it('keeps it open through rounds with nothing to write while the disk stays full', async () => {
			const { s, lines, end } = await looping(null);
			try {
				await s.start();
				await full(true);
				await wait(DISK_FULL_RETRY_MS);
				expect(lines()).toEqual([1, 0]);
				// Nothing to write for three rounds, the disk still full: the episode goes on.
				writing = false;
				await wait(3 * DISK_FULL_RETRY_MS);
				expect(lines()).toEqual([1, 0]);
				// Something to write again, refused: the same episode, no second line.
				writing = true;
				await wait(2 * DISK_FULL_RETRY_MS);
				expect(lines()).toEqual([1, 0]);
				// Room again: the round that writes ends it, once.
				await full(false);
				await wait(2 * DISK_FULL_RETRY_MS);
				expect(lines()).toEqual([1, 1]);
			} finally {
				await end();
			}
		});

		// A message's claim and outcome rewrite its row in place: they went through on a disk still
		// full, and ended the episode (a false disk-full-over, then a new disk-full at the next
		// write).
		it('keeps it open through a message delivered while the disk stays full', async () => {
			const sent: string[] = [];
			// Written while there was room, due once the disk is full.
			clock += 90_000;
			await queue('Dû pendant le disque plein');
			clock -= 90_000;
			const { s, lines, end } = await looping({
				send: async (message) => void sent.push(message.subject),
				close() {}
			});
			try {
				await s.start();
				await full(true);
				await wait(DISK_FULL_RETRY_MS);
				expect(lines()).toEqual([1, 0]);
				// Nothing new to write: the message due is claimed, sent and recorded, in place.
				writing = false;
				await wait(2 * DISK_FULL_RETRY_MS);
				expect(sent).toEqual(['Dû pendant le disque plein']);
				writing = true;
				await wait(2 * DISK_FULL_RETRY_MS);
				expect(lines()).toEqual([1, 0]);
			} finally {
				await end();
			}
		});

		it('ends it on the round that goes through without SMTP (messages kept)', async () => {
			await episode(null);
			expect(await db.selectFrom('mail_outbox').select('status').execute()).toContainEqual({
				status: 'kept'
			});
		});

		it('ends it on the round that delivers', async () => {
			const sent: string[] = [];
			await queue('Avant le disque plein');
			await episode({ send: async (message) => void sent.push(message.subject), close() {} });
			expect(sent).toContain('Avant le disque plein');
		});
	});

	// Review s55, ops: a database kept locked by another process logged « mail-error » each round.
	it('logs a database another process keeps locked as a warning, database-busy, not an error', async () => {
		const file = join(scratchDir('mail-busy'), 'sdusn.db');
		const locked = openDatabase(file, 50);
		await migrateToLatest(locked);
		const other = new SQLite(file);
		const warn = vi.spyOn(log(), 'warn').mockImplementation(() => undefined);
		const error = vi.spyOn(log(), 'error').mockImplementation(() => undefined);
		const s = new MailSender(locked, {
			transport: smtpTransport(smtp.config),
			from: 'Portail SDUSN <ne-pas-repondre@lot-numerique.test>',
			now,
			pollMs: 10
		});
		try {
			await s.start();
			// Locked once started, as by a backup or an import while the portal runs.
			other.exec('BEGIN IMMEDIATE');
			await vi.waitFor(() =>
				expect(warn.mock.calls.map(([fields]) => fields)).toContainEqual(
					expect.objectContaining({ event: 'database-busy' })
				)
			);
			expect(error).not.toHaveBeenCalled();
		} finally {
			other.exec('ROLLBACK');
			other.close();
			await s.stop();
			await locked.destroy();
			warn.mockRestore();
			error.mockRestore();
		}
	});

	it('stops after the message being handed over, not in its middle', async () => {
		await smtp.close();
		smtp = await startSmtp({ delayMs: () => 300 });
		const first = await queue('Premier');
		const second = await queue('Second');
		const s = sender({ pollMs: 10 });
		await s.start();
		// Wait until the first is handed to the relay, then stop.
		while (smtp.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
		await s.stop();
		expect((await findMessage(db, first))!.status).toBe('sent');
		expect((await findMessage(db, second))!.status).toBe('pending');
		expect(smtp.received).toHaveLength(1);
	});

	it('gives the relay the name it is configured with (EHLO)', async () => {
		await queue();
		const named = smtpTransport({ ...smtp.config, clientName: 'sdusn.lot-numerique.fr' });
		expect(await sender({ transport: named }).deliverDue()).toBe(1);
		expect(smtp.received[0]?.clientName).toBe('sdusn.lot-numerique.fr');
	});

	it('uses STARTTLS when offered, and refuses to send in clear when TLS is required', async () => {
		await smtp.close();
		smtp = await startSmtp({ disabledCommands: [] });
		await queue();
		await sender({
			transport: smtpTransport(smtp.config, { rejectUnauthorized: false })
		}).deliverDue();
		expect(smtp.received[0]!.secure).toBe(true);

		await smtp.close();
		smtp = await startSmtp();
		const id = await queue('En clair');
		await sender({ transport: smtpTransport({ ...smtp.config, requireTls: true }) }).deliverDue();
		expect(smtp.received).toHaveLength(0);
		expect((await findMessage(db, id))!.status).toBe('pending');
	});

	it('escapes what people typed in the HTML part', async () => {
		await db.transaction().execute((trx) =>
			queueMail(
				trx,
				'essai',
				{ id: null, email: 'a@b.test' },
				{
					subject: 'Essai',
					greeting: 'Bonjour <script>alert(1)</script>,',
					paragraphs: ['Commentaire : « <b>non</b> & "oui" »'],
					reason: 'Vous recevez ce message parce que…',
					stop: 'Ignorez-le.'
				},
				clock
			)
		);
		await sender().deliverDue();
		const { mail } = smtp.received[0]!;
		expect(mail.html).toContain('Bonjour &lt;script&gt;alert(1)&lt;/script&gt;,');
		expect(mail.html).not.toContain('<b>non</b>');
		expect(mail.text).toContain('Commentaire\u00a0: «\u00a0<b>non</b> & "oui"\u00a0»');
	});
});

describe('classify', () => {
	it('tells the relay’s faults, temporary, permanent and uncertain failures apart', () => {
		// Before the envelope, or the relay closing: every message would meet it.
		expect(classify({ code: 'ESOCKET', command: 'CONN', phase: 'connect' })).toBe('relay');
		expect(classify({ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' })).toBe('relay');
		expect(classify({ code: 'ECONNREFUSED' })).toBe('relay');
		expect(classify({ responseCode: 421, command: 'DATA', phase: 'send' })).toBe('relay');
		expect(classify({ responseCode: 550, command: 'MAIL FROM', phase: 'send' })).toBe('relay');
		expect(
			classify({
				responseCode: 554,
				command: 'RCPT TO',
				response: '554 5.7.1 Relay access denied',
				phase: 'send'
			})
		).toBe('policy');
		// One recipient, one message.
		expect(classify({ responseCode: 452, command: 'RCPT TO', phase: 'send' })).toBe('temporary');
		expect(classify({ responseCode: 451, command: 'DATA', phase: 'send' })).toBe('temporary');
		expect(
			classify({
				responseCode: 550,
				command: 'RCPT TO',
				response: '550 5.1.1 No such user',
				phase: 'send'
			})
		).toBe('permanent');
		expect(classify({ responseCode: 552, command: 'MAIL FROM', phase: 'send' })).toBe('permanent');
		// Whose fault: the address only for RCPT TO's refusal or a 5.1.x status, not for content.
		expect(
			addressRefused({ responseCode: 550, command: 'RCPT TO', response: '550 No such user' })
		).toBe(true);
		expect(
			addressRefused({ responseCode: 550, command: 'DATA', response: '550 5.1.1 User unknown' })
		).toBe(true);
		expect(addressRefused({ responseCode: 554, command: 'DATA', response: '554 5.7.1 Spam' })).toBe(
			false
		);
		expect(addressRefused({ responseCode: 552, command: 'MAIL FROM' })).toBe(false);
		expect(addressRefused({ code: 'EMESSAGE', command: 'API' })).toBe(false);
		expect(addressRefused({ code: 'EENVELOPE', command: 'API' })).toBe(true);
		expect(classify({ code: 'EENVELOPE', command: 'API', phase: 'send' })).toBe('permanent');
		// Cut or silent once the message was being handed over (Nodemailer says « CONN » then too).
		expect(classify({ code: 'ECONNECTION', command: 'CONN', phase: 'send' })).toBe('uncertain');
		expect(classify({ code: 'ETIMEDOUT', command: 'CONN', phase: 'send' })).toBe('uncertain');
		expect(classify(new Error('?'))).toBe('uncertain');
	});
});

describe('describeFailure', () => {
	it('says in French what went wrong, then the relay’s own words as a detail', () => {
		expect(
			describeFailure({ responseCode: 550, code: 'EMESSAGE', response: '550 5.1.1 No such user' })
		).toBe(
			'Refusé définitivement par le serveur de courrier (code 550) : adresse inconnue ou message rejeté. Détail technique (550 EMESSAGE) : 550 5.1.1 No such user'
		);
		expect(describeFailure({ responseCode: 451, response: '451 Try later' })).toMatch(
			/^Refusé pour l’instant par le serveur de courrier \(code 451\) : nouvel essai plus tard\./
		);
		expect(describeFailure({ responseCode: 421, response: '421 Closing' })).toMatch(
			/^Le serveur de courrier est indisponible pour l’instant \(code 421\)\./
		);
		// Nodemailer wraps a refused connection in ESOCKET, the cause only in its message.
		expect(
			describeFailure({
				code: 'ESOCKET',
				message: 'connect ECONNREFUSED 127.0.0.1:2525',
				phase: 'connect'
			})
		).toMatch(/^Serveur de courrier injoignable \(ECONNREFUSED\)\. Détail technique/);
		// As Nodemailer gives a refused login: its code and the relay's reply code.
		expect(
			describeFailure({ code: 'EAUTH', responseCode: 535, response: '535 Bad credentials' })
		).toMatch(/^Le serveur de courrier a refusé l’identifiant ou le mot de passe de SMTP_URL/);
		// A relay without STARTTLS, as Nodemailer reports it, then a certificate refused: each names the setting.
		expect(
			describeFailure({
				code: 'ETLS',
				command: 'STARTTLS',
				message: 'Error upgrading connection with STARTTLS',
				response: '500 Error: command not recognized',
				responseCode: 500
			})
		).toMatch(
			/^Le serveur de courrier ne propose pas STARTTLS, que le portail exige pour un relais distant : activez-le sur le relais, passez SMTP_URL en smtps:\/\/…:465, ou réglez SMTP_REQUIRE_TLS=false \(déconseillé : courriels et identifiants passent en clair\)\. Détail technique \(500 ETLS\) : 500 Error: command not recognized$/
		);
		for (const code of ['ETLS', 'ESOCKET'])
			expect(
				describeFailure({
					code,
					command: 'CONN',
					message: 'Error initiating TLS - Hostname/IP does not match certificate’s altnames'
				})
			).toMatch(
				/^Le certificat du serveur de courrier a été refusé \(expiré, autosigné ou à un autre nom\) : vérifiez que le nom du relais dans SMTP_URL est celui de son certificat\. Détail technique/
			);
		expect(describeFailure(new Error('socket hang up'))).toBe(
			'La connexion avec le serveur de courrier a été coupée pendant la remise : le message a peut-être été remis ; il n’est pas renvoyé. Détail technique : socket hang up'
		);
	});
});
