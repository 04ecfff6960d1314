// A campaign's reminder written while the relay was down waits: by the time the relay is back, the
// deadline it announced as coming may have passed, the organisation may have answered every fiche
// it lists, or a newer reminder may have been written. (Reviewer's finding, session 43.)
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestUser, PEOPLE } from '../auth/testing';
import type { User } from '../auth/users';
import { saveProgressUpdate } from '../progress/service';
import { progressInput } from '../progress/testing';
import { listMessages } from '../mail/outbox-repository';
import { startMailTest, type MailTest } from '../mail/test-context';
import { formatDate } from '../../utils/format';
import { openCampaign, sendCampaignReminders } from './service';

const APRIL_1 = formatDate('2026-04-01');
const CDG_FICHES = ['1-1', '1-2', '5-1', '6-1', '9-1', '12-1'];
let clock = Date.parse('2026-03-02T09:00:00Z');
let t: MailTest;
let admin: User;
let paul: User;

beforeEach(async () => {
	clock = Date.parse('2026-03-02T09:00:00Z');
	t = await startMailTest(() => clock);
	admin = await createTestUser(t.db, PEOPLE.admin);
	paul = await createTestUser(t.db, PEOPLE.paul);
});
afterEach(async () => t.close());

const cdgId = async () =>
	(
		await t.db
			.selectFrom('organisation')
			.select('id')
			.where('slug', '=', 'cdg46')
			.executeTakeFirstOrThrow()
	).id;

/**
 * « Bilan 2026 », CDG46's fiches (or every fiche: `everyFiche`), due 1 April; its opening mail
 * goes (the relay works then).
 */
async function openBilan(reminders: string, relayUp = true, everyFiche = false) {
	const cdg = await cdgId();
	const opened = await openCampaign(
		t.db,
		admin,
		{
			title: 'Bilan 2026',
			deadline: '2026-04-01',
			scope: everyFiche ? { kind: 'all' } : { kind: 'organisation', organisationId: cdg },
			sittingId: null,
			reminders
		},
		null,
		clock
	);
	expect(opened.ok).toBe(true);
	if (relayUp) await t.deliver();
}

async function answer(codes: string[]) {
	for (const code of codes) {
		const r = await saveProgressUpdate(
			t.db,
			paul,
			code,
			null,
			progressInput({ submissionKey: `p-${code}` }),
			null,
			new Date(clock + 3_600_000)
		);
		if (!r.ok) throw new Error(r.message);
	}
}

/** CDG46 becomes a partner of these fiches (after a message was written). */
async function join(codes: string[]) {
	const organisationId = await cdgId();
	for (const code of codes) {
		const fiche = await t.db
			.selectFrom('fiche')
			.select('id')
			.where('code', '=', code)
			.executeTakeFirstOrThrow();
		await t.db
			.insertInto('fiche_partner')
			.values({ fiche_id: fiche.id, organisation_id: organisationId, detail: null, position: 99 })
			.execute();
	}
}

/** CDG46 no longer carries nor partners these fiches. */
async function leave(codes: string[]) {
	const organisationId = await cdgId();
	const ficheIds = t.db.selectFrom('fiche').select('id').where('code', 'in', codes);
	for (const table of ['fiche_owner', 'fiche_partner'] as const)
		await t.db
			.deleteFrom(table)
			.where('organisation_id', '=', organisationId)
			.where('fiche_id', 'in', ficheIds)
			.execute();
}

/** Paul's reminders in the outbox, oldest first: state and why not sent. */
async function remindersOfPaul() {
	return (await listMessages(t.db, 50, 0))
		.filter((m) => m.kind === 'reminder' && m.userId === paul.id)
		.reverse()
		.map((m) => ({ status: m.status, lastError: m.lastError }));
}

/**
 * The J-3 reminder written on 29 March while the relay is down, `meanwhile` done, the relay back
 * on 30 March: what was received.
 */
async function reminderAfter(meanwhile: () => Promise<void>, everyFiche = false) {
	await openBilan('-3', true, everyFiche);
	clock = Date.parse('2026-03-29T08:00:00Z');
	await sendCampaignReminders(t.db, clock);
	await meanwhile();
	clock = Date.parse('2026-03-30T08:00:00Z');
	return t.deliver();
}

/** Paul's only reminder, not sent for this reason. */
const notSent = (reason: string) => [{ status: 'cancelled', lastError: `Non envoyé : ${reason}` }];

const ALL_ANSWERED =
	'l’organisation du destinataire a soumis depuis une mise à jour de chaque fiche que le message demandait.';

describe('a campaign reminder that waited for the relay', () => {
	it('is not delivered once the deadline it announced has passed and every fiche was answered', async () => {
		await openBilan('-1, +1');
		// 31 March: J-1 is written, the relay is down (nothing delivered).
		clock = Date.parse('2026-03-31T08:00:00Z');
		await sendCampaignReminders(t.db, clock);
		await answer(CDG_FICHES);
		// 2 April: J+1 has nothing to ask; the relay is back.
		clock = Date.parse('2026-04-02T08:00:00Z');
		await sendCampaignReminders(t.db, clock);
		const received = await t.deliver();
		expect(received.filter((r) => (r.mail.subject ?? '').startsWith('Rappel'))).toEqual([]);
		expect(await remindersOfPaul()).toEqual([
			{
				status: 'cancelled',
				lastError: `Non envoyé : l’échéance de la campagne (le ${APRIL_1}), que le message annonçait à venir, est passée depuis qu’il a été écrit.`
			}
		]);
	});

	it('is replaced by the newer reminder written before it left: only the newer one goes', async () => {
		await openBilan('-3, -1');
		clock = Date.parse('2026-03-29T08:00:00Z');
		await sendCampaignReminders(t.db, clock);
		await answer(['1-1']);
		clock = Date.parse('2026-03-31T08:00:00Z');
		await sendCampaignReminders(t.db, clock);
		const received = (await t.deliver()).filter((r) => (r.mail.subject ?? '').startsWith('Rappel'));
		expect(received).toHaveLength(1);
		expect(received[0]!.mail.text).toContain(`se termine le ${APRIL_1}`);
		expect(received[0]!.mail.text).not.toContain('1-1 —');
		expect(await remindersOfPaul()).toEqual([
			{
				status: 'cancelled',
				lastError: 'Non envoyé : un rappel plus récent de la même campagne l’a remplacé.'
			},
			{ status: 'sent', lastError: null }
		]);
	});

	it('is not delivered once the organisation answered every fiche it asked for, before the deadline', async () => {
		expect(await reminderAfter(() => answer(CDG_FICHES))).toEqual([]);
		expect(await remindersOfPaul()).toEqual(notSent(ALL_ANSWERED));
	});

	// Review s43, second read-back: the opening of a campaign still open was dropped as out of date.
	it('does not stop the opening of a campaign still open, though its deadline passed while it waited', async () => {
		await openBilan('', false);
		clock = Date.parse('2026-04-03T08:00:00Z');
		const received = await t.deliver();
		expect(received.map((r) => r.envelopeTo)).toEqual([[paul.email]]);
		expect(received[0]!.mail.text).toContain('Bilan 2026');
	});

	it('still goes late when it is the late reminder and fiches are still missing', async () => {
		await openBilan('+1');
		clock = Date.parse('2026-04-02T08:00:00Z');
		await sendCampaignReminders(t.db, clock);
		clock = Date.parse('2026-04-03T08:00:00Z');
		const received = await t.deliver();
		expect(received.map((r) => r.mail.text)).toEqual([
			expect.stringContaining(`était le ${APRIL_1}`)
		]);
	});

	// Review s44: the fiches it asked for were read from the organisation of the day, not from the
	// message: a fiche joined since kept a reminder whose fiches were all answered; one left since
	// was said answered, and a message whose fiches all left still went.
	it('is judged on its own fiches: one its organisation joined since does not keep it', async () => {
		const received = await reminderAfter(async () => {
			await answer(CDG_FICHES);
			await join(['2-1']);
		}, true);
		expect(received).toEqual([]);
		expect(await remindersOfPaul()).toEqual(notSent(ALL_ANSWERED));
	});

	it('still goes while a fiche it asked for is unanswered, though one joined since is answered', async () => {
		const received = await reminderAfter(async () => {
			await join(['2-1']);
			await answer([...CDG_FICHES.filter((code) => code !== '1-1'), '2-1']);
		}, true);
		expect(received.map((r) => r.envelopeTo)).toEqual([[paul.email]]);
		expect(received[0]!.mail.text).toContain('1-1 —');
		expect(await remindersOfPaul()).toEqual([{ status: 'sent', lastError: null }]);
	});

	it('is dropped once its organisation left every fiche it asked for, and says so', async () => {
		expect(await reminderAfter(() => leave(CDG_FICHES))).toEqual([]);
		expect(await remindersOfPaul()).toEqual(
			notSent(
				'aucune des fiches que le message demandait ne concerne plus l’organisation du destinataire.'
			)
		);
	});

	it('is dropped once the fiches it asked for are answered or left, and does not say all were answered', async () => {
		const received = await reminderAfter(async () => {
			await leave(['1-1']);
			await answer(CDG_FICHES.filter((code) => code !== '1-1'));
		});
		expect(received).toEqual([]);
		expect(await remindersOfPaul()).toEqual(
			notSent(
				'l’organisation du destinataire a soumis depuis une mise à jour de chaque fiche que le message demandait, hors celles qui ne la concernent plus.'
			)
		);
	});
});
