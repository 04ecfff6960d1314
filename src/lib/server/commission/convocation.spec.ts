import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { createTestUser, PEOPLE } from '../auth/testing';
import type { User } from '../auth/users';
import {
	cancelledSittingOpenedMessage,
	changeSittingState,
	addAgendaFreeItem,
	addAgendaFiches,
	deleteSitting,
	deletedSittingNotice,
	recordDecision,
	removeAgendaItem,
	sittingDeletionNotice,
	updateSitting
} from './service';
import { findSitting } from './repository';
import { preparedSitting } from './testing';
import { withNames } from './mailing-summary';
import {
	changedSinceConvened,
	convokeAgainMessage,
	conveneSitting,
	convocationSummary,
	convocationWaitingSince,
	lastConvocationLine
} from './convocation';
import {
	CONVOCATIONS_PER_SITTING_PER_DAY,
	SITTING_MAILINGS_PER_ACCOUNT_PER_DAY
} from './sitting-notices';
import { savePreferences } from '../mail/preferences-repository';
import { AUDIT_ACTIONS } from '../audit/repository';
import { outboxPage } from '../mail/outbox';
import { clearRelayFailure, recordRelayFailure } from '../mail/outbox-repository';
import { startMailTestWithPeople, type MailTest } from '../mail/test-context';
import { up as fillEarlierSittings } from '../../../../migrations/2026_12_13_100000_mail_sitting_earlier';
import { formatDate, formatMoment } from '../../utils/format';
import { moveFiche } from '../authoring/testing';

let db: Db;
let mail: MailTest;
let admin: User;
let partner: User;
let colleague: User;
let member: User;
// Before the 1 March séances of the specs: a séance whose day is past is not convened.
let clock = Date.parse('2026-02-27T09:00:00Z');

beforeEach(async () => {
	clock = Date.parse('2026-02-27T09:00:00Z');
	({ mail, admin, partner, colleague, member } = await startMailTestWithPeople(() => clock + 1));
	db = mail.db;
});
afterEach(() => mail.close());

const deliver = () => mail.deliver();

/**
 * A séance created by the member (« Séance », in Cahors, no hour, unless `facts` says), with these
 * fiches on its agenda: its id.
 */
function sittingWith(
	codes: string[],
	heldOn = '2026-03-01',
	facts: { startsAt?: string | null; place?: string; title?: string } = {}
): Promise<number> {
	return preparedSitting(db, member, { fiches: codes, heldOn, title: 'Séance', ...facts });
}

/** The account turns the commission's messages off (`false`) or on again (`true`). */
async function commissionMessages(user: User, wanted: boolean) {
	await savePreferences(
		db,
		user.id,
		{ reminders: true, validations: true, commission: wanted },
		clock
	);
}

/**
 * A séance of sittingWith(…, '2026-03-20') as convened before 2026-12-05: its convocation's row
 * has the facts only, not the agenda nor the recipients.
 */
async function convenedBeforeDecember(id: number) {
	const facts = { title: 'Séance', heldOn: '2026-03-20', startsAt: null, place: 'Cahors' };
	await db
		.updateTable('commission_session')
		.set({ convened_as: JSON.stringify(facts) })
		.where('id', '=', id)
		.execute();
}

describe('a séance’s mailings', () => {
	it('convenes members and concerned partners, and sends the relevé at closing', async () => {
		const sittingId = await sittingWith([], '2026-03-01', {
			startsAt: '14:30',
			title: 'Séance de printemps'
		});
		// An empty agenda has nothing to convene to; a free point alone does.
		expect(await conveneSitting(db, member, sittingId, null, clock)).toMatchObject({
			ok: false,
			status: 409,
			message: 'L’ordre du jour est vide : ajoutez-y une fiche ou un point avant de convoquer.'
		});
		await addAgendaFiches(db, member, sittingId, ['9-1'], null);
		await addAgendaFreeItem(db, member, sittingId, 'Calendrier 2027', null);
		await addAgendaFiches(db, member, sittingId, ['10-1'], null);
		const convened = await conveneSitting(db, member, sittingId, null, clock);
		expect(convened).toMatchObject({ ok: true, value: { members: 1, partners: 2, optedOut: 0 } });
		const mails = await deliver();
		const byRecipient = new Map(mails.map((m) => [m.envelopeTo[0], m.mail]));
		const toMember = byRecipient.get('claude@commission.fr')!;
		expect(toMember.text).toContain(
			`https://sdusn.test/commission/seances/${sittingId}/fiches/9-1`
		);
		expect(toMember.text).toContain(
			`https://sdusn.test/commission/seances/${sittingId}/fiches/10-1`
		);
		// The free point in its place on the agenda, without a link.
		expect(toMember.text).toMatch(/fiches\/9-1\n- Calendrier 2027\n- 10-1/);
		expect(toMember.subject).toBe(
			'Commission des usages numériques\u00a0: séance du 1er\u00a0mars\u00a02026'
		);
		expect(toMember.text).toContain(
			'se réunit le 1er\u00a0mars\u00a02026\u00a0à 14\u00a0h\u00a030 (Cahors)\u00a0: «\u00a0Séance de printemps\u00a0».'
		);
		// The sitting's own page: members only (a partner gets a 403 there until it is closed).
		const sittingPage = new RegExp(`/commission/seances/${sittingId}(?!/fiches)`);
		expect(toMember.text).toMatch(sittingPage);
		const toPartner = byRecipient.get('paul@cdg46.fr')!;
		expect(toPartner.text).toContain('/fiches/9-1');
		expect(toPartner.text).not.toContain('/fiches/10-1');
		expect(toPartner.text).not.toMatch(sittingPage);
		expect(toPartner.text).not.toContain('Calendrier 2027');
		expect(toPartner.text).toContain('Une fiche de votre organisation est à l’ordre du jour');
		expect(byRecipient.has('admin@lot.fr')).toBe(false);

		await changeSittingState(db, member, sittingId, 'held', null);
		clock = Date.parse('2026-03-02T09:00:00Z');
		await changeSittingState(db, member, sittingId, 'closed', null, new Date(clock));
		const closing = await deliver();
		expect(closing.map((m) => m.envelopeTo[0]).sort()).toEqual([
			'chloe@cdg46.fr',
			'claude@commission.fr',
			'paul@cdg46.fr'
		]);
		expect(closing[0]!.mail.text).toContain(`https://sdusn.test/commission/seances/${sittingId}`);
		// With its hour (the spaces as the mail's typography sets them).
		expect((closing[0]!.mail.subject ?? '').replace(/[\u00a0\u202f]/g, ' ')).toBe(
			'Relevé de décisions de la séance du 1er mars 2026 à 14 h 30'
		);
		// Each is given their own reason, as the convocation does (a walkthrough of December 2026).
		const closedTo = new Map(closing.map((m) => [m.envelopeTo[0], m.mail.text]));
		expect(closedTo.get('claude@commission.fr')).toContain(
			'parce que vous êtes membre de la commission.'
		);
		expect(closedTo.get('paul@cdg46.fr')).toContain(
			'parce qu’une fiche de votre organisation était à l’ordre du jour.'
		);
		expect(closedTo.get('paul@cdg46.fr')).not.toContain('membre de la commission');
	});

	it('does not name a séance titled as the commission itself twice in its convocation', async () => {
		const id = await sittingWith(['9-1'], '2026-03-01', {
			title: 'Commission des usages numériques'
		});
		await conveneSitting(db, member, id, null, clock);
		const toMember = (await deliver()).find((m) => m.envelopeTo[0] === 'claude@commission.fr')!;
		expect(toMember.mail.text).toContain(
			'La commission des usages numériques se réunit le 1er\u00a0mars\u00a02026 (Cahors).'
		);
	});

	it('sends a convocation pressed twice from one page once; pressed again on the page read anew, again', async () => {
		const id = await sittingWith(['9-1']);
		// Twenty presses at once from a page that showed no convocation sent.
		const presses = await Promise.all(
			Array.from({ length: 20 }, () => conveneSitting(db, member, id, null, clock, null))
		);
		expect(presses.filter((p) => p.ok)).toHaveLength(1);
		const refused = presses.find((p) => !p.ok);
		expect(refused).toMatchObject({ ok: false, status: 409 });
		expect(!refused!.ok && refused!.message).toMatch(
			/^La convocation est partie le .* : elle n’a pas été envoyée une seconde fois\./
		);
		expect(
			(await deliver()).filter((m) => m.envelopeTo[0] === 'claude@commission.fr')
		).toHaveLength(1);
		// The page read again shows when it left: sent again with nothing changed, refused (a
		// script posting it in a loop wrote one message per person and press).
		const sent = (await findSitting(db, id))!.convenedAt;
		expect(sent).toBe(clock);
		const unchanged = await conveneSitting(db, member, id, null, clock + 60_000, sent);
		expect(unchanged).toMatchObject({ ok: false, status: 409 });
		expect(!unchanged.ok && unchanged.message).toMatch(
			/^Rien n’a changé depuis la convocation du /
		);
		// Its agenda changed: sent again on purpose, it goes, and says so.
		await addAgendaFiches(db, member, id, ['5-1'], null);
		expect((await conveneSitting(db, member, id, null, clock + 60_000, sent)).ok).toBe(true);
		clock += 120_000;
		const again = await deliver();
		expect(again[0]!.mail.subject).toBe(
			'Commission des usages numériques\u00a0: séance du 1er\u00a0mars\u00a02026 (convocation mise à jour)'
		);
		expect(again[0]!.mail.text).toContain(
			'L’ordre du jour a changé depuis la précédente convocation, que celle-ci remplace.'
		);
		// Moved since: the next one says from when, and that it replaces the previous.
		const moved = await updateSitting(
			db,
			member,
			id,
			{ heldOn: '2026-03-08', startsAt: '14:00', place: 'Cahors', title: 'Séance' },
			null
		);
		expect(moved.ok).toBe(true);
		const last = (await findSitting(db, id))!.convenedAt;
		expect((await conveneSitting(db, member, id, null, clock, last)).ok).toBe(true);
		const [movedMail] = await deliver();
		expect(movedMail!.mail.subject).toBe(
			'Commission des usages numériques\u00a0: séance du 8\u00a0mars\u00a02026 (nouvelle date)'
		);
		expect(movedMail!.mail.text).toContain(
			'La séance prévue le 1er\u00a0mars\u00a02026 (Cahors) est déplacée\u00a0: cette convocation remplace la précédente.'
		);
	});

	it('counts apart, not as convened, those who turned the commission’s messages off', async () => {
		await commissionMessages(member, false);
		const id = await sittingWith(['9-1']);
		expect(await conveneSitting(db, member, id, null, clock)).toEqual({
			ok: true,
			value: {
				members: 0,
				partners: 2,
				optedOut: 1,
				released: 0,
				notReached: [{ id: member.id, group: 'members' }]
			}
		});
		expect((await deliver()).map((m) => m.envelopeTo[0]).sort()).toEqual([
			'chloe@cdg46.fr',
			'paul@cdg46.fr'
		]);
	});

	// A first convocation written to nobody marked the séance « convoquée » (its agenda out to the
	// partners) while nobody was told.
	it('refuses a convocation that reaches nobody: not recorded, the séance not convened', async () => {
		await commissionMessages(member, false);
		const id = await sittingWith(['10-1']);
		const refused = await conveneSitting(db, member, id, null, clock, null);
		expect(refused).toEqual({
			ok: false,
			status: 409,
			message:
				'Aucune convocation n’a été écrite : les messages de la commission sont coupés pour vous-même, et personne d’autre n’est à convoquer. La séance n’est pas convoquée (son ordre du jour n’est pas annoncé aux partenaires) : rétablissez-les (vos préférences, à /compte), puis envoyez la convocation.'
		});
		expect((await findSitting(db, id))!.convenedAt).toBeNull();
		expect(await deliver()).toEqual([]);
		const journal = await db
			.selectFrom('audit_event')
			.select('id')
			.where('action', '=', 'session.convened')
			.execute();
		expect(journal).toEqual([]);
		// Messages turned on again: convened.
		await commissionMessages(member, true);
		expect(await conveneSitting(db, member, id, null, clock, null)).toMatchObject({
			ok: true,
			value: { members: 1 }
		});
	});

	it('names those who turned the messages off, and says when there is nobody to convene', async () => {
		await commissionMessages(partner, false);
		await commissionMessages(colleague, false);
		await commissionMessages(member, false);
		const id = await sittingWith(['9-1']);
		const refused = await conveneSitting(db, admin, id, null, clock, null);
		expect(!refused.ok && refused.message).toMatch(
			/^Aucune convocation n’a été écrite : les messages de la commission sont coupés pour Claude Commission, un compte de \S+ et un compte de \S+, et personne d’autre n’est à convoquer\. .* : prévenez ces personnes autrement, ou qu’elles les rétablissent \(à \/compte\), puis envoyez la convocation\.$/
		);
		// No active member, no partner account: nobody at all.
		await db
			.updateTable('user_account')
			.set({ disabled_at: new Date(clock).toISOString() })
			.where('id', '=', member.id)
			.execute();
		const free = await preparedSitting(db, admin, { fiches: [], heldOn: '2026-03-01' });
		await addAgendaFreeItem(db, admin, free, 'Questions diverses', null);
		const nobody = await conveneSitting(db, admin, free, null, clock, null);
		expect(!nobody.ok && nobody.message).toMatch(
			/^Personne à convoquer : aucun membre de la commission n’a de compte actif/
		);
		expect((await findSitting(db, free))!.convenedAt).toBeNull();
	});

	it('refuses a convocation sent again that reaches nobody: the last one stays, its messages waiting too', async () => {
		const id = await sittingWith(['10-1'], '2026-03-20');
		await recordRelayFailure(db, {
			now: clock - 60_000,
			failures: 1,
			pausedUntil: clock + 60_000,
			reason: 'Serveur de courrier injoignable (ECONNREFUSED).'
		});
		expect((await conveneSitting(db, member, id, null, clock, null)).ok).toBe(true);
		const first = (await findSitting(db, id))!.convenedAt;
		await updateSitting(
			db,
			member,
			id,
			{ heldOn: '2026-03-22', startsAt: null, place: 'Cahors', title: 'Séance' },
			null
		);
		await commissionMessages(member, false);
		const refused = await conveneSitting(db, member, id, null, clock + 60_000, first);
		expect(!refused.ok && refused.message).toContain(
			`La convocation du ${formatMoment(first!)} reste la dernière`
		);
		expect((await findSitting(db, id))!.convenedAt).toBe(first);
		expect(convokeAgainMessage(await changedSinceConvened(db, id))).not.toBeNull();
		// The first convocation's message was not cancelled by the refused one.
		const messages = await db
			.selectFrom('mail_outbox')
			.select('status')
			.where('sitting_id', '=', id)
			.execute();
		expect(messages.map((m) => m.status)).toEqual(['pending']);
	});

	it('names to the convener those who no longer receive the commission’s messages: a partner by organisation (review)', async () => {
		await commissionMessages(partner, false);
		const id = await sittingWith(['9-1']);
		const convened = await conveneSitting(db, member, id, null, clock);
		expect(convened).toMatchObject({ ok: true, value: { optedOut: 1, partners: 1 } });
		if (!convened.ok) throw new Error(convened.message);
		expect(convened.value.notReached).toEqual([{ id: partner.id, group: 'partners' }]);
		const { notReached } = await withNames(db, convened.value, member);
		expect(notReached).toEqual([expect.stringMatching(/^un compte de \S/)]);
		expect(notReached[0]).not.toContain(partner.name);
		// Kept by account, never by name (commission's leftovers, finding 2).
		const kept = await db
			.selectFrom('commission_session')
			.select('convened_as')
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
		expect(JSON.parse(kept.convened_as!).written.notReached).toEqual([
			{ id: partner.id, group: 'partners' }
		]);
	});

	// Walkthrough s50: « Un compte de AMF46 ne reçoit plus les messages de la commission »: no
	// elision, and « plus » of someone who may never have received any.
	it('names a partner’s organisation with the elision French wants, and says « ne reçoit pas »', async () => {
		await db
			.updateTable('organisation')
			.set({ name: 'Ad’Essai' })
			.where('slug', '=', 'cdg46')
			.execute();
		await commissionMessages(partner, false);
		const convened = await conveneSitting(db, member, await sittingWith(['9-1']), null, clock);
		if (!convened.ok) throw new Error(convened.message);
		const named = await withNames(db, convened.value, member);
		expect(named.notReached).toEqual(['un compte d’Ad’Essai']);
		expect(convocationSummary(named, true, null)).toContain(
			' Un compte d’Ad’Essai ne reçoit pas les messages de la commission (préférences, à /compte) : à prévenir autrement.'
		);
	});

	it('tells a convened partner whose fiches left the agenda, and writes the cancellation to them too', async () => {
		const id = await sittingWith(['9-1']);
		await conveneSitting(db, member, id, null, clock);
		await deliver();
		const [item] = await db
			.selectFrom('agenda_item')
			.select('id')
			.where('session_id', '=', id)
			.execute();
		expect((await removeAgendaItem(db, member, id, item!.id, null)).ok).toBe(true);
		await addAgendaFreeItem(db, member, id, 'Questions diverses', null);
		const sent = (await findSitting(db, id))!.convenedAt;
		expect(await conveneSitting(db, member, id, null, clock, sent)).toEqual({
			ok: true,
			value: { members: 1, partners: 0, optedOut: 0, released: 2, notReached: [] }
		});
		const told = await deliver();
		const released = told.filter((m) => m.envelopeTo[0] !== 'claude@commission.fr');
		expect(released.map((m) => m.envelopeTo[0]).sort()).toEqual([
			'chloe@cdg46.fr',
			'paul@cdg46.fr'
		]);
		expect(released[0]!.mail.subject).toBe(
			'Séance du 1er\u00a0mars\u00a02026\u00a0: vos fiches ne sont plus à l’ordre du jour — commission des usages numériques'
		);
		expect(released[0]!.mail.text).toContain('la convocation que vous aviez reçue ne vaut plus');
		// Cancelled now: everyone its convocations reached is told, the partners included.
		await conveneSitting(db, member, id, null, clock, (await findSitting(db, id))!.convenedAt);
		// The member who deleted it reads to how many its cancellation went.
		expect(await deleteSitting(db, member, id, null, new Date(clock))).toEqual({
			ok: true,
			value: { convened: true, told: 1 }
		});
		expect((await deliver()).map((m) => m.envelopeTo[0]).sort()).toEqual(['claude@commission.fr']);
	});

	it('writes the cancellation to a partner convened whose fiche left the agenda without a new convocation', async () => {
		const id = await sittingWith(['9-1']);
		await addAgendaFreeItem(db, member, id, 'Questions diverses', null);
		await conveneSitting(db, member, id, null, clock);
		await deliver();
		const [item] = await db
			.selectFrom('agenda_item')
			.select('id')
			.where('session_id', '=', id)
			.where('fiche_id', 'is not', null)
			.execute();
		expect((await removeAgendaItem(db, member, id, item!.id, null)).ok).toBe(true);
		expect(await deleteSitting(db, member, id, null, new Date(clock))).toEqual({
			ok: true,
			value: { convened: true, told: 3 }
		});
		expect((await deliver()).map((m) => m.envelopeTo[0]).sort()).toEqual([
			'chloe@cdg46.fr',
			'claude@commission.fr',
			'paul@cdg46.fr'
		]);
	});

	it('tells a partner which of their fiches left the agenda when another stays (mail review, s40)', async () => {
		const id = await sittingWith(['9-1', '12-1']);
		await conveneSitting(db, member, id, null, clock);
		await deliver();
		const [first] = await db
			.selectFrom('agenda_item')
			.select('id')
			.where('session_id', '=', id)
			.orderBy('position')
			.execute();
		expect((await removeAgendaItem(db, member, id, first!.id, null)).ok).toBe(true);
		expect((await conveneSitting(db, member, id, null, clock)).ok).toBe(true);
		const toPaul = (await deliver()).find((m) => m.envelopeTo[0] === 'paul@cdg46.fr')!;
		expect(toPaul.mail.text).toMatch(/La fiche 9-1 — [^\n]+ n’est plus à l’ordre du jour\./);
		expect(toPaul.mail.text).toContain('12-1 — ');
		expect(toPaul.mail.text).toContain('L’ordre du jour a changé depuis la précédente convocation');
	});

	it('does not tell a partner that a fiche whose title was corrected left the agenda', async () => {
		const id = await sittingWith(['9-1', '12-1']);
		await conveneSitting(db, member, id, null, clock);
		await deliver();
		await db
			.updateTable('fiche')
			.set({ title: 'Titre corrigé de la fiche' })
			.where('code', '=', '12-1')
			.execute();
		expect((await conveneSitting(db, member, id, null, clock)).ok).toBe(true);
		const toPaul = (await deliver()).find((m) => m.envelopeTo[0] === 'paul@cdg46.fr')!;
		expect(toPaul.mail.text).toContain('12-1 — Titre corrigé de la fiche');
		expect(toPaul.mail.text).not.toContain('n’est plus à l’ordre du jour');
	});

	it('does not write again to a partner whose fiches are as announced when only the rest of the agenda changed', async () => {
		const id = await sittingWith(['12-1']);
		await conveneSitting(db, member, id, null, clock);
		const convened = (await deliver()).map((m) => m.envelopeTo[0]).sort();
		expect(convened).toContain('paul@cdg46.fr');
		await addAgendaFreeItem(db, member, id, 'Questions diverses', null);
		expect(await conveneSitting(db, member, id, null, clock)).toMatchObject({
			ok: true,
			value: { members: 1, partners: 0 }
		});
		const again = await deliver();
		expect(again.map((m) => m.envelopeTo[0])).toEqual(['claude@commission.fr']);
		expect(again[0]!.mail.text).toContain('L’ordre du jour a changé');
		// Nothing more to tell anyone: refused.
		expect(await conveneSitting(db, member, id, null, clock)).toMatchObject({
			ok: false,
			status: 409
		});
		// Their convocation still holds: a deletion tells them.
		expect(await deleteSitting(db, member, id, null, new Date(clock))).toMatchObject({ ok: true });
		expect((await deliver()).map((m) => m.envelopeTo[0]).sort()).toEqual(convened);
		// A form still open on it is told it was cancelled, not « créée par erreur » (commission's-
		// year review, finding 3).
		expect(await addAgendaFreeItem(db, member, id, 'Invité tardif', null)).toMatchObject({
			ok: false,
			message:
				'Cette séance a été annulée après sa convocation : rien n’a été enregistré. Retrouvez les séances sur la page de la commission.'
		});
	});

	it('writes again only to those newly concerned when the séance and its agenda are as announced', async () => {
		const id = await sittingWith([]);
		await addAgendaFreeItem(db, member, id, 'Bilan de l’année', null);
		await conveneSitting(db, member, id, null, clock);
		expect((await deliver()).map((m) => m.envelopeTo[0])).toEqual(['claude@commission.fr']);
		await createTestUser(db, {
			email: 'nadia@commission.fr',
			name: 'Nadia Commission',
			role: 'commission'
		});
		const sent = (await findSitting(db, id))!.convenedAt;
		expect(await conveneSitting(db, member, id, null, clock, sent)).toMatchObject({
			ok: true,
			value: { members: 1, partners: 0 }
		});
		const [first] = await deliver();
		expect(first!.envelopeTo).toEqual(['nadia@commission.fr']);
		// Her first convocation: it replaces nothing.
		expect(first!.mail.subject).toBe(
			'Commission des usages numériques\u00a0: séance du 1er\u00a0mars\u00a02026'
		);
	});

	it('writes its cancellation to those convened when a séance is deleted, and only then', async () => {
		const sitting = (title: string) =>
			sittingWith(['9-1'], '2026-03-01', { startsAt: '09:30', place: 'Figeac', title });
		const quiet = await sitting('Jamais convoquée');
		expect(await deleteSitting(db, member, quiet, null, new Date(clock))).toMatchObject({
			ok: true
		});
		expect(await deliver()).toEqual([]);

		const convened = await sitting('Séance en double');
		await conveneSitting(db, member, convened, null, clock);
		await deliver();
		expect(await deleteSitting(db, member, convened, null, new Date(clock))).toMatchObject({
			ok: true
		});
		const cancelled = await deliver();
		expect(cancelled.map((m) => m.envelopeTo[0]).sort()).toEqual([
			'chloe@cdg46.fr',
			'claude@commission.fr',
			'paul@cdg46.fr'
		]);
		expect(cancelled[0]!.mail.subject).toBe(
			'Séance du 1er\u00a0mars\u00a02026\u00a0annulée — commission des usages numériques'
		);
		expect(cancelled[0]!.mail.text).toContain(
			'«\u00a0Séance en double\u00a0» de la commission des usages numériques, prévue le 1er\u00a0mars\u00a02026\u00a0à 9\u00a0h\u00a030 (Figeac) et annoncée par sa convocation, est annulée.'
		);
		// A real séance may be cancelled for any reason: none is made up for it.
		expect(cancelled[0]!.mail.text).not.toContain('par erreur');

		// Moved after its convocation, never convened again, then deleted: those convened are told
		// of the séance they knew, on 1 March in Figeac, not of a day they never heard of.
		const moved = await sitting('Séance déplacée');
		await conveneSitting(db, member, moved, null, clock);
		await deliver();
		const edit = await updateSitting(
			db,
			member,
			moved,
			{ heldOn: '2026-03-08', startsAt: '14:00', place: 'Cahors', title: 'Séance déplacée' },
			null
		);
		expect(edit.ok).toBe(true);
		expect(await deleteSitting(db, member, moved, null, new Date(clock))).toMatchObject({
			ok: true
		});
		const told = await deliver();
		expect(told[0]!.mail.subject).toBe(
			'Séance du 1er\u00a0mars\u00a02026\u00a0annulée — commission des usages numériques'
		);
		expect(told[0]!.mail.text).toContain(
			'prévue le 1er\u00a0mars\u00a02026\u00a0à 9\u00a0h\u00a030 (Figeac)'
		);
	});
});

// Who a convocation sent again reaches (review of s39).
describe('a convocation sent again', () => {
	it('convenes a member who had turned the commission’s messages off and turned them on again', async () => {
		const nadia = await createTestUser(db, {
			email: 'nadia@commission.fr',
			name: 'Nadia Commission',
			role: 'commission'
		});
		await commissionMessages(nadia, false);
		const id = await sittingWith(['9-1'], '2026-03-20');
		expect(await conveneSitting(db, member, id, null, clock)).toMatchObject({
			ok: true,
			value: { optedOut: 1 }
		});
		await mail.deliver();
		// Pressed again while she still turns them off: nothing to write, refused (no journal row).
		const unchanged = await conveneSitting(
			db,
			member,
			id,
			null,
			clock,
			(await findSitting(db, id))!.convenedAt
		);
		expect(unchanged).toMatchObject({ ok: false, status: 409 });
		expect(!unchanged.ok && unchanged.message).toMatch(
			/ne reçoivent pas les messages de la commission/
		);
		// She wants the commission's messages again: pressing « Envoyer la convocation » should reach her.
		await commissionMessages(nadia, true);
		const sent = (await findSitting(db, id))!.convenedAt;
		const again = await conveneSitting(db, member, id, null, clock, sent);
		// No mail was written to her: she is not among those convened.
		expect(again).toMatchObject({ ok: true, value: { members: 1 } });
		expect((await mail.deliver()).map((m) => m.envelopeTo[0])).toEqual(['nadia@commission.fr']);
	});

	it('does not tell a former member (now an administrator) that « vos fiches ne sont plus à l’ordre du jour »', async () => {
		const nadia = await createTestUser(db, {
			email: 'nadia@commission.fr',
			name: 'Nadia Commission',
			role: 'commission'
		});
		const id = await sittingWith(['9-1'], '2026-03-20');
		await conveneSitting(db, member, id, null, clock);
		await mail.deliver();
		// She leaves the commission: now one of Lot numérique's administrators.
		await db
			.updateTable('user_account')
			.set({ role: 'admin' })
			.where('id', '=', nadia.id)
			.execute();
		const sent = (await findSitting(db, id))!.convenedAt;
		await conveneSitting(db, member, id, null, clock, sent);
		const mails = await mail.deliver();
		const toNadia = mails.filter((m) => m.envelopeTo[0] === 'nadia@commission.fr');
		// She was convened as a member: « vos fiches » never were hers.
		expect(toNadia.map((m) => m.mail.subject)).not.toContainEqual(
			expect.stringContaining('vos fiches ne sont plus à l’ordre du jour')
		);
	});

	it('does not tell everyone « L’ordre du jour a changé » when a séance convened before 2026-12-05 is convened again unchanged', async () => {
		const id = await sittingWith(['9-1'], '2026-03-20');
		await conveneSitting(db, member, id, null, clock);
		await mail.deliver();
		await convenedBeforeDecember(id);
		const sent = (await findSitting(db, id))!.convenedAt;
		expect((await conveneSitting(db, member, id, null, clock, sent)).ok).toBe(true);
		const texts = (await mail.deliver()).map((m) => m.mail.text);
		expect(texts.length).toBeGreaterThan(0);
		// Whether the agenda changed is not known: it is not said.
		for (const text of texts) expect(text).not.toContain('L’ordre du jour a changé');
	});
});

// Left as noticed in s41: a partner's part of the agenda changed while the agenda did not.
describe('a convocation sent again after an organisation joined a fiche on the agenda', () => {
	/** The organisation `slug` becomes a partner of the fiche `code`, or ceases to be one. */
	async function partnership(code: string, slug: string, partner: boolean) {
		const fiche = await db
			.selectFrom('fiche')
			.select('id')
			.where('code', '=', code)
			.executeTakeFirstOrThrow();
		const organisation = await db
			.selectFrom('organisation')
			.select('id')
			.where('slug', '=', slug)
			.executeTakeFirstOrThrow();
		if (partner)
			await db
				.insertInto('fiche_partner')
				.values({
					fiche_id: fiche.id,
					organisation_id: organisation.id,
					detail: null,
					position: 99
				})
				.execute();
		else
			await db
				.deleteFrom('fiche_partner')
				.where('fiche_id', '=', fiche.id)
				.where('organisation_id', '=', organisation.id)
				.execute();
	}

	/** « Envoyer la convocation » on the séance's page as read now. */
	const pressedOnPageReadAgain = async (id: number) =>
		conveneSitting(db, member, id, null, clock, (await findSitting(db, id))!.convenedAt);

	it('reaches its accounts, convened for another fiche, about the new one; and only them', async () => {
		const sam = await createTestUser(db, PEOPLE.sam); // SDAIL: on 6-1, not on 10-1
		const id = await sittingWith(['10-1', '6-1'], '2026-03-20');
		expect((await conveneSitting(db, member, id, null, clock, null)).ok).toBe(true);
		const first = (await deliver()).find((m) => m.envelopeTo[0] === sam.email)!;
		expect(first.mail.text).toContain('/fiches/6-1');
		expect(first.mail.text).not.toContain('/fiches/10-1');
		// SDAIL joins 10-1: the agenda reads the same, Sam's part of it does not.
		await partnership('10-1', 'sdail', true);
		const shown = (await findSitting(db, id))!.convenedAt;
		expect(await conveneSitting(db, member, id, null, clock, shown)).toMatchObject({
			ok: true,
			value: { members: 0, partners: 1, released: 0 }
		});
		const again = await deliver();
		expect(again.map((m) => m.envelopeTo[0])).toEqual([sam.email]);
		expect(again[0]!.mail.subject).toContain('(convocation mise à jour)');
		expect(again[0]!.mail.text).toContain('/fiches/10-1');
		expect(again[0]!.mail.text).toContain('/fiches/6-1');
		expect(again[0]!.mail.text).not.toContain('n’est plus à l’ordre du jour');
		// Nothing changed for anyone since: refused.
		expect(await pressedOnPageReadAgain(id)).toMatchObject({ ok: false, status: 409 });
		// SDAIL leaves 10-1: Sam reads his part without it, and not that 10-1 left the agenda.
		await partnership('10-1', 'sdail', false);
		expect((await pressedOnPageReadAgain(id)).ok).toBe(true);
		const last = await deliver();
		expect(last.map((m) => m.envelopeTo[0])).toEqual([sam.email]);
		expect(last[0]!.mail.text).not.toContain('/fiches/10-1');
		expect(last[0]!.mail.text).toContain('/fiches/6-1');
		expect(last[0]!.mail.text).not.toContain('n’est plus à l’ordre du jour');
	});
});

// Mail review of s40: a first convocation read « que celle-ci remplace ».
describe('a first convocation after others were sent', () => {
	it('is a plain convocation to a partner the previous one did not reach, moved or not', async () => {
		const sam = await createTestUser(db, PEOPLE.sam); // SDAIL: on 6-1, not on 10-1
		const id = await sittingWith(['10-1'], '2026-03-20');
		expect((await conveneSitting(db, member, id, null, clock, null)).ok).toBe(true);
		await deliver();
		await addAgendaFiches(db, member, id, ['6-1'], null);
		const moved = { heldOn: '2026-03-21', startsAt: null, place: 'Cahors', title: 'Séance' };
		expect((await updateSitting(db, member, id, moved, null)).ok).toBe(true);
		const shown = (await findSitting(db, id))!.convenedAt;
		expect((await conveneSitting(db, member, id, null, clock, shown)).ok).toBe(true);
		const mails = await deliver();
		const toSam = mails.filter((m) => m.envelopeTo[0] === sam.email);
		expect(toSam.map((m) => m.mail.subject)).toEqual([
			'Commission des usages numériques\u00a0: séance du 21\u00a0mars\u00a02026'
		]);
		expect(toSam[0]!.mail.text).not.toContain('remplace');
		expect(toSam[0]!.mail.text).not.toContain('déplacée');
		// The member convened before reads that the séance moved.
		const toMember = mails.find((m) => m.envelopeTo[0] === 'claude@commission.fr')!;
		expect(toMember.mail.subject).toContain('(nouvelle date)');
	});
});

// Commission review of s40: convocations to a day gone.
describe('a convocation to a day gone', () => {
	it('is refused for a séance whose day is past (Paris), moved there or held', async () => {
		const id = await sittingWith(['9-1'], '2026-02-26');
		expect(await conveneSitting(db, member, id, null, clock, null)).toMatchObject({
			ok: false,
			status: 409,
			message: expect.stringContaining('datée du 26\u00a0février\u00a02026, un jour passé')
		});
		// Convened, then moved into the past: no « nouvelle date » to a day gone.
		const later = await sittingWith(['9-1'], '2026-03-20');
		expect((await conveneSitting(db, member, later, null, clock, null)).ok).toBe(true);
		const past = { heldOn: '2026-02-20', startsAt: null, place: 'Cahors', title: 'Séance' };
		expect((await updateSitting(db, member, later, past, null)).ok).toBe(true);
		const shown = (await findSitting(db, later))!.convenedAt;
		expect((await conveneSitting(db, member, later, null, clock, shown)).ok).toBe(false);
		// Today's séance, held: it is no longer announced.
		const today = await sittingWith(['9-1'], '2026-02-27');
		await changeSittingState(db, member, today, 'held', null, new Date(clock));
		expect(await conveneSitting(db, member, today, null, clock, null)).toMatchObject({
			ok: false,
			message: 'La séance est déjà tenue : il n’y a plus personne à convoquer.'
		});
		await deliver();
		expect((await deliver()).length).toBe(0);
	});
});

// Left noticed s47: a séance convened for a day to come could be moved to a day gone, where no
// convocation goes any more: those convened would come on the announced day, never told.
describe('a convened séance moved to a moment already past', () => {
	it('is refused while its announced day is to come; moved to a day to come, it asks to convene again', async () => {
		const id = await sittingWith(['9-1'], '2026-03-20');
		expect((await conveneSitting(db, member, id, null, clock, null)).ok).toBe(true);
		const at = (heldOn: string, startsAt: string | null = null) =>
			updateSitting(
				db,
				member,
				id,
				{ heldOn, startsAt, place: 'Cahors', title: 'Séance' },
				null,
				null,
				new Date(clock)
			);
		const pastDay = await at('2026-02-20');
		expect(pastDay).toMatchObject({ ok: false, status: 400 });
		const refused = pastDay.ok ? '' : pastDay.message;
		expect(refused).toMatch(
			/^Sa convocation du .* l’annonce le 20\s+mars\s+2026 : déplacée à un jour passé, elle ne pourrait plus être convoquée de nouveau/
		);
		expect(pastDay.ok ? null : pastDay.fieldErrors).toEqual({ held_on: refused });
		// Today at an hour gone (10:00 in Paris by the spec's clock): refused on the hour.
		const pastHour = await at('2026-02-27', '08:00');
		expect(pastHour.ok ? null : pastHour.fieldErrors).toHaveProperty('starts_at');
		expect((await findSitting(db, id))!.heldOn).toBe('2026-03-20');
		// A day to come: taken, and the answer asks to send the convocation again.
		const later = await at('2026-03-25');
		expect(later.ok).toBe(true);
		expect(convokeAgainMessage(later.ok ? later.value.sinceConvened : null)).toContain(
			'envoyez-la de nouveau'
		);
	});
});

// Review h43: a séance of today at 08:00 was convened at 16:04, eight hours after its start.
describe('a séance whose hour has passed today (Paris)', () => {
	it('is not convened, as one whose day is past; later that day, or without an hour, it is', async () => {
		// 27 February 2026, 10:00 in Paris (the spec's clock, UTC+1).
		const today = '2026-02-27';
		const early = await sittingWith(['9-1'], today);
		const at = (startsAt: string) =>
			updateSitting(
				db,
				member,
				early,
				{ heldOn: today, startsAt, place: 'Cahors', title: 'Séance' },
				null
			);
		await at('08:00');
		expect(await conveneSitting(db, member, early, null, clock, null)).toMatchObject({
			ok: false,
			status: 409,
			message: expect.stringMatching(
				/^La séance est prévue le 27\u00a0février\u00a02026 à 8\u00a0h, une heure passée : sa convocation ne part pas\./
			)
		});
		// Moved to later that day: convened.
		await at('18:00');
		expect((await conveneSitting(db, member, early, null, clock, null)).ok).toBe(true);
		const untimed = await sittingWith(['9-1'], today, { place: 'Gourdon' });
		expect((await conveneSitting(db, member, untimed, null, clock, null)).ok).toBe(true);
	});
});

// Commission review of s40: nothing said the convocation was out of date.
describe('the agenda of a convened séance changed', () => {
	it('is told until the convocation is sent again', async () => {
		const agendaChanged = async (id: number) => (await changedSinceConvened(db, id))?.agenda;
		const id = await sittingWith(['9-1'], '2026-03-20');
		expect(await changedSinceConvened(db, id)).toBeNull();
		expect((await conveneSitting(db, member, id, null, clock, null)).ok).toBe(true);
		expect(await agendaChanged(id)).toBe(false);
		await addAgendaFreeItem(db, member, id, 'Questions diverses', null);
		expect(await agendaChanged(id)).toBe(true);
		const shown = (await findSitting(db, id))!.convenedAt;
		expect((await conveneSitting(db, member, id, null, clock, shown)).ok).toBe(true);
		expect(await agendaChanged(id)).toBe(false);
	});
});

// Review h43: a move was told once, to its author; a title changed was not told at all.
describe('a convened séance moved or renamed', () => {
	const announced: { heldOn: string; startsAt: string | null; place: string; title: string } = {
		heldOn: '2026-03-20',
		startsAt: null,
		place: 'Cahors',
		title: 'Séance'
	};
	const edit = (id: number, changes: Partial<typeof announced>) =>
		updateSitting(db, member, id, { ...announced, ...changes }, null);

	it('is told, from what the convocation announced, until it is sent again', async () => {
		const id = await sittingWith(['9-1'], '2026-03-20');
		expect((await conveneSitting(db, member, id, null, clock, null)).ok).toBe(true);
		expect(convokeAgainMessage(await changedSinceConvened(db, id))).toBeNull();
		await edit(id, { heldOn: '2026-03-22', startsAt: '14:30', place: 'Figeac' });
		// Read again (another member, the page reloaded): still told, with what was announced.
		expect(convokeAgainMessage(await changedSinceConvened(db, id))).toMatch(
			/^La convocation du .* annonçait un autre jour \(le 20\u00a0mars\u00a02026\), une autre heure \(elle n’en donnait pas\) et un autre lieu \(Cahors\) : envoyez-la de nouveau/
		);
		// Moved back to the day, hour and place announced: nothing left to tell, nor to send.
		await edit(id, {});
		expect(convokeAgainMessage(await changedSinceConvened(db, id))).toBeNull();
		const shown = (await findSitting(db, id))!.convenedAt;
		expect(await conveneSitting(db, member, id, null, clock, shown)).toMatchObject({
			ok: false,
			message: expect.stringMatching(/^Rien n’a changé depuis la convocation du /)
		});
	});

	it('says a new title, in the page and in the convocation sent again', async () => {
		const id = await sittingWith(['9-1'], '2026-03-20');
		expect((await conveneSitting(db, member, id, null, clock, null)).ok).toBe(true);
		await deliver();
		await edit(id, { title: 'Séance de printemps' });
		expect(convokeAgainMessage(await changedSinceConvened(db, id))).toMatch(
			/annonçait un autre intitulé \(« Séance »\) : envoyez-la de nouveau/
		);
		const shown = (await findSitting(db, id))!.convenedAt;
		expect((await conveneSitting(db, member, id, null, clock, shown)).ok).toBe(true);
		const [again] = await deliver();
		expect(again!.mail.subject).toBe(
			'Commission des usages numériques\u00a0: séance du 20\u00a0mars\u00a02026 (nouvel intitulé)'
		);
		expect(again!.mail.text).toContain(
			'Son intitulé devient «\u00a0Séance de printemps\u00a0» (il était «\u00a0Séance\u00a0»)\u00a0: cette convocation remplace la précédente.'
		);
		expect(await changedSinceConvened(db, id)).toMatchObject({ facts: [], agenda: false });
	});
});

// Probe of s40: « Séance annulée » reached people the convocation never had.
describe('the cancellation of a convened séance', () => {
	it('goes to those its convocation reached, not to a partner whose fiche joined the agenda since', async () => {
		const sam = await createTestUser(db, PEOPLE.sam); // SDAIL: on 6-1, not on 10-1
		const id = await sittingWith(['10-1'], '2026-03-20');
		expect((await conveneSitting(db, member, id, null, clock, null)).ok).toBe(true);
		const convened = (await deliver()).map((m) => m.envelopeTo[0]).sort();
		await addAgendaFiches(db, member, id, ['6-1'], null);
		expect(await deleteSitting(db, member, id, null, new Date(clock))).toMatchObject({ ok: true });
		const cancelled = (await deliver()).map((m) => m.envelopeTo[0]).sort();
		expect(cancelled).toEqual(convened);
		expect(cancelled).not.toContain(sam.email);
	});

	it('leaves its links saying it was cancelled, to those convened; a séance never convened, created by mistake', async () => {
		const id = await sittingWith(['9-1'], '2026-03-20');
		expect((await conveneSitting(db, member, id, null, clock, null)).ok).toBe(true);
		await deliver();
		const quiet = await sittingWith(['9-1'], '2026-03-21');
		expect((await deleteSitting(db, member, id, null, new Date(clock))).ok).toBe(true);
		expect((await deleteSitting(db, member, quiet, null, new Date(clock))).ok).toBe(true);
		const reading = (sittingId: number, user: User, manages = false) =>
			deletedSittingNotice(db, sittingId, { id: user.id, manages });
		const written = await db
			.selectFrom('mail_outbox')
			.select('id')
			.where('sitting_id', '=', id)
			.where('kind', '=', 'cancelled')
			.execute();
		expect(written.length).toBeGreaterThan(0);
		expect(await reading(id, member, true)).toBe(cancelledSittingOpenedMessage(written.length));
		expect(await reading(id, partner)).toBe(cancelledSittingOpenedMessage(written.length));
		expect(cancelledSittingOpenedMessage(written.length)).toContain(
			'annulée après sa convocation : un courriel d’annulation a été écrit'
		);
		// Review s44: « prévenues par courriel » was said even when no cancellation was written.
		expect(cancelledSittingOpenedMessage(0)).not.toContain('courriel');
		// The deleter's notice is read from the séance, never from the address (probe s44: a link
		// made up by hand, ?annulee=999999, said a cancellation had gone to 999 999 people).
		expect(await sittingDeletionNotice(db, id, true)).toEqual({
			convened: true,
			told: written.length
		});
		expect(await sittingDeletionNotice(db, quiet, true)).toEqual({ convened: false });
		expect(await sittingDeletionNotice(db, id, false)).toBeNull();
		expect(await sittingDeletionNotice(db, 999999, true)).toBeNull();
		const kept = await sittingWith(['9-1'], '2026-03-22');
		expect(await sittingDeletionNotice(db, kept, true)).toBeNull();
		// Nor does its page, for a séance not deleted or unknown, even to a member.
		expect(await reading(kept, member, true)).toBeNull();
		expect(await reading(999999, member, true)).toBeNull();
		// An account its convocation did not reach (the administrator) reads « n’existe pas ».
		expect(await reading(id, admin)).toBeNull();
		expect(await reading(quiet, member, true)).toBe(
			'Cette séance a été supprimée (créée par erreur). Retrouvez les séances sur la page de la commission.'
		);
		expect(await reading(quiet, partner)).toBeNull();
		expect(await deletedSittingNotice(db, id, null)).toBeNull();
	});

	it('withdraws a convocation still waiting for the relay, and tells no one who never got one', async () => {
		const id = await sittingWith(['10-1'], '2026-03-20');
		expect((await conveneSitting(db, member, id, null, clock, null)).ok).toBe(true);
		// The relay is down: nothing has left when the séance is deleted.
		expect(await deleteSitting(db, member, id, null, new Date(clock))).toMatchObject({ ok: true });
		expect(await deliver()).toEqual([]);
		const listed = await outboxPage(db, 1);
		const convocations = listed.messages.filter((m) => m.kind === 'convened');
		expect(convocations.length).toBeGreaterThan(0);
		for (const message of convocations) {
			expect(message.status).toBe('cancelled');
			expect(message.lastError).toBe(
				'Non envoyé : la séance a été supprimée avant le départ du message.'
			);
		}
		const journal = await db
			.selectFrom('audit_event')
			.select('summary')
			.where('action', '=', 'session.deleted')
			.executeTakeFirstOrThrow();
		expect(journal.summary).toMatch(
			new RegExp(`${convocations.length}\u00a0messages? pas encore partis? retirés?`)
		);
		expect(journal.summary).not.toContain('annulation écrite');
	});

	it('withdraws a second convocation not yet sent, and still cancels for those the first reached', async () => {
		const id = await sittingWith(['10-1'], '2026-03-20');
		expect((await conveneSitting(db, member, id, null, clock, null)).ok).toBe(true);
		const convened = (await deliver()).map((m) => m.envelopeTo[0]).sort();
		const moved = await updateSitting(
			db,
			member,
			id,
			{ heldOn: '2026-03-21', startsAt: null, place: 'Cahors', title: 'Séance' },
			null
		);
		expect(moved).toMatchObject({ ok: true });
		expect((await conveneSitting(db, member, id, null, clock)).ok).toBe(true);
		expect(await deleteSitting(db, member, id, null, new Date(clock))).toMatchObject({ ok: true });
		const after = await deliver();
		expect(after.map((m) => m.envelopeTo[0]).sort()).toEqual(convened);
		for (const message of after) expect(message.mail.subject).toMatch(/annulée/);
	});

	it('still cancels for those whose first convocation left before messages named their séance (2026-12-12)', async () => {
		const id = await sittingWith(['10-1'], '2026-03-20');
		expect((await conveneSitting(db, member, id, null, clock, null)).ok).toBe(true);
		const convened = (await deliver()).map((m) => m.envelopeTo[0]).sort();
		// As written before 2026_12_12 (no séance on the row), by a séance created before it.
		await db.updateTable('mail_outbox').set({ sitting_id: null }).execute();
		await db
			.updateTable('commission_session')
			.set({ created_at: new Date(clock - 60_000).toISOString() })
			.where('id', '=', id)
			.execute();
		await fillEarlierSittings(db as never);
		const moved = { heldOn: '2026-03-21', startsAt: null, place: 'Cahors', title: 'Séance' };
		expect(await updateSitting(db, member, id, moved, null)).toMatchObject({ ok: true });
		expect((await conveneSitting(db, member, id, null, clock)).ok).toBe(true);
		expect(await deleteSitting(db, member, id, null, new Date(clock))).toMatchObject({ ok: true });
		const after = await deliver();
		expect(after.map((m) => m.envelopeTo[0]).sort()).toEqual(convened);
		for (const message of after) expect(message.mail.subject).toMatch(/annulée/);
	});

	it('goes to the members and the agenda’s partners of a séance convened before 2026-12-05', async () => {
		const id = await sittingWith(['10-1'], '2026-03-20');
		expect((await conveneSitting(db, member, id, null, clock, null)).ok).toBe(true);
		await deliver();
		await convenedBeforeDecember(id);
		await addAgendaFiches(db, member, id, ['9-1'], null);
		expect(await deleteSitting(db, member, id, null, new Date(clock))).toMatchObject({ ok: true });
		expect((await deliver()).map((m) => m.envelopeTo[0])).toEqual(
			expect.arrayContaining(['claude@commission.fr', 'paul@cdg46.fr'])
		);
	});
});

// Probe of s40: a one-word change between two presses sent a convocation to everyone again.
describe('the day’s bound on a séance’s mail', () => {
	it('stops a séance’s convocations after CONVOCATIONS_PER_SITTING_PER_DAY in a day (title toggled)', async () => {
		const id = await sittingWith(['9-1'], '2026-03-20');
		let sent = 0;
		let refusal = '';
		const delivered = [];
		for (let i = 0; i < 12; i++) {
			const shown = (await findSitting(db, id))!.convenedAt;
			const result = await conveneSitting(db, member, id, null, clock, shown);
			if (result.ok) sent++;
			else refusal = result.message;
			// Each leaves before the next is written (one still waiting would be replaced by it).
			delivered.push(...(await deliver()));
			const title = i % 2 ? 'A' : 'B';
			const details = { heldOn: '2026-03-20', startsAt: null, place: 'Cahors', title };
			await updateSitting(db, member, id, details, null);
			clock += 1000;
		}
		expect(sent).toBe(CONVOCATIONS_PER_SITTING_PER_DAY);
		expect(refusal).toContain('déjà partie 10\u00a0fois aujourd’hui');
		const toPartner = delivered.filter((m) => m.envelopeTo[0] === partner.email);
		expect(toPartner).toHaveLength(CONVOCATIONS_PER_SITTING_PER_DAY);
		// The next day (Paris), the séance may be convened again.
		clock = Date.parse('2026-03-03T00:30:00Z');
		const shown = (await findSitting(db, id))!.convenedAt;
		expect((await conveneSitting(db, member, id, null, clock, shown)).ok).toBe(true);
	});

	it('stops an account’s convocations and cancellations after SITTING_MAILINGS_PER_ACCOUNT_PER_DAY in a day', async () => {
		const refusals = new Set<string>();
		const delivered = [];
		for (let i = 0; i < 12; i++) {
			const id = await sittingWith(['9-1'], '2026-03-20');
			const convened = await conveneSitting(db, member, id, null, clock, null);
			if (!convened.ok) refusals.add(convened.message);
			// Sent before the deletion: a convocation still waiting would be withdrawn, not cancelled.
			delivered.push(...(await deliver()));
			const deleted = await deleteSitting(db, member, id, null, new Date(clock));
			if (!deleted.ok) refusals.add(deleted.message);
			clock += 1000;
		}
		delivered.push(...(await deliver()));
		const toPartner = delivered.filter((m) => m.envelopeTo[0] === partner.email);
		expect(toPartner).toHaveLength(SITTING_MAILINGS_PER_ACCOUNT_PER_DAY);
		expect([...refusals]).toEqual([expect.stringContaining('Envoyez cette convocation demain.')]);
		// A convened séance whose cancellation would pass the bound stays, and says why.
		const id = await sittingWith(['9-1'], '2026-03-20');
		expect((await conveneSitting(db, admin, id, null, clock, null)).ok).toBe(true);
		expect(await deleteSitting(db, member, id, null, new Date(clock))).toMatchObject({
			ok: false,
			status: 429,
			message: expect.stringContaining('Supprimez cette séance demain')
		});
		expect(await findSitting(db, id)).toBeDefined();
	});
});

describe('the convener’s summary', () => {
	it('says to how many, whether it left, and whom to warn otherwise', () => {
		expect(
			convocationSummary({ members: 2, partners: 1, released: 0, notReached: [] }, true, null)
		).toBe('Convocation envoyée à 2\u00a0membres de la commission et 1\u00a0partenaire concerné.');
		const summary = convocationSummary(
			{
				members: 1,
				partners: 0,
				released: 1,
				notReached: ['vous-même', 'Claude Commission', 'un compte d’AMF46']
			},
			false,
			null
		);
		expect(summary).toMatch(
			/^Convocation écrite pour 1\u00a0membre de la commission et 1\u00a0partenaire dont les fiches ne sont plus à l’ordre du jour, mais pas envoyée : /
		);
		expect(summary).toContain('cette convocation ne vous parvient pas.');
		expect(summary).toContain(
			'Claude Commission, un compte d’AMF46 ne reçoivent pas les messages de la commission (préférences, à /compte) : à prévenir autrement.'
		);
	});
	// Review s59: « Convocation envoyée à 1 membre de la commission et 0 partenaire concerné. »
	it('names only the counts that are not zero', () => {
		const summary = (members: number, partners: number, released: number) =>
			convocationSummary({ members, partners, released, notReached: [] }, true, null);
		expect(summary(1, 0, 0)).toBe('Convocation envoyée à 1\u00a0membre de la commission.');
		expect(summary(0, 2, 0)).toBe('Convocation envoyée à 2\u00a0partenaires concernés.');
		expect(summary(0, 0, 1)).toBe(
			'Convocation envoyée à 1\u00a0partenaire dont les fiches ne sont plus à l’ordre du jour.'
		);
		expect(summary(3, 1, 2)).toBe(
			'Convocation envoyée à 3\u00a0membres de la commission, 1\u00a0partenaire concerné et 2\u00a0partenaires dont les fiches ne sont plus à l’ordre du jour.'
		);
	});
	// Hostile probe s45: « Convocation envoyée à 2 membres… » while the relay was known down.
	it('says the convocation waits for the mail server while it is known down, and since when', () => {
		const since = Date.UTC(2026, 11, 5, 16, 50);
		const summary = convocationSummary(
			{ members: 2, partners: 1, released: 0, notReached: ['Claude Commission'] },
			true,
			since
		);
		expect(summary).toBe(
			`Convocation écrite pour 2\u00a0membres de la commission et 1\u00a0partenaire concerné ; elle attend : le serveur de courrier ne répond pas depuis le ${formatMoment(since)}, et elle partira dès qu’il répondra. Claude Commission ne reçoit pas les messages de la commission (préférences, à /compte) : à prévenir autrement.`
		);
		expect(summary).not.toContain('envoyée');
	});
});

// Walkthrough s45: « Dernière convocation envoyée le … » on the séance's page during an outage.
describe('the séance’s last convocation, on its page', () => {
	/** A séance with 10-1 on its agenda, convened at `clock` a minute into a relay outage. */
	async function convenedWhileRelayDown() {
		const id = await sittingWith(['10-1']);
		const down = clock - 60_000;
		await recordRelayFailure(db, {
			now: down,
			failures: 1,
			pausedUntil: clock + 60_000,
			reason: 'Serveur de courrier injoignable (ECONNREFUSED).'
		});
		expect(await conveneSitting(db, member, id, null, clock)).toMatchObject({ ok: true });
		return { id, down };
	}

	it('is written and waits for the mail server while it is known down and its messages have not left', async () => {
		const { id, down } = await convenedWhileRelayDown();
		const waiting = await convocationWaitingSince(db, id, clock);
		expect(waiting).toBe(down);
		const line = lastConvocationLine(clock, true, waiting);
		expect(line).toBe(
			`Dernière convocation écrite le ${formatMoment(clock)} ; elle attend le serveur de courrier, qui ne répond pas depuis le ${formatMoment(down)}, et partira dès qu’il répondra.`
		);
		expect(line).not.toContain('envoyée');
		// The relay answers again and the messages leave: sent.
		await clearRelayFailure(db);
		await deliver();
		expect(await convocationWaitingSince(db, id, clock)).toBeNull();
		expect(lastConvocationLine(clock, true, null)).toBe(
			`Dernière convocation envoyée le ${formatMoment(clock)}.`
		);
	});

	it('already left, it was sent even if the relay fails since', async () => {
		const id = await sittingWith(['10-1']);
		await conveneSitting(db, member, id, null, clock);
		await deliver();
		await recordRelayFailure(db, {
			now: clock,
			failures: 1,
			pausedUntil: clock + 60_000,
			reason: 'Serveur de courrier injoignable (ECONNREFUSED).'
		});
		expect(await convocationWaitingSince(db, id, clock)).toBeNull();
	});

	// Left noticed s45: « elle attend » while only an earlier convocation's message waited.
	it('speaks of the last convocation only: an earlier one’s message still waiting is not its own', async () => {
		const { id } = await convenedWhileRelayDown();
		await addAgendaFiches(db, member, id, ['9-1'], null);
		const again = clock + 10 * 60_000;
		expect(await conveneSitting(db, member, id, null, again)).toMatchObject({ ok: true });
		// The second convocation's messages left; the first one's, waiting still, is its own.
		await db
			.updateTable('mail_outbox')
			.set({ status: 'sent', sent_at: again })
			.where('sitting_id', '=', id)
			.where('created_at', '>=', again)
			.execute();
		await db
			.updateTable('mail_outbox')
			.set({ status: 'pending', last_error: null })
			.where('sitting_id', '=', id)
			.where('created_at', '<', again)
			.execute();
		expect(await convocationWaitingSince(db, id, again)).toBeNull();
	});

	// Left noticed s46: a member convened twice during an outage got both convocations once the
	// relay answered again; the later one, which says what changed, replaces the earlier.
	it('replaces an earlier convocation’s message still waiting for the relay', async () => {
		const { id } = await convenedWhileRelayDown();
		await addAgendaFiches(db, member, id, ['9-1'], null);
		const again = clock + 10 * 60_000;
		expect(await conveneSitting(db, member, id, null, again)).toMatchObject({ ok: true });
		const messages = await db
			.selectFrom('mail_outbox')
			.select(['user_id as userId', 'status', 'last_error as error', 'created_at as at'])
			.where('sitting_id', '=', id)
			.where('kind', '=', 'convened')
			.orderBy('created_at')
			.execute();
		const first = messages.filter((m) => m.at < again);
		expect(first.length).toBeGreaterThan(0);
		expect(first.map((m) => [m.status, m.error])).toEqual(
			first.map(() => [
				'cancelled',
				'Non envoyé : une convocation plus récente de la même séance l’a remplacé.'
			])
		);
		// One message waits per person: the last convocation's.
		const waiting = messages.filter((m) => m.status === 'pending');
		expect(new Set(waiting.map((m) => m.userId)).size).toBe(waiting.length);
		expect(waiting.every((m) => m.at >= again)).toBe(true);
	});

	// The journal records the act, not a delivery it cannot know (the messages may still wait).
	it('is « convoquée » in the journal, not « envoyée »', async () => {
		const id = await sittingWith(['10-1']);
		await conveneSitting(db, member, id, null, clock);
		const journal = await db
			.selectFrom('audit_event')
			.select(['action', 'summary'])
			.where('action', '=', 'session.convened')
			.executeTakeFirstOrThrow();
		expect(journal.summary).toBe(
			`Séance du ${formatDate('2026-03-01')} convoquée : 1\u00a0membre, 0\u00a0partenaire`
		);
		expect(journal.summary).not.toContain('envoyée');
		expect(AUDIT_ACTIONS['session.convened']).toBe('Séance de la commission : convoquée');
	});

	it('is written, not sent, without a relay', () => {
		expect(lastConvocationLine(clock, false, null)).toBe(
			`Dernière convocation écrite (pas envoyée : aucun serveur de courrier) le ${formatMoment(clock)}.`
		);
	});
});

describe('a séance convened before each partner’s lines were recorded (before 2026-12-13)', () => {
	it('reaches again a partner whose organisation joined a fiche already on the agenda', async () => {
		const sam = await createTestUser(db, PEOPLE.sam); // SDAIL: on 6-1, not on 10-1
		const id = await sittingWith(['10-1', '6-1'], '2026-03-20');
		expect((await conveneSitting(db, member, id, null, clock, null)).ok).toBe(true);
		await deliver();
		// As a convocation of 2026-12-12 recorded it: no partnerAgenda.
		const row = await db
			.selectFrom('commission_session')
			.select('convened_as')
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
		const as = JSON.parse(row.convened_as!);
		delete as.partnerAgenda;
		await db
			.updateTable('commission_session')
			.set({ convened_as: JSON.stringify(as) })
			.where('id', '=', id)
			.execute();
		const fiche = await db
			.selectFrom('fiche')
			.select('id')
			.where('code', '=', '10-1')
			.executeTakeFirstOrThrow();
		const org = await db
			.selectFrom('organisation')
			.select('id')
			.where('slug', '=', 'sdail')
			.executeTakeFirstOrThrow();
		await db
			.insertInto('fiche_partner')
			.values({ fiche_id: fiche.id, organisation_id: org.id, detail: null, position: 99 })
			.execute();
		const shown = (await findSitting(db, id))!.convenedAt;
		const result = await conveneSitting(db, member, id, null, clock, shown);
		expect(result).toMatchObject({ ok: true });
		// What each partner read is not known: every partner convened is written to again.
		const sent = await deliver();
		expect(sent.map((m) => m.envelopeTo[0]).sort()).toEqual(
			['chloe@cdg46.fr', 'paul@cdg46.fr', sam.email].sort()
		);
		const toSam = sent.find((m) => m.envelopeTo[0] === sam.email)!;
		expect(toSam.mail.text).toContain('10-1');
		expect(toSam.mail.text).toContain('Cette convocation remplace la précédente.');
	});
});

// A convocation sent again after its agenda changed named neither the fiches that left nor those
// that joined it: members compared the two lists themselves (reviewer's finding 3, s43).
describe('a convocation sent again after its agenda changed', () => {
	it('names the fiches that left and joined: all of them to members, theirs to a partner', async () => {
		const id = await sittingWith(['9-1', '10-1'], '2026-03-20');
		await addAgendaFreeItem(db, member, id, 'Questions diverses', null);
		expect((await conveneSitting(db, member, id, null, clock, null)).ok).toBe(true);
		await deliver();
		const [nine] = await db
			.selectFrom('agenda_item')
			.innerJoin('fiche', 'fiche.id', 'agenda_item.fiche_id')
			.select('agenda_item.id')
			.where('agenda_item.session_id', '=', id)
			.where('fiche.code', '=', '9-1')
			.execute();
		expect((await removeAgendaItem(db, member, id, nine!.id, null)).ok).toBe(true);
		await addAgendaFiches(db, member, id, ['1-2', '5-1'], null);
		const sent = (await findSitting(db, id))!.convenedAt;
		expect((await conveneSitting(db, member, id, null, clock, sent)).ok).toBe(true);
		const texts = new Map(
			(await deliver()).map((m) => [m.envelopeTo[0], (m.mail.text ?? '').replace(/\s+/g, ' ')])
		);
		for (const to of ['claude@commission.fr', 'paul@cdg46.fr']) {
			const text = texts.get(to)!;
			expect(text, to).toContain('L’ordre du jour a changé depuis la précédente convocation');
			expect(text, to).toMatch(/La fiche 9-1 — [^.]+ n’est plus à l’ordre du jour\./);
			// The free point and the fiche that stayed are not named as changes.
			expect(text, to).not.toMatch(/10-1 — [^\n]*désormais/);
			expect(text, to).not.toContain('Questions diverses ;');
		}
		expect(texts.get('claude@commission.fr')).toMatch(
			/Ces fiches sont désormais à l’ordre du jour : 1-2 — [^;]+ ; 5-1 — [^.]+\./
		);
		expect(texts.get('paul@cdg46.fr')).toMatch(
			/Ces fiches de votre organisation sont désormais à l’ordre du jour : 1-2 — [^;]+ ; 5-1 — [^.]+\./
		);
	});
});

// Review s43, second read-back: the count told to the deleter of a convened séance included the
// people who had turned the commission's mail off.
describe('a convened séance deleted: the count told to its deleter', () => {
	it('counts only the people the cancellation was written to', async () => {
		const id = await sittingWith(['9-1']);
		await conveneSitting(db, member, id, null, clock);
		await deliver();
		// Both partners turn the commission's messages off after their convocation.
		for (const p of [partner, colleague])
			await savePreferences(
				db,
				p.id,
				{ reminders: true, validations: true, commission: false },
				clock
			);
		const result = await deleteSitting(db, member, id, null, new Date(clock));
		const delivered = (await deliver()).map((m) => m.envelopeTo[0]);
		expect(delivered).toEqual(['claude@commission.fr']);
		// The page then says « Son annulation a été écrite pour N personnes convoquées et part par courriel ».
		expect(result).toEqual({ ok: true, value: { convened: true, told: delivered.length } });
	});
});

// Left noticed s46: a convocation that cancelled the earlier one, still waiting for the relay,
// told its people it « remplace » a convocation they never received.
describe('a convocation sent again while the earlier one still waited for the relay', () => {
	/** What reached each address (its subject and text, every space a plain one). */
	const received = async () =>
		(await deliver()).map((m) => ({
			to: m.envelopeTo[0]!,
			subject: (m.mail.subject ?? '').replace(/\s+/g, ' '),
			text: (m.mail.text ?? '').replace(/\s+/g, ' ')
		}));
	/** The one message the member and the partner of 9-1 each received. */
	async function oneEach() {
		const mails = await received();
		for (const to of ['claude@commission.fr', 'paul@cdg46.fr'])
			expect(mails.filter((m) => m.to === to)).toHaveLength(1);
		return mails;
	}
	/** The séance moved to `heldOn` (and its agenda grown by `codes`), convened again a minute later. */
	async function conveneAgain(id: number, heldOn: string, codes: string[] = []) {
		const details = { heldOn, startsAt: null, place: 'Cahors', title: 'Séance' };
		await updateSitting(db, member, id, details, null);
		if (codes.length > 0) await addAgendaFiches(db, member, id, codes, null);
		const shown = (await findSitting(db, id))!.convenedAt;
		clock += 60_000;
		expect((await conveneSitting(db, member, id, null, clock, shown)).ok).toBe(true);
	}

	it('is a first convocation to whom the earlier one never reached', async () => {
		const id = await sittingWith(['9-1'], '2026-03-20');
		expect((await conveneSitting(db, member, id, null, clock, null)).ok).toBe(true);
		// Nothing has left (the relay is down) when the séance moves and its agenda grows.
		await conveneAgain(id, '2026-03-21', ['10-1']);
		const mails = await oneEach();
		for (const { to, subject, text } of mails) {
			expect(subject, to).toBe('Commission des usages numériques : séance du 21 mars 2026');
			expect(text, to).not.toContain('remplace');
			expect(text, to).not.toContain('déplacée');
			expect(text, to).not.toContain('désormais');
			expect(text, to).toContain('9-1 —');
		}
		// The whole agenda, the fiche added since too (a partner reads their fiches only).
		expect(mails.find((m) => m.to === 'claude@commission.fr')!.text).toContain('10-1 —');
	});

	it('replaces, without what changed since, the one it cancelled for whom an older one reached', async () => {
		const id = await sittingWith(['9-1'], '2026-03-20');
		expect((await conveneSitting(db, member, id, null, clock, null)).ok).toBe(true);
		expect((await received()).length).toBeGreaterThan(0);
		// The second waits for the relay when the third is sent: it announced the 21st, never read.
		await conveneAgain(id, '2026-03-21');
		await conveneAgain(id, '2026-03-22');
		for (const { to, subject, text } of await oneEach()) {
			expect(subject, to).toBe(
				'Commission des usages numériques : séance du 22 mars 2026 (convocation mise à jour)'
			);
			expect(text, to).toContain('Cette convocation remplace la précédente.');
			expect(text, to).not.toContain('21 mars');
		}
	});

	it('still says what changed to whom the earlier one reached', async () => {
		const id = await sittingWith(['9-1'], '2026-03-20');
		expect((await conveneSitting(db, member, id, null, clock, null)).ok).toBe(true);
		await received();
		await conveneAgain(id, '2026-03-21');
		for (const { to, text } of await oneEach())
			expect(text, to).toMatch(/est déplacée : cette convocation remplace la précédente\./);
	});

	it('tells a partner whose fiches left nothing when their convocation never left', async () => {
		const id = await sittingWith(['9-1'], '2026-03-20');
		await addAgendaFreeItem(db, member, id, 'Questions diverses', null);
		expect((await conveneSitting(db, member, id, null, clock, null)).ok).toBe(true);
		// Still waiting for the relay when 9-1 leaves the agenda and the séance is convened again.
		const [nine] = await db
			.selectFrom('agenda_item')
			.select('id')
			.where('session_id', '=', id)
			.where('fiche_id', 'is not', null)
			.execute();
		expect((await removeAgendaItem(db, member, id, nine!.id, null)).ok).toBe(true);
		await conveneAgain(id, '2026-03-20');
		const mails = await received();
		expect(mails.map((m) => m.to)).toContain('claude@commission.fr');
		expect(mails.filter((m) => m.to === 'paul@cdg46.fr')).toEqual([]);
	});
});

// Walkthrough s47: convened for 15 March at 14:30, its date corrected to 1 March without convening
// again, held and closed: its relevé reached the convened people as « la séance du 1er mars » and
// listed none of its decisions. Review s49: it listed each by its kind only, not what was decided.
describe('the relevé’s mail', () => {
	it('says a séance was held on another day than its convocation announced, and lists its decisions, escaped', async () => {
		const id = await sittingWith(['9-1'], '2026-03-15');
		await addAgendaFreeItem(db, member, id, 'Calendrier <2027>', null);
		await db
			.updateTable('fiche')
			.set({ title: 'Mutualisation & <outils>' })
			.where('code', '=', '9-1')
			.execute();
		await conveneSitting(db, member, id, null, clock);
		await deliver();
		const moved = { heldOn: '2026-03-01', startsAt: null, place: 'Cahors', title: 'Séance' };
		expect(await updateSitting(db, member, id, moved, null)).toMatchObject({ ok: true });
		await changeSittingState(db, member, id, 'held', null);
		const [fiche, free] = (await findSitting(db, id))!.items;
		const decide = (itemId: number, input: Parameters<typeof recordDecision>[4]) =>
			recordDecision(db, member, id, itemId, input, null);
		expect(
			await decide(fiche!.id, { kind: 'opinion', opinion: 'favorable', text: 'Motif' })
		).toMatchObject({ ok: true });
		expect(await decide(free!.id, { kind: 'free', text: 'Arrêté' })).toMatchObject({ ok: true });
		clock = Date.parse('2026-03-02T09:00:00Z');
		await changeSittingState(db, member, id, 'closed', null, new Date(clock));
		const closing = (await deliver()).find((m) => m.envelopeTo[0] === 'paul@cdg46.fr')!.mail;
		const said = (s: unknown) => String(s).replace(/[\u00a0\u202f]/g, ' ');
		expect(said(closing.subject)).toBe(
			'Relevé de décisions de la séance du 1er mars 2026 (convoquée pour le 15 mars 2026)'
		);
		expect(said(closing.text)).toContain(
			'Sa convocation l’annonçait pour le 15 mars 2026 ; elle s’est tenue le 1er mars 2026.'
		);
		expect(said(closing.text)).toContain(
			'Sa décision sur une fiche de votre organisation :\n\n- 9-1 — Mutualisation & <outils> : Avis favorable — « Motif »\n- et 1 autre décision dans le relevé\n'
		);
		expect(said(closing.html)).toContain(
			'<li><span style="white-space:nowrap">9-1</span> — Mutualisation &amp; &lt;outils&gt; : Avis favorable — « Motif »</li><li>et 1 autre décision dans le relevé</li>'
		);
	});
});

// Commission's-year review, finding 1: a fiche moved to another objective read as gone and joined.
describe('a fiche of a convened agenda moved to another objective', () => {
	it('is still on the agenda: not a change, and named « devenue » when the séance is convened again', async () => {
		const id = await sittingWith(['9-1', '10-1'], '2026-03-20');
		expect((await conveneSitting(db, member, id, null, clock, null)).ok).toBe(true);
		await deliver();
		const moved = await moveFiche(db, admin, '9-1', 3, new Date());
		if (!moved.ok) throw new Error(moved.message);
		expect((await changedSinceConvened(db, id))?.agenda).toBe(false);
		expect(convokeAgainMessage(await changedSinceConvened(db, id))).toBeNull();
		let shown = (await findSitting(db, id))!.convenedAt;
		expect(await conveneSitting(db, member, id, null, clock, shown)).toMatchObject({
			ok: false,
			message: expect.stringMatching(/^Rien n’a changé depuis la convocation du /)
		});
		// Sent again for another reason: the fiche is named under both codes, neither gone nor new.
		await updateSitting(
			db,
			member,
			id,
			{ heldOn: '2026-03-20', startsAt: null, place: 'Figeac', title: 'Séance' },
			null
		);
		shown = (await findSitting(db, id))!.convenedAt;
		expect(await conveneSitting(db, member, id, null, clock, shown)).toMatchObject({
			ok: true,
			value: { members: 1, partners: 2 }
		});
		const mails = await deliver();
		expect(mails).toHaveLength(3);
		const texts = mails.map((m) => m.mail.text ?? '');
		for (const text of texts) {
			expect(text).not.toContain('n’est plus à l’ordre du jour');
			expect(text).not.toContain('est désormais à l’ordre du jour');
		}
		const recoded = new RegExp(`La fiche 9-1 — .+ est devenue ${moved.value.code} `);
		// Both partners' organisations hold 9-1: each reads it too.
		for (const text of texts) expect(text).toMatch(recoded);
	});
});
