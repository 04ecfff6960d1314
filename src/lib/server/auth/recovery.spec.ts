import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { configureMail } from '../mail/outbox';
import { listMessages, markStopped, recordRelayFailure } from '../mail/outbox-repository';
import { findMessage } from '../mail/testing';
import { startMailTest, type MailTest } from '../mail/test-context';
import type { TestSmtp } from '../mail/testing';
import { verifyPassword } from './password';
import { createTestUser, PEOPLE, TEST_PASSWORD } from './testing';
import {
	findValidReset,
	requestPasswordReset,
	RESET_DELAYED_MESSAGE,
	RESET_REQUESTED_MESSAGE,
	RESET_WITHOUT_RELAY_MESSAGE,
	resetPassword,
	revokeInvitation
} from './recovery';
import { trustedDevice } from './device';
import { INVITATION_LIFETIME_MS, RESET_LIFETIME_MS } from '../../utils/rules';
import {
	acceptInvitation,
	changePassword,
	createAccountWithInvitation,
	findValidInvitation,
	inviteAgain,
	issueInvitation,
	login,
	setAccountDisabled
} from './service';
import { createSession, validateSessionToken } from './sessions';
import { findPasswordHash, listUsers, type User } from './users';

const PASSWORD = TEST_PASSWORD;
const NEW_PASSWORD = 'un héron gris sur la rive du lot';
let db: Db;
let smtp: TestSmtp;
let mail: MailTest;
let admin: User;
let partner: User;
let now = Date.parse('2026-03-02T09:00:00Z');

beforeEach(async () => {
	now = Date.parse('2026-03-02T09:00:00Z');
	mail = await startMailTest(() => now + 60_000);
	({ db, smtp } = mail);
	admin = await createTestUser(db, PEOPLE.admin);
	partner = await createTestUser(db, PEOPLE.paul);
});
afterEach(() => mail.close());

const deliver = () => mail.deliver();

/** An admin creates Chloé's account: her invitation is mailed. */
function inviteChloe() {
	return createAccountWithInvitation(
		db,
		admin,
		{
			email: 'chloe@cdg46.fr',
			name: 'Chloé Collègue',
			role: 'partenaire',
			organisation: 'cdg46'
		},
		null,
		now
	);
}

function linkIn(text: string, path: string): string {
	const match = new RegExp(`https://sdusn\\.test${path}/([a-z2-7]{24}\\.[a-z2-7]{32})`).exec(text);
	if (!match) throw new Error(`no ${path} link in: ${text}`);
	return match[1]!;
}

describe('password reset by e-mail', () => {
	it('makes the device cookies issued before the reset untrusted', async () => {
		const signIn = async (password: string) => {
			const result = await login(
				db,
				{ email: 'paul@cdg46.fr', password, clientAddress: null },
				now
			);
			if (!result.ok) throw new Error(result.message);
			return result.value.device;
		};
		const before = await signIn(PASSWORD);
		expect(
			await trustedDevice(db, before, partner.id, await findPasswordHash(db, partner.id))
		).not.toBeNull();
		await requestPasswordReset(db, 'paul@cdg46.fr', null, now);
		await deliver();
		const token = linkIn(smtp.received[0]!.mail.text!, '/mot-de-passe-oublie');
		expect((await resetPassword(db, token, NEW_PASSWORD, null, now)).ok).toBe(true);
		const hash = await findPasswordHash(db, partner.id);
		expect(await trustedDevice(db, before, partner.id, hash)).toBeNull();
		expect(await trustedDevice(db, await signIn(NEW_PASSWORD), partner.id, hash)).not.toBeNull();
	});

	it('e-mails a single-use link that sets the password and ends every session', async () => {
		const other = await createSession(db, partner.id, now);
		const answer = await requestPasswordReset(db, 'Paul@CDG46.fr ', '192.0.2.1', now);
		expect(answer).toEqual({ ok: true, value: { message: RESET_REQUESTED_MESSAGE } });
		await deliver();
		expect(smtp.received).toHaveLength(1);
		const { mail, envelopeTo } = smtp.received[0]!;
		expect(envelopeTo).toEqual(['paul@cdg46.fr']);
		expect(mail.subject).toBe('Nouveau mot de passe pour le portail de suivi du SDUSN du Lot');
		expect(mail.text).toContain('Bonjour Paul Partenaire,');
		expect(mail.text).toContain('30\u00a0minutes');
		expect(mail.html).toContain('https://sdusn.test/mot-de-passe-oublie/');
		// Transactional: no unsubscribe header.
		expect(mail.headerLines.map((h) => h.key)).not.toContain('list-unsubscribe');
		const token = linkIn(mail.text!, '/mot-de-passe-oublie');
		// Only the hash is stored.
		const stored = await db.selectFrom('password_reset').selectAll().execute();
		expect(JSON.stringify(stored)).not.toContain(token.split('.')[1]);

		const done = await resetPassword(db, token, NEW_PASSWORD, '192.0.2.1', now + 60_000);
		expect(done.ok).toBe(true);
		const hash = await db
			.selectFrom('user_account')
			.select('password_hash')
			.where('id', '=', partner.id)
			.executeTakeFirstOrThrow();
		expect(await verifyPassword(hash.password_hash!, NEW_PASSWORD)).toBe(true);
		expect((await validateSessionToken(db, other.token, now + 60_000)).session).toBeNull();
		expect(await resetPassword(db, token, NEW_PASSWORD, null, now + 61_000)).toMatchObject({
			ok: false,
			status: 410
		});
		const journal = await db
			.selectFrom('audit_event')
			.select('action')
			.where('action', 'like', 'password.reset%')
			.orderBy('id')
			.execute();
		expect(journal.map((j) => j.action)).toEqual(['password.reset_requested', 'password.reset']);
	});

	it('while the relay is down, says the mail will leave when it answers, whether the address has an account or not', async () => {
		await recordRelayFailure(db, {
			now,
			failures: 1,
			pausedUntil: now + 60_000,
			reason: 'Serveur de courrier injoignable (ECONNREFUSED).'
		});
		for (const address of [partner.email, 'personne@inconnu.test'])
			expect(await requestPasswordReset(db, address, null, now)).toEqual({
				ok: true,
				value: { message: RESET_DELAYED_MESSAGE }
			});
		expect(RESET_DELAYED_MESSAGE).toMatch(/le courriel partira dès qu’il répondra/);
		expect(RESET_DELAYED_MESSAGE).toMatch(/utilisez celui de votre invitation/);
		expect(await listMessages(db, 10, 0)).toHaveLength(1); // written, waiting for the relay
	});

	it('a link replaced by a second request sends its reader to the newer mail, not to a third request', async () => {
		await requestPasswordReset(db, partner.email, null, now);
		await deliver();
		await requestPasswordReset(db, partner.email, null, now + 60_000);
		await deliver();
		const [older, newer] = smtp.received.map(({ mail }) =>
			linkIn(mail.text!, '/mot-de-passe-oublie')
		);
		const refused = await resetPassword(db, older!, NEW_PASSWORD, null, now + 120_000);
		expect(refused).toMatchObject({ ok: false, status: 410 });
		expect(!refused.ok && refused.message).toMatch(
			/Si vous avez demandé plusieurs liens, utilisez celui du courriel le plus récent/
		);
		expect((await findValidReset(db, newer!, now + 120_000))?.user.id).toBe(partner.id);
	});

	it('a link sent before the password changed, or before the account was disabled, sets nothing', async () => {
		const session = await createSession(db, partner.id, now);
		await requestPasswordReset(db, partner.email, null, now);
		await deliver();
		const beforeChange = linkIn(smtp.received[0]!.mail.text!, '/mot-de-passe-oublie');
		const changed = await changePassword(
			db,
			partner,
			session.session.id,
			{ current: PASSWORD, next: NEW_PASSWORD },
			null,
			now + 1000
		);
		expect(changed.ok).toBe(true);
		expect(await findValidReset(db, beforeChange, now + 2000)).toBeUndefined();

		await requestPasswordReset(db, partner.email, null, now + 3000);
		await deliver();
		const beforeDisable = linkIn(smtp.received[1]!.mail.text!, '/mot-de-passe-oublie');
		expect((await setAccountDisabled(db, admin, partner.id, true, null)).ok).toBe(true);
		expect((await setAccountDisabled(db, admin, partner.id, false, null)).ok).toBe(true);
		expect(
			await resetPassword(db, beforeDisable, 'une autre phrase de passe', null, now + 4000)
		).toMatchObject({
			ok: false,
			status: 410
		});
	});

	it('an invitation still unused ends when the password is set by a reset link', async () => {
		const created = await inviteChloe();
		if (!created.ok) throw new Error('not created');
		expect(
			(await acceptInvitation(db, created.value.invitationToken, NEW_PASSWORD, null, now)).ok
		).toBe(true);
		const { token: second } = await db
			.transaction()
			.execute((trx) => issueInvitation(trx, admin, created.value.userId, null, now + 1000));
		await requestPasswordReset(db, 'chloe@cdg46.fr', null, now + 2000);
		await deliver();
		const reset = linkIn(smtp.received.at(-1)!.mail.text!, '/mot-de-passe-oublie');
		expect((await resetPassword(db, reset, 'une autre phrase de passe', null, now + 3000)).ok).toBe(
			true
		);
		expect((await acceptInvitation(db, second, NEW_PASSWORD, null, now + 4000)).ok).toBe(false);
	});

	it('sends nothing to an account without a password yet: its invitation pending, revoked or expired is the only way in', async () => {
		const created = await inviteChloe();
		if (!created.ok) throw new Error('not created');
		await deliver();
		expect(smtp.received).toHaveLength(1);
		const ask = async () => {
			const answer = await requestPasswordReset(db, 'chloe@cdg46.fr', null, now);
			expect(answer).toEqual({ ok: true, value: { message: RESET_REQUESTED_MESSAGE } });
			// The same answer as for any address, which tells the invited what to do instead.
			expect(answer.ok && answer.value.message).toContain(
				'Si vous n’avez pas encore choisi de mot de passe, aucun lien ne vous est envoyé : utilisez celui de votre invitation, ou demandez une nouvelle invitation à l’équipe de Lot numérique.'
			);
			await deliver();
		};
		await ask();
		const shown = (await listUsers(db, now)).find((u) => u.id === created.value.userId)!;
		const revoked = await revokeInvitation(
			db,
			admin,
			created.value.userId,
			shown.invitationUntil,
			null,
			now
		);
		expect(revoked.ok).toBe(true);
		await ask();
		expect(smtp.received).toHaveLength(1);
		expect(await db.selectFrom('password_reset').selectAll().execute()).toEqual([]);
	});

	it('answers the same for an unknown address and sends nothing', async () => {
		const answer = await requestPasswordReset(db, 'personne@nulle-part.fr', '192.0.2.1', now);
		expect(answer).toEqual({ ok: true, value: { message: RESET_REQUESTED_MESSAGE } });
		await deliver();
		expect(smtp.received).toHaveLength(0);
		expect(await db.selectFrom('password_reset').selectAll().execute()).toEqual([]);
	});

	it('without a relay, says so and writes nothing, rather than promise a link that never arrives', async () => {
		const relayed = configureMail({
			origin: 'https://sdusn.test',
			from: 'Portail <x@sdusn.test>',
			relayed: false
		});
		try {
			const answer = await requestPasswordReset(db, partner.email, '192.0.2.1', now);
			expect(answer).toEqual({ ok: false, status: 503, message: RESET_WITHOUT_RELAY_MESSAGE });
		} finally {
			configureMail(relayed);
		}
		expect(await db.selectFrom('password_reset').selectAll().execute()).toEqual([]);
		expect(await db.selectFrom('mail_outbox').selectAll().execute()).toEqual([]);
		expect(await db.selectFrom('login_throttle').selectAll().execute()).toEqual([]);
	});

	it('expires after 30 minutes, and a new link ends the previous one', async () => {
		await requestPasswordReset(db, partner.email, null, now);
		await requestPasswordReset(db, partner.email, null, now + 1000);
		await deliver();
		// Both asked for before the sender's round: the first, whose link the second ended, is not sent.
		expect(smtp.received).toHaveLength(1);
		const second = linkIn(smtp.received[0]!.mail.text!, '/mot-de-passe-oublie');
		expect(await findValidReset(db, second, now + 2000)).toBeDefined();
		expect(await findValidReset(db, second, now + 1000 + RESET_LIFETIME_MS)).toBeUndefined();
		const [, first] = await listMessages(db, 10, 0);
		expect(first).toMatchObject({ status: 'cancelled', attempts: 0 });
		expect(first!.lastError).toMatch(
			/^Non envoyé : son lien à usage unique ne sert plus \(remplacé par un lien plus récent, qui part à sa place/
		);
		expect(await findMessage(db, first!.id)).toMatchObject({ oneTimeLink: null });
	});

	it('is throttled per address asked for and per client, known or not, all at once', async () => {
		const answers = await Promise.all(
			Array.from({ length: 8 }, () => requestPasswordReset(db, partner.email, null, now))
		);
		// Three free requests, the fourth counted and blocking the next (as logins do).
		expect(answers.filter((a) => a.ok)).toHaveLength(4);
		expect(answers.filter((a) => !a.ok && a.status === 429)).toHaveLength(4);
		const unknown = await Promise.all(
			Array.from({ length: 8 }, () => requestPasswordReset(db, 'x@inconnu.fr', null, now))
		);
		expect(unknown.filter((a) => a.ok)).toHaveLength(4);
		// One client trying many addresses.
		const spread = await Promise.all(
			Array.from({ length: 14 }, (_, i) =>
				requestPasswordReset(db, `p${i}@inconnu.fr`, '198.51.100.7', now)
			)
		);
		expect(spread.filter((a) => a.ok)).toHaveLength(11);
	});

	it('counts the requests of an IPv6 client by its /64', async () => {
		const spread = await Promise.all(
			Array.from({ length: 14 }, (_, i) =>
				requestPasswordReset(db, `p${i}@inconnu.fr`, `2001:db8:7:7::${i + 1}`, now)
			)
		);
		expect(spread.filter((a) => a.ok)).toHaveLength(11);
		expect(await requestPasswordReset(db, 'q@inconnu.fr', '2001:db8:7:8::1', now)).toMatchObject({
			ok: true
		});
	});
});

// Review s44 (staff): during an outage the link is shown to the admin, yet the journal read
// « envoyé par courriel » as when it never is; a person's own reset read « envoyé » while it waited.
describe('the journal of a link', () => {
	const lastSummary = async (action: string) =>
		(
			await db
				.selectFrom('audit_event')
				.select('summary')
				.where('action', '=', action)
				.orderBy('id', 'desc')
				.limit(1)
				.executeTakeFirstOrThrow()
		).summary;
	const relayDown = () =>
		recordRelayFailure(db, {
			now,
			failures: 1,
			pausedUntil: now + 60_000,
			reason: 'Serveur de courrier injoignable (ECONNREFUSED).'
		});

	it('says whether the admin saw the link, and whether its mail left or waits', async () => {
		// A password's replacement, relay up: mailed to the person alone.
		const replaced = await inviteAgain(db, admin, partner.id, null, null, now);
		expect(await lastSummary('account.invited')).toMatch(/envoyé par courriel$/);
		// What the page is told is what the journal says: one reading of the relay for both.
		const up = { mailed: true, relayDownSince: null, shown: false };
		expect(replaced).toMatchObject({ ok: true, value: { renewing: true, delivery: up } });
		// A new account's invitation: the page shows its link.
		const invited = await inviteChloe();
		expect(await lastSummary('account.invited')).toMatch(
			/envoyé par courriel ; lien affiché à l’administrateur$/
		);
		expect(invited).toMatchObject({ ok: true, value: { delivery: { ...up, shown: true } } });
		// Relay down: the replacement's link is shown to the admin, its mail waits.
		await relayDown();
		const claude = await createTestUser(db, PEOPLE.claude);
		const waiting = await inviteAgain(db, admin, claude.id, null, null, now + 1000);
		expect(await lastSummary('account.invited')).toMatch(
			/courriel en attente du serveur de courrier \(en panne\) ; lien affiché à l’administrateur$/
		);
		expect(waiting).toMatchObject({
			ok: true,
			value: { delivery: { mailed: true, relayDownSince: now, shown: true } }
		});
	});

	it('says a person’s own reset link waits for the relay, never that it was sent', async () => {
		await relayDown();
		await requestPasswordReset(db, partner.email, null, now);
		const summary = await lastSummary('password.reset_requested');
		expect(summary).toMatch(/courriel en attente du serveur de courrier/);
		expect(summary).not.toMatch(/envoyé|affiché/);
	});

	it('journals a reset asked by anyone as anonymous, the account as its target alone', async () => {
		await requestPasswordReset(db, partner.email, '203.0.113.9', now);
		const line = await db
			.selectFrom('audit_event')
			.select([
				'actor_id as actorId',
				'actor_label as actorLabel',
				'target_id as targetId',
				'client_address as clientAddress'
			])
			.where('action', '=', 'password.reset_requested')
			.executeTakeFirstOrThrow();
		expect(line).toEqual({
			actorId: null,
			actorLabel: 'anonyme (page « Mot de passe oublié »)',
			targetId: String(partner.id),
			clientAddress: '203.0.113.9'
		});
	});
});

describe('invitations by e-mail', () => {
	it('e-mails the link when an admin creates an account; the link sets the password', async () => {
		const created = await inviteChloe();
		expect(created.ok).toBe(true);
		await deliver();
		const { mail, envelopeTo } = smtp.received[0]!;
		expect(envelopeTo).toEqual(['chloe@cdg46.fr']);
		expect(mail.subject).toBe('Votre invitation au portail de suivi du SDUSN du Lot');
		expect(mail.text).toContain('Anne Admin, de l’équipe de Lot numérique, vous a créé un compte');
		const token = linkIn(mail.text!, '/invitation');
		expect(created.ok && created.value.invitationToken).toBe(token);
		expect((await acceptInvitation(db, token, NEW_PASSWORD, null, now + 1000)).ok).toBe(true);
	});

	it('an invitation sent again to an account that has a password says it replaces it', async () => {
		const again = await inviteAgain(db, admin, partner.id, null, null, now);
		expect(again).toMatchObject({ ok: true, value: { renewing: true } });
		// Journaled as what it is, naming the account (a search for the person finds it).
		const [line] = await db
			.selectFrom('audit_event')
			.select('summary')
			.where('action', '=', 'account.invited')
			.orderBy('id', 'desc')
			.limit(1)
			.execute();
		expect(line!.summary).toMatch(
			new RegExp(`^Lien de nouveau mot de passe créé pour ${partner.email.replace('.', '\\.')} `)
		);
		const found = await findValidInvitation(db, again.ok ? again.value.token : '', now + 1000);
		expect(found?.renewing).toBe(true);
		await deliver();
		const { mail } = smtp.received.at(-1)!;
		expect(mail.subject).toBe(
			'Un lien pour choisir un nouveau mot de passe — portail de suivi du SDUSN du Lot'
		);
		expect(mail.text).toContain('l’utiliser remplace votre mot de passe actuel');
		expect(mail.text).not.toContain('vous a créé un compte');
		// Used, the journal names who made the link (they could have used it themselves).
		expect(
			(
				await acceptInvitation(
					db,
					again.ok ? again.value.token : '',
					NEW_PASSWORD,
					null,
					now + 2000
				)
			).ok
		).toBe(true);
		const { summary } = await db
			.selectFrom('audit_event')
			.select('summary')
			.where('action', '=', 'account.activated')
			.executeTakeFirstOrThrow();
		expect(summary).toBe(
			'Mot de passe de paul@cdg46.fr remplacé par un lien de nouveau mot de passe créé par Anne Admin (admin@lot.fr)'
		);
	});

	it('an invitation the relay refuses for good: the accounts list says so, and the advice is not to send it again to the same address', async () => {
		const created = await inviteChloe();
		if (!created.ok) throw new Error('not created');
		const state = async () =>
			(await listUsers(db, now)).find((u) => u.id === created.value.userId)!;
		expect((await state()).invitationRefused).toBe(false);
		smtp.refuseNext.push(550);
		await deliver();
		expect(await state()).toMatchObject({
			invitationRefused: true,
			invitationUntil: now + INVITATION_LIFETIME_MS
		});
		const [refused] = await listMessages(db, 1, 0, 'failed');
		expect(refused!.lastError).toContain(
			'L’adresse est sans doute en cause (mal écrite, ou boîte qui n’existe plus) : renvoyer l’invitation la ferait refuser de même. L’adresse d’un compte ne se corrige pas : vérifiez-la auprès de la personne, puis désactivez ce compte et créez-en un à la bonne adresse, depuis la liste des comptes.'
		);
		expect(refused!.lastError).not.toContain('Renvoyez l’invitation');
		// Another account's refusal is not this one's; a newer invitation, once sent, clears it.
		expect((await listUsers(db, now)).filter((u) => u.invitationRefused)).toHaveLength(1);
		await db
			.transaction()
			.execute((trx) => issueInvitation(trx, admin, created.value.userId, null, now));
		expect((await state()).invitationRefused).toBe(false);
	});

	it('an invitation refused for its content (554 5.7.1), not its address: the advice is to send it again, the account unmarked', async () => {
		const created = await inviteChloe();
		if (!created.ok) throw new Error('not created');
		smtp.refuseNext.push(554);
		await deliver();
		const [refused] = await listMessages(db, 1, 0, 'failed');
		expect(refused!.lastError).toContain('Renvoyez l’invitation depuis la liste des comptes.');
		expect(refused!.lastError).not.toContain('L’adresse est sans doute en cause');
		const listed = (await listUsers(db, now)).find((u) => u.id === created.value.userId)!;
		expect(listed.invitationRefused).toBe(false);
	});

	it('an invitation given up after temporary refusals (a full mailbox) does not mark the account: its address is no likely cause', async () => {
		const created = await inviteChloe();
		if (!created.ok) throw new Error('not created');
		const message = await db
			.selectFrom('mail_outbox')
			.select('id')
			.where('user_id', '=', created.value.userId)
			.executeTakeFirstOrThrow();
		// What the sender stores once its tenth temporary refusal is given up (notDelivered), the
		// message claimed as a try holds it.
		await db
			.updateTable('mail_outbox')
			.set({ status: 'sending' })
			.where('id', '=', message.id)
			.execute();
		await markStopped(
			db,
			message.id,
			'failed',
			'Le serveur de courrier a refusé le message pour l’instant (452). Abandonné après 10 essais. Renvoyez l’invitation depuis la liste des comptes.',
			now
		);
		const [stopped] = await listMessages(db, 1, 0, 'failed');
		expect(stopped!.id).toBe(message.id);
		const listed = (await listUsers(db, now)).find((u) => u.id === created.value.userId)!;
		expect(listed.invitationRefused).toBe(false);
	});

	it('a reset link the relay refuses for good: the advice names the account’s address, not a new link', async () => {
		await requestPasswordReset(db, partner.email, '192.0.2.1', now);
		smtp.refuseNext.push(550);
		await deliver();
		const [refused] = await listMessages(db, 1, 0, 'failed');
		expect(refused!.lastError).toContain(
			'L’adresse du compte est sans doute en cause (boîte fermée ou qui n’existe plus) : un nouveau lien irait à la même adresse et serait refusé de même.'
		);
		expect(refused!.lastError).not.toContain('La personne peut demander un nouveau lien');
		// An account without an invitation message is not marked by a reset refused.
		expect((await listUsers(db, now)).some((u) => u.invitationRefused)).toBe(false);
	});

	it('resends (the old link stops) and revokes', async () => {
		const created = await inviteChloe();
		if (!created.ok) throw new Error('not created');
		const { token: again } = await db
			.transaction()
			.execute((trx) => issueInvitation(trx, admin, created.value.userId, null, now));
		await deliver();
		// The first invitation, replaced before it could be sent, is not: only the live link goes.
		expect(smtp.received).toHaveLength(1);
		expect(linkIn(smtp.received[0]!.mail.text!, '/invitation')).toBe(again);
		const pendingUntil = async (at: number) =>
			(await listUsers(db, at)).find((u) => u.id === created.value.userId)?.invitationUntil;
		expect(await pendingUntil(now)).toBe(now + INVITATION_LIFETIME_MS);
		// Unused but past its seven days: no longer pending.
		expect(await pendingUntil(now + INVITATION_LIFETIME_MS)).toBeNull();
		const shown = (await pendingUntil(now))!;
		expect(await revokeInvitation(db, admin, created.value.userId, shown, null, now)).toMatchObject(
			{
				ok: true
			}
		);
		expect(await pendingUntil(now)).toBeNull();
		expect((await acceptInvitation(db, again, NEW_PASSWORD, null, now + 1000)).ok).toBe(false);
		expect(await revokeInvitation(db, admin, created.value.userId, shown, null, now)).toMatchObject(
			{
				ok: false,
				status: 400
			}
		);
	});

	it('does not replace unseen an invitation sent since the page was drawn', async () => {
		const created = await inviteChloe();
		if (!created.ok) throw new Error('not created');
		const id = created.value.userId;
		const shown = (await listUsers(db, now)).find((u) => u.id === id)!.invitationUntil!;
		const first = await inviteAgain(db, admin, id, shown, null, now + 60_000);
		if (!first.ok) throw new Error(first.message);
		// A second admin, whose page still showed the earlier invitation, sends it again too.
		expect(await inviteAgain(db, admin, id, shown, null, now + 90_000)).toMatchObject({
			ok: false,
			status: 409,
			message: expect.stringMatching(
				/^Un lien a été envoyé .* rien n’a été envoyé, et ce lien reste valable/
			)
		});
		expect(
			(await acceptInvitation(db, first.value.token, NEW_PASSWORD, null, now + 100_000)).ok
		).toBe(true);
	});

	it('does not revoke unseen an invitation sent again since the page was drawn', async () => {
		const created = await inviteChloe();
		if (!created.ok) throw new Error('not created');
		const id = created.value.userId;
		const shown = (await listUsers(db, now)).find((u) => u.id === id)!.invitationUntil!;
		// Another admin sends it again a minute later: a fresh link, open a minute longer.
		const { token: fresh } = await db
			.transaction()
			.execute((trx) => issueInvitation(trx, admin, id, null, now + 60_000));
		expect(await revokeInvitation(db, admin, id, shown, null, now + 90_000)).toMatchObject({
			ok: false,
			status: 409,
			message: expect.stringMatching(
				/^Une nouvelle invitation a été envoyée .* rien n’a été révoqué/
			)
		});
		const until = (await listUsers(db, now + 90_000)).find((u) => u.id === id)!.invitationUntil!;
		expect(until).toBe(now + 60_000 + INVITATION_LIFETIME_MS);
		// Read again, revoked knowingly; a page without the shown invitation is refused.
		expect(await revokeInvitation(db, admin, id, null, null, now + 90_000)).toMatchObject({
			ok: false,
			status: 400
		});
		expect((await revokeInvitation(db, admin, id, until, null, now + 90_000)).ok).toBe(true);
		expect((await acceptInvitation(db, fresh, NEW_PASSWORD, null, now + 100_000)).ok).toBe(false);
	});
});
