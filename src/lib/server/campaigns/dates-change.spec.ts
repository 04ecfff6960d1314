// An open campaign's deadline and reminder days change (the commission's séance moved) without
// closing it: its answers and the reminders already sent stay, the reminders to come count from
// the new deadline, what still waits for the relay does not leave with the former date, and the
// organisations still missing an answer may be told.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestUser, PEOPLE } from '../auth/testing';
import type { User } from '../auth/users';
import { saveProgressUpdate } from '../progress/service';
import { progressInput } from '../progress/testing';
import { listMessages } from '../mail/outbox-repository';
import { startMailTest, type MailTest } from '../mail/test-context';
import { DEADLINE_NOTICES_PER_CAMPAIGN_PER_DAY } from '../../schemas/campaign';
import { formatDate } from '../../utils/format';
import { findCampaign, listDatesChanges } from './repository';
import {
	campaignCompletion,
	campaignsForOrganisation,
	changeCampaignDates,
	closeCampaign,
	ficheCampaignStatus,
	openCampaign,
	outdatedCampaignMail,
	sendCampaignReminders,
	type DatesChangeInput
} from './service';

const CDG_FICHES = ['1-1', '1-2', '5-1', '6-1', '9-1', '12-1'];
const APRIL_1 = formatDate('2026-04-01');
const APRIL_15 = formatDate('2026-04-15');
let clock = Date.parse('2026-03-02T09:00:00Z');
let t: MailTest;
let admin: User;
let other: User;
let paul: User;
let sam: User;

beforeEach(async () => {
	clock = Date.parse('2026-03-02T09:00:00Z');
	t = await startMailTest(() => clock);
	admin = await createTestUser(t.db, PEOPLE.admin);
	other = await createTestUser(t.db, {
		email: 'autre@lot.fr',
		name: 'Alix Autre',
		role: 'admin'
	});
	paul = await createTestUser(t.db, PEOPLE.paul);
	sam = await createTestUser(t.db, PEOPLE.sam);
});
afterEach(async () => t.close());

const orgId = async (slug: string) =>
	(
		await t.db
			.selectFrom('organisation')
			.select('id')
			.where('slug', '=', slug)
			.executeTakeFirstOrThrow()
	).id;

/** « Bilan 2026 », due 1 April: CDG46's fiches, or every fiche; its opening mail goes or waits. */
async function openBilan(reminders: string, { relayUp = true, everyFiche = false } = {}) {
	const opened = await openCampaign(
		t.db,
		admin,
		{
			title: 'Bilan 2026',
			deadline: '2026-04-01',
			scope: everyFiche
				? { kind: 'all' }
				: { kind: 'organisation', organisationId: await orgId('cdg46') },
			sittingId: null,
			reminders
		},
		null,
		clock
	);
	if (!opened.ok) throw new Error(opened.message);
	if (relayUp) await t.deliver();
	return opened.value.id;
}

/** The change as the campaign's form sends it, over the dates it showed (1 April, `shown`). */
function change(
	id: number,
	values: Partial<DatesChangeInput> & { shownReminders: string },
	by = admin
) {
	return changeCampaignDates(
		t.db,
		by,
		id,
		{
			deadline: '2026-04-15',
			reminders: values.shownReminders,
			shownDeadline: '2026-04-01',
			notify: false,
			...values
		},
		null,
		clock
	);
}

async function answer(user: User, codes: string[]) {
	for (const code of codes) {
		const r = await saveProgressUpdate(
			t.db,
			user,
			code,
			null,
			progressInput({ submissionKey: `${user.id}-${code}` }),
			null,
			new Date(clock)
		);
		if (!r.ok) throw new Error(r.message);
	}
}

/** A text with its no-break spaces as plain ones (the mail's French typography adds them). */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

/** What Paul received (the fiches of CDG46 have other organisations too: Sam's is reminded apart). */
const subjectsOf = (user: User, received: Awaited<ReturnType<MailTest['deliver']>>) =>
	received.filter((r) => r.envelopeTo.includes(user.email)).map((r) => plain(r.mail.subject ?? ''));

/** Each organisation still missing an answer is reminded: Paul's and Sam's. */
const BOTH = 2;

describe('changing an open campaign’s deadline and reminders', () => {
	it('moves the deadline: the reminder sent stays, the same reminder goes again once for the new deadline, across restarts and a clock going back', async () => {
		const id = await openBilan('-14, -3');
		// 18 March: J-14 of 1 April goes.
		clock = Date.parse('2026-03-18T08:00:00Z');
		expect(await sendCampaignReminders(t.db, clock)).toBe(BOTH);
		expect(subjectsOf(paul, await t.deliver())).toEqual([
			plain(`Rappel : campagne de suivi « Bilan 2026 » (échéance le ${APRIL_1})`)
		]);
		// 20 March: the séance moved, the deadline too.
		clock = Date.parse('2026-03-20T10:00:00Z');
		expect(await change(id, { shownReminders: '-14, -3' })).toEqual({
			ok: true,
			value: { notified: 0, cancelled: 0 }
		});
		// 29 March, the former J-3: nothing; 1 April, the new J-14: it goes, once, with the new date.
		clock = Date.parse('2026-03-29T08:00:00Z');
		expect(await sendCampaignReminders(t.db, clock)).toBe(0);
		clock = Date.parse('2026-04-01T08:00:00Z');
		expect(await sendCampaignReminders(t.db, clock)).toBe(BOTH);
		expect(await sendCampaignReminders(t.db, clock)).toBe(0);
		clock = Date.parse('2026-04-01T07:00:00Z');
		expect(await sendCampaignReminders(t.db, clock)).toBe(0);
		clock = Date.parse('2026-04-01T09:00:00Z');
		const received = await t.deliver();
		expect(subjectsOf(paul, received)).toEqual([
			plain(`Rappel : campagne de suivi « Bilan 2026 » (échéance le ${APRIL_15})`)
		]);
		expect(received.find((r) => r.envelopeTo.includes(paul.email))!.mail.text).toContain(
			`se termine le ${APRIL_15}`
		);
		clock = Date.parse('2026-04-12T08:00:00Z');
		expect(await sendCampaignReminders(t.db, clock)).toBe(BOTH);
		// Both J-14 stay on the page, each with the deadline it announced.
		const completion = await campaignCompletion(t.db, id);
		if (!completion.ok) throw new Error(completion.message);
		expect(completion.value.campaign.deadline).toBe('2026-04-15');
		expect(
			completion.value.organisations
				.find((o) => o.name.startsWith('CDG'))!
				.reminders.map((r) => [r.offset, r.deadline])
		).toEqual([
			[-14, '2026-04-01'],
			[-14, '2026-04-15'],
			[-3, '2026-04-15']
		]);
		expect(completion.value.datesChanges).toMatchObject([
			{ deadlineBefore: '2026-04-01', deadlineAfter: '2026-04-15', changedByName: admin.name }
		]);
		// Journaled, before and after.
		const journal = await t.db
			.selectFrom('audit_event')
			.select(['summary', 'before_state', 'after_state'])
			.where('action', '=', 'campaign.dates_changed')
			.execute();
		expect(journal).toHaveLength(1);
		expect(journal[0]!.summary).toBe(
			`Campagne « Bilan 2026 » : échéance reportée du ${APRIL_1} au ${APRIL_15}`
		);
		expect(JSON.parse(journal[0]!.before_state!)).toEqual({
			deadline: '2026-04-01',
			reminderDays: [-14, -3]
		});
		expect(JSON.parse(journal[0]!.after_state!)).toMatchObject({ deadline: '2026-04-15' });
	});

	it('shows the new deadline in the partner’s workspace and the commission’s review file', async () => {
		const id = await openBilan('-3');
		clock = Date.parse('2026-03-20T10:00:00Z');
		expect((await change(id, { shownReminders: '-3' })).ok).toBe(true);
		const espace = await campaignsForOrganisation(t.db, await orgId('cdg46'), '2026-03-20');
		expect(espace.map((c) => c.deadline)).toEqual(['2026-04-15']);
		const fiche = await t.db
			.selectFrom('fiche')
			.select('id')
			.where('code', '=', '1-1')
			.executeTakeFirstOrThrow();
		expect((await ficheCampaignStatus(t.db, fiche.id)).map((c) => c.deadline)).toEqual([
			'2026-04-15'
		]);
	});

	it('refuses a closed campaign, a deadline passed, a reminder that would never go, and a change made meanwhile by another admin (never a lost write)', async () => {
		const id = await openBilan('-3');
		clock = Date.parse('2026-03-20T10:00:00Z');
		expect(await change(id, { deadline: '2026-03-19', shownReminders: '-3' })).toMatchObject({
			ok: false,
			status: 400,
			fieldErrors: {
				deadline:
					'Choisissez une échéance à venir, à partir d’aujourd’hui, le 20\u00a0mars\u00a02026.'
			}
		});
		expect(
			await change(id, { deadline: '2026-03-22', reminders: '-3', shownReminders: '-3' })
		).toMatchObject({
			ok: false,
			status: 400,
			fieldErrors: {
				reminders: expect.stringContaining('au plus tard aujourd’hui, jour du changement')
			}
		});
		expect(await change(id, { deadline: '2026-04-01', shownReminders: '-3' })).toMatchObject({
			ok: false,
			status: 400
		});
		// Two admins from the same page: the first wins, the second is told what it is now.
		expect((await change(id, { shownReminders: '-3' }, other)).ok).toBe(true);
		expect(
			await change(id, { deadline: '2026-04-20', reminders: '-1', shownReminders: '-3' })
		).toEqual({
			ok: false,
			status: 409,
			message: `L’échéance ou les rappels de cette campagne ont été modifiés entre-temps : échéance reportée du ${APRIL_1} au ${APRIL_15}. Rien n’a été changé. Vos changements sont conservés ci-dessous, les champs que vous n’aviez pas touchés ont repris leur valeur actuelle : relisez-les, puis renvoyez le formulaire au besoin.`
		});
		const completion = await campaignCompletion(t.db, id);
		expect(completion.ok && completion.value.campaign).toMatchObject({
			deadline: '2026-04-15',
			reminderDays: [-3]
		});
		expect((await closeCampaign(t.db, admin, id, null, clock)).ok).toBe(true);
		expect(
			await change(id, {
				deadline: '2026-04-20',
				shownDeadline: '2026-04-15',
				shownReminders: '-3'
			})
		).toEqual({
			ok: false,
			status: 409,
			message: `Cette campagne a été close par ${admin.name} : son échéance et ses rappels ne changent plus. Ouvrez-en une nouvelle au besoin.`
		});
	});

	it('does not let a message waiting for the relay leave with the former deadline: the opening is written again with the new one', async () => {
		// The relay is down from the opening: the opening waits; 29 March, J-3 of 1 April waits too.
		const id = await openBilan('-3, -1', { relayUp: false });
		clock = Date.parse('2026-03-29T08:00:00Z');
		expect(await sendCampaignReminders(t.db, clock)).toBe(BOTH);
		clock = Date.parse('2026-03-30T10:00:00Z');
		expect(await change(id, { shownReminders: '-3, -1' })).toEqual({
			ok: true,
			value: { notified: 0, cancelled: 2 * BOTH }
		});
		const received = await t.deliver();
		expect(subjectsOf(paul, received)).toEqual([
			plain(`Campagne de suivi « Bilan 2026 » : au plus tard le ${APRIL_15}`)
		]);
		for (const r of received) expect(r.mail.text).not.toContain(APRIL_1);
		const cancelled = (await listMessages(t.db, 50, 0)).filter(
			(m) => m.status === 'cancelled' && m.userId === paul.id
		);
		expect(cancelled.map((m) => [m.kind, m.lastError])).toEqual(
			['reminder', 'campaign'].map((kind) => [
				kind,
				`Non envoyé : l’échéance de la campagne a été changée (du ${APRIL_1} au ${APRIL_15}) avant le départ du message.`
			])
		);
		// Stopped at the change's own clock, not the machine's.
		const stopped = await t.db
			.selectFrom('mail_outbox')
			.select('stopped_at')
			.where('status', '=', 'cancelled')
			.execute();
		expect(stopped.map((m) => m.stopped_at)).toEqual(stopped.map(() => clock));
	});

	// The scheduler read the campaigns, then the change went in before its transaction: it wrote the
	// J-3 of the former deadline, after the change, and it left with the former date.
	it('never writes a reminder for the former deadline when the change goes in while the scheduler runs', async () => {
		const id = await openBilan('-3');
		clock = Date.parse('2026-03-29T08:00:00Z');
		const [sent, changed] = await Promise.all([
			sendCampaignReminders(t.db, clock),
			change(id, { shownReminders: '-3' })
		]);
		expect(changed.ok).toBe(true);
		expect(sent).toBe(0);
		expect(await t.db.selectFrom('campaign_reminder').selectAll().execute()).toEqual([]);
		expect(subjectsOf(paul, await t.deliver())).toEqual([]);
	});

	// The sender had claimed a message (no longer « waiting », the change does not cancel it) when
	// the change went in: its check before sending is what stops it.
	it('judges a message written before the change out of date when the sender comes to send it', async () => {
		const id = await openBilan('-3');
		const written = Date.parse('2026-03-20T09:00:00Z');
		clock = Date.parse('2026-03-20T10:00:00Z');
		const before = { kind: 'reminder', campaignId: id, createdAt: written, ficheIds: null };
		const cdg = await orgId('cdg46');
		expect(await outdatedCampaignMail(t.db, before, cdg, clock)).toBeNull();
		expect((await change(id, { shownReminders: '-3' })).ok).toBe(true);
		expect(await outdatedCampaignMail(t.db, before, cdg, clock)).toBe(
			`l’échéance de la campagne a été changée (du ${APRIL_1} au ${APRIL_15}) depuis qu’il a été écrit : il annonçait l’ancienne.`
		);
		// One written by the change itself, or after it, goes.
		expect(
			await outdatedCampaignMail(
				t.db,
				{ ...before, kind: 'campaign', createdAt: clock },
				cdg,
				clock
			)
		).toBeNull();
	});

	it('tells only the organisations still missing an answer, their fiches still to update and the new deadline', async () => {
		const id = await openBilan('-3', { everyFiche: true });
		clock = Date.parse('2026-03-10T10:00:00Z');
		await answer(paul, CDG_FICHES);
		const sdail = await orgId('sdail');
		const [first] = (await campaignsForOrganisation(t.db, sdail, '2026-03-10'))[0]!.toUpdate;
		await answer(sam, [first!.code]);
		expect(await change(id, { shownReminders: '-3', notify: true })).toEqual({
			ok: true,
			value: { notified: 1, cancelled: 0 }
		});
		// What the campaign's page says of the change (left noticed s49: nothing).
		expect((await listDatesChanges(t.db, id)).map((c) => c.notified)).toEqual([1]);
		const received = await t.deliver();
		expect(received.map((r) => r.envelopeTo)).toEqual([[sam.email]]);
		expect(subjectsOf(sam, received)).toEqual([
			plain(`Campagne de suivi « Bilan 2026 » : échéance reportée au ${APRIL_15}`)
		]);
		const text = plain(received[0]!.mail.text ?? '');
		expect(text).toContain(plain(`est reportée du ${APRIL_1} au ${APRIL_15}`));
		expect(text).toContain('https://sdusn.test/espace');
		expect(text).not.toContain(`${first!.code} — `);
		const samFiches = (await campaignsForOrganisation(t.db, sdail, '2026-03-10'))[0]!.toUpdate;
		expect(samFiches.length).toBeGreaterThan(0);
		for (const fiche of samFiches) expect(text).toContain(`${fiche.code} — `);
	});

	it('tells a campaign’s organisations of at most 3 deadline changes a day, 20 parallel posts included; a change without notice still passes (security probe)', async () => {
		const id = await openBilan('-3');
		clock = Date.parse('2026-03-10T10:00:00Z');
		// Back and forth between two deadlines, each post from the page that showed the other.
		const dates = ['2026-04-01', '2026-04-15'];
		const tried = await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				change(id, {
					deadline: dates[(i + 1) % 2],
					shownDeadline: dates[i % 2],
					shownReminders: '-3',
					notify: true
				})
			)
		);
		expect(tried.filter((r) => r.ok)).toHaveLength(DEADLINE_NOTICES_PER_CAMPAIGN_PER_DAY);
		expect(tried.find((r) => !r.ok && r.status === 429)).toEqual({
			ok: false,
			status: 429,
			message:
				'Les organisations de cette campagne ont déjà été prévenues 3\u00a0fois aujourd’hui d’un changement d’échéance : c’est la limite d’une journée, pour qu’elles ne reçoivent pas message sur message. Rien n’a été changé. Décochez « Prévenir les organisations qui n’ont pas encore répondu » pour changer l’échéance sans les prévenir (les rappels annonceront la nouvelle) ; elles pourront de nouveau être prévenues demain, le 11\u00a0mars\u00a02026.'
		});
		// Written to Paul (each change cancels the notice still waiting for the relay: a relay up
		// would have sent each before the next).
		const notices = async () =>
			(
				await t.db
					.selectFrom('mail_outbox')
					.select('id')
					.where('kind', '=', 'campaign-deadline')
					.where('recipient', '=', paul.email)
					.execute()
			).length;
		expect(await notices()).toBe(DEADLINE_NOTICES_PER_CAMPAIGN_PER_DAY);
		// Without notice, the deadline still moves; the next day (Paris), a notice goes again.
		const now = (await findCampaign(t.db, id))!.deadline;
		const other = dates.find((d) => d !== now)!;
		expect(
			(await change(id, { deadline: other, shownDeadline: now, shownReminders: '-3' })).ok
		).toBe(true);
		clock = Date.parse('2026-03-10T23:30:00Z');
		expect(
			await change(id, { deadline: now, shownDeadline: other, shownReminders: '-3', notify: true })
		).toMatchObject({ ok: true, value: { notified: BOTH } });
		expect(await notices()).toBe(DEADLINE_NOTICES_PER_CAMPAIGN_PER_DAY + 1);
	});

	it('tells an admin whose form is out of date so (409) before the day’s notices spent (429)', async () => {
		const id = await openBilan('-3');
		clock = Date.parse('2026-03-10T10:00:00Z');
		const dates = ['2026-04-01', '2026-04-15'];
		for (let i = 0; i < DEADLINE_NOTICES_PER_CAMPAIGN_PER_DAY; i++)
			expect(
				(
					await change(id, {
						deadline: dates[(i + 1) % 2],
						shownDeadline: dates[i % 2],
						shownReminders: '-3',
						notify: true
					})
				).ok
			).toBe(true);
		const now = (await findCampaign(t.db, id))!.deadline;
		const stale = await change(id, {
			deadline: '2026-04-30',
			shownDeadline: dates.find((d) => d !== now)!,
			shownReminders: '-3',
			notify: true
		});
		expect(stale).toMatchObject({ ok: false, status: 409 });
	});

	it('a change of the reminders only does not tell the organisations their deadline moved', async () => {
		const id = await openBilan('-14, -3');
		clock = Date.parse('2026-03-05T10:00:00Z');
		const r = await change(id, {
			deadline: '2026-04-01',
			reminders: '-7, -3',
			shownReminders: '-14, -3',
			notify: true
		});
		expect(r).toEqual({ ok: true, value: { notified: 0, cancelled: 0 } });
		const subjects = subjectsOf(paul, await t.deliver());
		expect(subjects.filter((s) => /avancée|reportée/.test(s))).toEqual([]);
	});

	// The deadline they announce is still the right one: the opening and a reminder waiting for the
	// relay leave, even the reminder whose offset was removed (its day had come when it was written).
	it('lets what waits for the relay leave when only the reminders change', async () => {
		const id = await openBilan('-3, -1', { relayUp: false });
		clock = Date.parse('2026-03-29T08:00:00Z');
		expect(await sendCampaignReminders(t.db, clock)).toBe(BOTH);
		clock = Date.parse('2026-03-30T10:00:00Z');
		expect(
			await change(id, {
				deadline: '2026-04-01',
				reminders: '-1',
				shownReminders: '-3, -1',
				notify: true
			})
		).toEqual({ ok: true, value: { notified: 0, cancelled: 0 } });
		expect(subjectsOf(paul, await t.deliver()).sort()).toEqual(
			[
				plain(`Campagne de suivi « Bilan 2026 » : au plus tard le ${APRIL_1}`),
				plain(`Rappel : campagne de suivi « Bilan 2026 » (échéance le ${APRIL_1})`)
			].sort()
		);
		const written = { kind: 'reminder', campaignId: id, createdAt: clock - 1, ficheIds: null };
		expect(await outdatedCampaignMail(t.db, written, await orgId('cdg46'), clock)).toBeNull();
	});

	// Opening refuses a second campaign asking the same fiches for the same day; moving a deadline
	// onto another's must not make one (both would remind every organisation).
	it('refuses to move the deadline onto that of another open campaign asking the same fiches', async () => {
		const id = await openBilan('-3');
		const other = await openCampaign(
			t.db,
			admin,
			{
				title: 'Relance',
				deadline: '2026-04-15',
				scope: { kind: 'organisation', organisationId: await orgId('cdg46') },
				sittingId: null,
				reminders: '-3'
			},
			null,
			clock
		);
		expect(other.ok).toBe(true);
		const message = `La campagne « Relance », ouverte, demande déjà ces mêmes fiches pour le ${APRIL_15} : rien n’a été ouvert en double (ses rappels relancent les organisations). Pour une autre campagne, choisissez d’autres fiches ou une autre échéance.`;
		expect(await change(id, { shownReminders: '-3' })).toEqual({
			ok: false,
			status: 409,
			message,
			fieldErrors: { deadline: message }
		});
		expect(await listDatesChanges(t.db, id)).toEqual([]);
		// Another day: changed.
		expect((await change(id, { deadline: '2026-04-16', shownReminders: '-3' })).ok).toBe(true);
	});
});
