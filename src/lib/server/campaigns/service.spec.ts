import ExcelJS from 'exceljs';
import { sheetToXlsx } from '../spreadsheet';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import { createTestUser, PEOPLE } from '../auth/testing';
import { acceptInvitation, createAccountWithInvitation } from '../auth/service';
import type { User } from '../auth/users';
import { configureMail } from '../mail/outbox';
import { listMessages } from '../mail/outbox-repository';
import { savePreferences } from '../mail/preferences-repository';
import { reviewProgressUpdate, saveProgressUpdate } from '../progress/service';
import { progressInput } from '../progress/testing';
import { campaignPairs, listCampaigns } from './repository';
import { findFicheState } from '../authoring/repository';
import { retireFiche } from '../authoring/fiches';
import { parisDate } from '../../utils/dates';
import {
	CAMPAIGNS_OPENED_PER_ACCOUNT_PER_DAY,
	campaignCompletion,
	campaignsForOrganisation,
	campaignsPage,
	closeCampaign,
	completionRows,
	completionSheet,
	ficheCampaignStatus,
	openCampaign,
	sendCampaignReminders
} from './service';

let db: Db;
let admin: User;
let paul: User;
let sam: User;
let cdg: number;
let sdail: number;
const OPENED = Date.parse('2026-03-02T09:00:00Z');
const HOUR = 3_600_000;

async function orgId(slug: string) {
	return (
		await db
			.selectFrom('organisation')
			.select('id')
			.where('slug', '=', slug)
			.executeTakeFirstOrThrow()
	).id;
}

let mailBefore: ReturnType<typeof configureMail>;

beforeEach(async () => {
	opened = 0;
	mailBefore = configureMail({
		origin: 'https://sdusn.test',
		from: 'Portail SDUSN <ne-pas-repondre@sdusn.test>',
		relayed: true
	});
	db = await createTestDb();
	cdg = await orgId('cdg46');
	admin = await createTestUser(db, PEOPLE.admin);
	paul = await createTestUser(db, PEOPLE.paul);
	sam = await createTestUser(db, PEOPLE.sam);
	sdail = await orgId('sdail');
});
afterEach(async () => {
	configureMail(mailBefore);
	await db.destroy();
});

/** Opens « Bilan 2026 » for CDG46's fiches, as its form would. */
/** How many campaigns a test opened: each after the first gets a title of its own. */
let opened = 0;

function attemptOpening(deadline: string, reminders: string, at = OPENED, title?: string) {
	opened += 1;
	return openCampaign(
		db,
		admin,
		{
			title: title ?? (opened === 1 ? 'Bilan 2026' : `Bilan 2026 (${opened})`),
			deadline,
			scope: { kind: 'organisation', organisationId: cdg },
			sittingId: null,
			reminders
		},
		null,
		at
	);
}

async function open(deadline = '2026-04-01', reminders = '-14, -3, +1', at = OPENED) {
	const result = await attemptOpening(deadline, reminders, at);
	if (!result.ok) throw new Error(result.message);
	return result.value.id;
}

/** The slug of an organisation of CDG46's fiches that has no account. */
async function withoutAccountSlug() {
	const row = await db
		.selectFrom('organisation')
		.select('slug')
		.where('slug', 'not in', ['cdg46', 'sdail'])
		.where('id', 'in', (eb) =>
			eb
				.selectFrom('fiche_partner')
				.innerJoin('fiche_owner', 'fiche_owner.fiche_id', 'fiche_partner.fiche_id')
				.select('fiche_partner.organisation_id')
				.where('fiche_owner.organisation_id', '=', cdg)
		)
		.where('id', 'not in', (eb) =>
			eb
				.selectFrom('user_account')
				.select('organisation_id')
				.where('organisation_id', 'is not', null)
		)
		.executeTakeFirstOrThrow();
	return row.slug;
}

async function submit(user: User, fiche: string, at: number) {
	const result = await saveProgressUpdate(
		db,
		user,
		fiche,
		null,
		progressInput({ submissionKey: `${user.id}-${fiche}` }),
		null,
		new Date(at)
	);
	if (!result.ok) throw new Error(result.message);
}

/** Staff's decision on the update of a fiche (its first version), an hour after the opening's. */
async function review(code: string, decision: 'validate' | 'return', comment = '') {
	const update = await db
		.selectFrom('progress_update')
		.innerJoin('fiche', 'fiche.id', 'progress_update.fiche_id')
		.select('progress_update.id')
		.where('fiche.code', '=', code)
		.executeTakeFirstOrThrow();
	const result = await reviewProgressUpdate(
		db,
		admin,
		{ updateId: update.id, version: 1, decision, comment },
		null,
		new Date(OPENED + 2 * HOUR)
	);
	expect(result.ok).toBe(true);
}

async function mails(kind: string) {
	return (await listMessages(db, 1000, 0))
		.filter((m) => m.kind === kind)
		.reverse()
		.map((m) => ({ to: m.recipient, day: parisDate(new Date(m.createdAt)), text: m.text }));
}

describe('campaigns', () => {
	it('mails each organisation its fiches and the deadline when opened', async () => {
		await open();
		const opening = await mails('campaign');
		expect(opening.map((m) => m.to).sort()).toEqual(['paul@cdg46.fr', 'sam@sdail.fr']);
		const toSam = opening.find((m) => m.to === 'sam@sdail.fr')!.text;
		expect(toSam).toContain('au plus tard le 1er\u00a0avril\u00a02026');
		expect(toSam).toContain('6-1 — ');
		expect(toSam).toContain('9-1 — ');
		expect(toSam).not.toContain('1-1 — ');
		expect(toSam).toContain('https://sdusn.test/espace/fiches/9-1/suivi');
		const toPaul = opening.find((m) => m.to === 'paul@cdg46.fr')!.text;
		for (const code of ['1-1', '1-2', '5-1', '6-1', '9-1', '12-1'])
			expect(toPaul).toContain(`${code} — `);
		// Its subject spaced as its body: no break before « : » nor inside « ».
		const subjects = (await listMessages(db, 1000, 0)).map((m) => m.subject);
		expect(new Set(subjects)).toEqual(
			new Set([
				'Campagne de suivi «\u00a0Bilan 2026\u00a0»\u00a0: au plus tard le 1er\u00a0avril\u00a02026'
			])
		);
	});

	it('never records as reminded an organisation where nobody receives reminders; the first to turn them on again gets those due', async () => {
		const id = await open();
		await submit(sam, '6-1', Date.parse('2026-03-10T10:00:00Z'));
		await submit(sam, '9-1', Date.parse('2026-03-10T10:05:00Z'));
		const off = { reminders: false, validations: true, commission: true };
		await savePreferences(db, paul.id, off, OPENED);
		await sendCampaignReminders(db, Date.parse('2026-03-18T09:00:00Z'));
		expect(await mails('reminder')).toEqual([]);
		expect(await db.selectFrom('campaign_reminder').selectAll().execute()).toEqual([]);
		const before = await campaignCompletion(db, id);
		expect(before.ok && before.value.notMailed).toEqual(['CDG46']);
		expect(
			before.ok && before.value.organisations.find((o) => o.name === 'CDG46')?.reminders
		).toEqual([]);

		await savePreferences(db, paul.id, { ...off, reminders: true }, OPENED);
		await sendCampaignReminders(db, Date.parse('2026-03-19T09:00:00Z'));
		expect((await mails('reminder')).map((m) => m.to)).toEqual(['paul@cdg46.fr']);
		const after = await campaignCompletion(db, id);
		expect(after.ok && after.value.notMailed).toEqual([]);
	});

	it('counts an update sent just before the opening and still awaiting review, or validated since: not asked again', async () => {
		const before = OPENED - HOUR;
		await submit(paul, '1-2', before);
		await submit(paul, '9-1', before);
		// Sent and validated before the opening: the campaign asks for a new one.
		await submit(paul, '1-1', before);
		const early = (await db
			.selectFrom('progress_update')
			.innerJoin('fiche', 'fiche.id', 'progress_update.fiche_id')
			.select('progress_update.id')
			.where('fiche.code', 'in', ['1-1', '9-1'])
			.orderBy('fiche.code')
			.execute()) as { id: number }[];
		const review = (updateId: number, at: number) =>
			reviewProgressUpdate(
				db,
				admin,
				{ updateId, version: 1, decision: 'validate', comment: '' },
				null,
				new Date(at)
			);
		expect((await review(early[0]!.id, before + 60_000)).ok).toBe(true);
		const id = await open();
		expect((await review(early[1]!.id, OPENED + HOUR)).ok).toBe(true);
		const completion = await campaignCompletion(db, id);
		if (!completion.ok) throw new Error('no campaign');
		const paulOrg = completion.value.organisations.find((o) => o.id === cdg)!;
		expect(paulOrg.missing).toContain('1-1');
		expect(paulOrg.missing).not.toContain('1-2');
		expect(paulOrg.missing).not.toContain('9-1');
		expect(paulOrg.done).toBe(2);
		// Sent before the opening and returned since: « renvoyée », not « manquante ».
		await submit(paul, '5-1', before);
		const fiveOne = (await db
			.selectFrom('progress_update')
			.innerJoin('fiche', 'fiche.id', 'progress_update.fiche_id')
			.select('progress_update.id')
			.where('fiche.code', '=', '5-1')
			.executeTakeFirstOrThrow()) as { id: number };
		const returned = await reviewProgressUpdate(
			db,
			admin,
			{ updateId: fiveOne.id, version: 1, decision: 'return', comment: 'À préciser' },
			null,
			new Date(OPENED + 2 * HOUR)
		);
		expect(returned.ok).toBe(true);
		const states = (await campaignPairs(db, id)).filter((p) => p.organisationId === cdg);
		expect(states.find((p) => p.code === '5-1')?.state).toBe('returned');
		// The opening mail asked for what was missing then: not 1-2, awaiting review.
		const [opening] = await mails('campaign');
		expect(opening!.text).toContain('1-1 — ');
		expect(opening!.text).not.toContain('1-2 — ');
	});

	it('counts an update returned since the opening as missing: listed and reminded', async () => {
		const id = await open('2026-04-01', '-3');
		// Every fiche of CDG46 answered after the opening, then 1-1's update returned.
		for (const code of ['1-1', '1-2', '5-1', '6-1', '9-1', '12-1'])
			await submit(paul, code, OPENED + HOUR);
		await review('1-1', 'return', 'À préciser');
		const completion = await campaignCompletion(db, id);
		if (!completion.ok) throw new Error('no campaign');
		const org = completion.value.organisations.find((o) => o.id === cdg)!;
		expect(org.missing).toEqual(['1-1']);
		await sendCampaignReminders(db, Date.parse('2026-03-29T09:00:00Z'));
		const toPaul = (await mails('reminder')).filter((m) => m.to === 'paul@cdg46.fr');
		expect(toPaul).toHaveLength(1);
		expect(toPaul[0]!.text).toContain('1-1 — ');
		expect(toPaul[0]!.text).not.toContain('1-2 — ');
	});

	it('reminds on the right days, only those missing, never twice across restarts and clock jumps', async () => {
		const id = await open();
		await submit(sam, '6-1', Date.parse('2026-03-10T10:00:00Z'));
		await submit(sam, '9-1', Date.parse('2026-03-10T10:05:00Z'));
		for (let t = OPENED; t <= Date.parse('2026-04-10T00:00:00Z'); t += 6 * HOUR) {
			if (t === Date.parse('2026-03-20T09:00:00Z'))
				for (const code of ['1-1', '1-2', '5-1', '6-1', '12-1']) await submit(paul, code, t);
			// Each step twice: a restart within the minute.
			await sendCampaignReminders(db, t);
			await sendCampaignReminders(db, t + 30_000);
		}
		// The clock goes back to the first reminder day.
		await sendCampaignReminders(db, Date.parse('2026-03-18T08:00:00Z'));
		const reminders = await mails('reminder');
		expect(reminders.map((r) => [r.to, r.day])).toEqual([
			['paul@cdg46.fr', '2026-03-18'],
			['paul@cdg46.fr', '2026-03-29'],
			['paul@cdg46.fr', '2026-04-02']
		]);
		expect(reminders[0]!.text).toContain('1-1 — ');
		expect(reminders[1]!.text).toContain('9-1 — ');
		expect(reminders[1]!.text).not.toContain('1-1 — ');
		expect(reminders[2]!.text).toContain('était le 1er\u00a0avril\u00a02026');
		const rows = await db.selectFrom('campaign_reminder').selectAll().execute();
		expect(rows.map((r) => [r.organisation_id, r.offset_days])).toEqual([
			[cdg, -14],
			[cdg, -3],
			[cdg, 1]
		]);

		const completion = await campaignCompletion(db, id);
		if (!completion.ok) throw new Error('no campaign');
		const paulOrg = completion.value.organisations.find((o) => o.id === cdg)!;
		expect(paulOrg).toMatchObject({ done: 5, total: 6, missing: ['9-1'] });
		expect(paulOrg.reminders).toHaveLength(3);
		expect(completion.value.complete).toBe(false);
		await submit(paul, '9-1', Date.parse('2026-04-10T10:00:00Z'));
		const after = await campaignCompletion(db, id);
		if (!after.ok) throw new Error('no campaign');
		expect(after.value.organisations.find((o) => o.id === cdg)!.missing).toEqual([]);
		// The other organisations of these fiches have no account: listed apart, never waited for.
		expect(after.value.organisations.map((o) => o.id).sort()).toEqual([cdg, sdail].sort());
		expect(after.value.withoutAccount.length).toBeGreaterThan(0);
		expect(after.value.withoutAccount).not.toContain('CDG46');
		const unreachable = after.value.fiches
			.flatMap((f) => f.organisations)
			.filter((o) => o.state === 'unreachable');
		expect(new Set(unreachable.map((o) => o.name))).toEqual(new Set(after.value.withoutAccount));
		// SDAIL answered at the start and CDG46 now too: complete, without waiting for the others.
		expect(after.value.complete).toBe(true);
		expect(after.value.done).toBe(after.value.total);
	}, 60_000);

	// Walkthrough s45: « Campagne complète … (2/2) » while the campaign reached nobody; then
	// the page said « sans compte » where the review file said « soumise ».
	it('keeps as submitted what an organisation answered before its last partner left, counts its other fiches missing, and says so on the page and in the review file alike', async () => {
		const id = await open();
		await submit(paul, '1-1', OPENED + HOUR);
		await submit(paul, '9-1', OPENED + HOUR);
		// Every partner moved to the commission: no organisation of the campaign can answer now.
		await db
			.updateTable('user_account')
			.set({ role: 'commission', organisation_id: null })
			.where('id', 'in', [paul.id, sam.id])
			.execute();
		const completion = await campaignCompletion(db, id);
		if (!completion.ok) throw new Error('no campaign');
		const { withoutAccount, organisations, fiches, done, total, complete } = completion.value;
		expect(withoutAccount).not.toContain('CDG46');
		expect(organisations.find((o) => o.id === cdg)).toMatchObject({ done: 2, total: 6 });
		expect({ done, total, complete }).toEqual({ done: 2, total: 6, complete: false });
		const onPage = fiches.flatMap((f) =>
			f.organisations.map((o) => ({ code: f.code, name: o.name, label: o.label, state: o.state }))
		);
		const cdgOnPage = onPage.filter((o) => o.name === 'CDG46');
		expect(cdgOnPage.find((o) => o.code === '1-1')?.label).toBe('soumise');
		expect(cdgOnPage.filter((o) => o.label === 'manquante')).toHaveLength(4);
		// An organisation that answered nothing and has no account is « non attendue » in both, in
		// the commission file's words (« Non attendue, faute de compte partenaire actif »).
		expect(withoutAccount.length).toBeGreaterThan(0);
		expect(new Set(onPage.filter((o) => o.state === 'unreachable').map((o) => o.label))).toEqual(
			new Set(['non attendue, faute de compte partenaire actif'])
		);
		// The commission's review file of each fiche says what the page says, organisation by organisation.
		for (const code of new Set(onPage.map((o) => o.code))) {
			const ficheId = (await findFicheState(db, code))!.id;
			const [status] = (await ficheCampaignStatus(db, ficheId)).filter((c) => c.id === id);
			expect(status!.organisations.sort((x, y) => x.name.localeCompare(y.name))).toEqual(
				onPage
					.filter((o) => o.code === code)
					.map(({ name, label, state }) => ({ name, label, state }))
					.sort((x, y) => x.name.localeCompare(y.name))
			);
		}
	});

	it('does not wait for an organisation whose only partner account is an invitation not yet accepted', async () => {
		const id = await open();
		const before = await campaignCompletion(db, id);
		if (!before.ok) throw new Error('no campaign');
		const [name] = before.value.withoutAccount;
		const slug = (
			await db
				.selectFrom('organisation')
				.select('slug')
				.where('name', '=', name!)
				.executeTakeFirstOrThrow()
		).slug;
		await createTestUser(db, {
			email: 'invitee@exemple.fr',
			name: 'Ines Invitée',
			role: 'partenaire',
			organisation: slug,
			password: null
		});
		const after = await campaignCompletion(db, id);
		if (!after.ok) throw new Error('no campaign');
		expect(after.value.withoutAccount).toContain(name);
		expect(after.value.total).toBe(before.value.total);
	});

	// Walkthrough s50: AMF46's only person, invited just before the opening, accepted after it:
	// her organisation was now expected, but no campaign mail was ever written for her.
	it('writes the opening to a partner who accepts their invitation while the campaign runs, through the outbox and their preferences', async () => {
		const slug = await withoutAccountSlug();
		const invite = async (email: string, name: string) => {
			const created = await createAccountWithInvitation(
				db,
				admin,
				{ email, name, role: 'partenaire', organisation: slug },
				null,
				OPENED - HOUR
			);
			if (!created.ok) throw new Error(created.message);
			return created.value;
		};
		const martine = await invite('martine@exemple.fr', 'Martine Martin');
		const muted = await invite('muet@exemple.fr', 'Marc Muet');
		await savePreferences(
			db,
			muted.userId,
			{ reminders: false, validations: true, commission: true },
			OPENED
		);
		const id = await open();
		const pending = await campaignCompletion(db, id, OPENED);
		if (!pending.ok) throw new Error('no campaign');
		const name = pending.value.withoutAccount.find((n) => pending.value.invited.includes(n));
		expect(name).toBeDefined();
		expect((await mails('campaign')).map((m) => m.to)).not.toContain('martine@exemple.fr');
		for (const invited of [martine, muted])
			expect(
				(
					await acceptInvitation(
						db,
						invited.invitationToken,
						'une phrase de passe solide',
						null,
						OPENED + HOUR
					)
				).ok
			).toBe(true);
		const opening = (await mails('campaign')).filter((m) => m.to.endsWith('@exemple.fr'));
		expect(opening.map((m) => m.to)).toEqual(['martine@exemple.fr']);
		expect(opening[0]!.text).toMatch(/Lot numérique ouvre la campagne de suivi «\s?Bilan 2026\s?»/);
		const after = await campaignCompletion(db, id);
		if (!after.ok) throw new Error('no campaign');
		expect(after.value.withoutAccount).not.toContain(name);
		expect(after.value.invited).toEqual([]);
	});

	// Brief s51: a partner who accepted their invitation got the campaign's opening, then, the next
	// minute, a reminder of the days already past that the opening had just listed.
	it('reminds nobody of a reminder whose day came on or before the day they were sent its opening, as at the opening; the others of the organisation still get it', async () => {
		const slug = await withoutAccountSlug();
		const accept = async (email: string, name: string, organisation: string, at: number) => {
			const created = await createAccountWithInvitation(
				db,
				admin,
				{ email, name, role: 'partenaire', organisation },
				null,
				at - HOUR
			);
			if (!created.ok) throw new Error(created.message);
			const accepted = await acceptInvitation(
				db,
				created.value.invitationToken,
				'une phrase de passe solide',
				null,
				at
			);
			expect(accepted.ok).toBe(true);
		};
		await open();
		await sendCampaignReminders(db, Date.parse('2026-03-18T09:00:00Z'));
		// The first account of an organisation that had none, two days after the J-14.
		await accept('martine@exemple.fr', 'Martine Martin', slug, Date.parse('2026-03-20T10:00:00Z'));
		await sendCampaignReminders(db, Date.parse('2026-03-20T10:01:00Z'));
		// A second person of CDG46 on the morning of the J-3, before the scheduler's turn.
		await accept('chloe@cdg46.fr', 'Chloé Collègue', 'cdg46', Date.parse('2026-03-29T06:00:00Z'));
		await sendCampaignReminders(db, Date.parse('2026-03-29T06:01:00Z'));
		await sendCampaignReminders(db, Date.parse('2026-04-02T09:00:00Z'));
		const sent = (await mails('reminder')).map((m) => [m.to, m.day]);
		const ofDay = (day: string) =>
			sent
				.filter((m) => m[1] === day)
				.map((m) => m[0])
				.sort();
		expect(ofDay('2026-03-18')).toEqual(['paul@cdg46.fr', 'sam@sdail.fr']);
		expect(ofDay('2026-03-20')).toEqual([]);
		expect(ofDay('2026-03-29')).toEqual(['martine@exemple.fr', 'paul@cdg46.fr', 'sam@sdail.fr']);
		expect(ofDay('2026-04-02')).toEqual([
			'chloe@cdg46.fr',
			'martine@exemple.fr',
			'paul@cdg46.fr',
			'sam@sdail.fr'
		]);
		// Her opening came after the J-14: her organisation is not said to have been sent it then
		// (the page lists these rows), but with the J-3, which went to her.
		const rows = await db
			.selectFrom('campaign_reminder')
			.select(['offset_days as offset', 'sent_at as sentAt'])
			.where('organisation_id', '=', await orgId(slug))
			.execute();
		expect(rows.map((r) => [r.offset, parisDate(new Date(r.sentAt))])).toEqual([
			[-14, '2026-03-29'],
			[-3, '2026-03-29'],
			[1, '2026-04-02']
		]);
	});

	it('no longer waits for a fiche abandoned while it is open: not counted, not listed, not reminded', async () => {
		const id = await open();
		const before = await campaignCompletion(db, id);
		if (!before.ok) throw new Error('no campaign');
		const listedBefore = (await listCampaigns(db)).find((c) => c.id === id)!.fiches;
		const state = (await findFicheState(db, '12-1'))!;
		const retired = await retireFiche(
			db,
			admin,
			'12-1',
			{ version: state.version, reason: 'Reprise par la Région', decisionId: null },
			null
		);
		expect(retired.ok).toBe(true);

		const after = await campaignCompletion(db, id);
		if (!after.ok) throw new Error('no campaign');
		expect(after.value.fiches.map((f) => f.code)).not.toContain('12-1');
		// The list of campaigns counts it no more either.
		expect((await listCampaigns(db)).find((c) => c.id === id)!.fiches).toBe(listedBefore - 1);
		expect(after.value.organisations.find((o) => o.id === cdg)!.total).toBe(
			before.value.organisations.find((o) => o.id === cdg)!.total - 1
		);
		const [workspace] = await campaignsForOrganisation(db, cdg, '2026-03-10');
		expect(workspace!.toUpdate.map((f) => f.code)).not.toContain('12-1');
		await sendCampaignReminders(db, Date.parse('2026-03-18T08:00:00Z'));
		const [reminder] = await mails('reminder');
		expect(reminder!.text).toContain('1-1 — ');
		expect(reminder!.text).not.toContain('12-1 — ');
	});

	it('keeps an organisation retired after it answered: its row, its answer and its count, marked « retirée »', async () => {
		const id = await open();
		await submit(paul, '1-2', OPENED + HOUR);
		await review('1-2', 'validate');
		const before = await campaignCompletion(db, id);
		if (!before.ok) throw new Error('no campaign');
		expect(before.value.done).toBe(1);
		// As /admin/utilisateurs then /admin/organisations/[id] « Retirer » do: its account
		// disabled, then the organisation retired.
		await db
			.updateTable('user_account')
			.set({ disabled_at: '2026-03-02T12:00:00.000Z' })
			.where('organisation_id', '=', cdg)
			.execute();
		await db
			.updateTable('organisation')
			.set({ retired_at: '2026-03-02' })
			.where('id', '=', cdg)
			.execute();
		const pairs = (await campaignPairs(db, id)).filter((p) => p.organisationId === cdg);
		// Its validated answer to 1-2 stays; the fiches it did not answer are asked of nobody.
		expect(pairs.map((p) => [p.code, p.state])).toEqual([['1-2', 'validated']]);
		const after = await campaignCompletion(db, id);
		if (!after.ok) throw new Error('no campaign');
		expect(after.value.done).toBe(1);
		expect(after.value.fiches.find((f) => f.code === '1-2')!.organisations).toContainEqual({
			name: 'CDG46 (retirée)',
			state: 'validated',
			label: 'validée'
		});
		expect(after.value.organisations.find((o) => o.id === cdg)).toMatchObject({
			name: 'CDG46 (retirée)',
			done: 1,
			total: 1
		});
		expect(completionRows(after.value, () => 'jamais')).toContainEqual([
			'1-2',
			expect.any(String),
			'CDG46 (retirée)',
			'validée',
			''
		]);
		expect(completionSheet(after.value, () => 'jamais').rows).toContainEqual(
			completionRows(after.value, () => 'jamais').find((r) => r[2] === 'CDG46 (retirée)')
		);
		// Listed as retired, not among those that lost their account, which the page follows with
		// « Inviter une personne »: nobody can be invited for a retired organisation.
		expect(after.value.retiredSince).toEqual(['CDG46 (retirée)']);
		expect(after.value.lostAccount).not.toContain('CDG46 (retirée)');
	});

	it('does not wait for a retired organisation whose answer was returned: it can no longer send it again', async () => {
		const id = await open();
		await submit(paul, '1-2', OPENED + HOUR);
		await review('1-2', 'return', 'Précisez le nombre de sessions.');
		await db
			.updateTable('organisation')
			.set({ retired_at: '2026-03-02' })
			.where('id', '=', cdg)
			.execute();
		expect((await campaignPairs(db, id)).filter((p) => p.organisationId === cdg)).toEqual([]);
	});

	it('refuses the same campaign opened twice (two tabs), whatever the case and spaces', async () => {
		const first = await open('2026-04-01', '-3');
		const again = await attemptOpening('2026-04-20', '-3', OPENED, ' bilan  2026. ');
		expect(again).toMatchObject({
			ok: false,
			status: 409,
			fieldErrors: {
				title: expect.stringContaining('Une campagne « Bilan 2026 » est déjà ouverte')
			}
		});
		expect((await listCampaigns(db)).map((c) => c.id)).toEqual([first]);
		// Closed, or past its deadline, it no longer stands in the way.
		await closeCampaign(db, admin, first, null, OPENED);
		expect(await attemptOpening('2026-04-20', '-3', OPENED, 'Bilan 2026')).toMatchObject({
			ok: true
		});
	});

	it('opens at most 5 campaigns per account and day, 20 parallel posts included (security probe)', async () => {
		// Each its own date limit: the same fiches by the same day would be refused as a repeat.
		const tried = await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				attemptOpening(`2026-04-${String(i + 1).padStart(2, '0')}`, '-3')
			)
		);
		expect(tried.filter((t) => t.ok)).toHaveLength(CAMPAIGNS_OPENED_PER_ACCOUNT_PER_DAY);
		expect(tried.find((t) => !t.ok)).toMatchObject({
			status: 429,
			message:
				'Vous avez déjà ouvert 5\u00a0campagnes aujourd’hui : c’est la limite d’une journée, pour que le portail n’écrive pas sans fin aux organisations. Ouvrez celle-ci demain.'
		});
		expect(await listCampaigns(db)).toHaveLength(CAMPAIGNS_OPENED_PER_ACCOUNT_PER_DAY);
		expect((await mails('campaign')).filter((m) => m.to === paul.email)).toHaveLength(
			CAMPAIGNS_OPENED_PER_ACCOUNT_PER_DAY
		);
		// The next day (Paris), the bound starts again.
		expect(await attemptOpening('2026-04-21', '-3', OPENED + 24 * HOUR)).toMatchObject({
			ok: true
		});
	});

	it('refuses a campaign that repeats an open one’s fiches and date limit under another title, naming it (left as noticed in session 41)', async () => {
		const first = await open('2026-04-01', '-3');
		const again = await attemptOpening('2026-04-01', '-14', OPENED, 'Relance des mises à jour');
		expect(again).toMatchObject({
			ok: false,
			status: 409,
			message: expect.stringContaining(
				'La campagne « Bilan 2026 », ouverte, demande déjà ces mêmes fiches pour le 1er\u00a0avril\u00a02026'
			),
			fieldErrors: { scope: expect.stringContaining('« Bilan 2026 »') }
		});
		expect((await listCampaigns(db)).map((c) => c.id)).toEqual([first]);
		// Another date limit, or other fiches: another campaign.
		expect(await attemptOpening('2026-04-15', '-3', OPENED, 'Relance')).toMatchObject({ ok: true });
		const others = await openCampaign(
			db,
			admin,
			{
				title: 'Fiches du SDAIL',
				deadline: '2026-04-01',
				scope: { kind: 'organisation', organisationId: sdail },
				sittingId: null,
				reminders: '-3'
			},
			null,
			OPENED
		);
		expect(others).toMatchObject({ ok: true });
		// Closed, it no longer stands in the way.
		await closeCampaign(db, admin, first, null, OPENED);
		expect(await attemptOpening('2026-04-01', '-3', OPENED, 'Relance bis')).toMatchObject({
			ok: true
		});
	});

	it('stays in the workspace after its deadline when it reminds after it, a while', async () => {
		const late = await open('2026-04-01', '-14, -3, +1');
		const onTime = await open('2026-04-15', '-3');
		const listed = async (day: string) =>
			(await campaignsForOrganisation(db, cdg, day)).map((c) => [c.id, c.late]);
		expect(await listed('2026-04-01')).toEqual([
			[late, false],
			[onTime, false]
		]);
		// The +1 reminder of 2 April says « il est encore temps » and leads to /espace.
		expect(await listed('2026-04-02')).toEqual([
			[late, true],
			[onTime, false]
		]);
		// Read later, or sent late (after a stop): still there, until 30 days after the deadline.
		expect(await listed('2026-04-10')).toEqual([
			[late, true],
			[onTime, false]
		]);
		expect(await listed('2026-05-01')).toEqual([[late, true]]);
		expect(await listed('2026-05-02')).toEqual([]);
		// Without a reminder after its deadline, it leaves the day after.
		expect(await listed('2026-04-16')).toEqual([[late, true]]);
	});

	it('closed before its end: no reminder goes, partners no longer see it, closing twice is refused', async () => {
		const id = await open();
		const kept = await open('2026-04-15', '-3');
		expect((await campaignsForOrganisation(db, cdg, '2026-03-10')).map((c) => c.id)).toEqual([
			id,
			kept
		]);
		const workRevision = async () =>
			(await db.selectFrom('data_revision').select('work_revision').executeTakeFirstOrThrow())
				.work_revision;
		const before = await workRevision();
		const closing = await closeCampaign(db, admin, id, null, Date.parse('2026-03-10T10:00:00Z'));
		expect(closing.ok).toBe(true);
		// A partner's workspace, cached on this revision, is drawn again.
		expect(await workRevision()).toBeGreaterThan(before);
		expect((await campaignsForOrganisation(db, cdg, '2026-03-10')).map((c) => c.id)).toEqual([
			kept
		]);
		// The day of the first reminder (-14) of the closed campaign: nothing leaves for it.
		await sendCampaignReminders(db, Date.parse('2026-03-18T09:00:00Z'));
		expect(await mails('reminder')).toEqual([]);
		// The other campaign still reminds (-3 before 15 April).
		await sendCampaignReminders(db, Date.parse('2026-04-12T09:00:00Z'));
		expect((await mails('reminder')).map((m) => m.to).sort()).toEqual([
			'paul@cdg46.fr',
			'sam@sdail.fr'
		]);
		const rows = await db.selectFrom('campaign_reminder').select('campaign_id').execute();
		expect(rows.every((r) => r.campaign_id === kept)).toBe(true);

		const completion = await campaignCompletion(db, id);
		expect(completion.ok && completion.value.campaign).toMatchObject({
			closedAt: Date.parse('2026-03-10T10:00:00Z'),
			closedByName: admin.name
		});
		const again = await closeCampaign(db, admin, id, null);
		expect(again).toMatchObject({
			ok: false,
			status: 409,
			message: `Cette campagne a déjà été close par ${admin.name}.`
		});
		expect(await closeCampaign(db, admin, 999_999, null)).toMatchObject({ ok: false, status: 404 });
		const journal = await db
			.selectFrom('audit_event')
			.select('summary')
			.where('action', '=', 'campaign.closed')
			.execute();
		expect(journal.map((j) => j.summary)).toEqual([
			// Its opening mails had not left: no sender runs here.
			expect.stringMatching(
				/^Campagne « Bilan 2026 » close avant son échéance du 1er\u00a0avril\u00a02026 ; \d+\u00a0courriels en attente annulés$/
			)
		]);
	});

	it('closed before its opening mails left (relay down): they are cancelled, said so, those of another campaign go', async () => {
		const id = await open();
		const kept = await open('2026-04-15', '-3');
		const closing = await closeCampaign(db, admin, id, null, Date.parse('2026-03-10T10:00:00Z'));
		const rows = await db
			.selectFrom('mail_outbox')
			.select(['campaign_id', 'status', 'last_error'])
			.where('kind', '=', 'campaign')
			.execute();
		expect(rows.filter((r) => r.campaign_id === id).length).toBeGreaterThan(0);
		for (const row of rows)
			expect(row).toEqual(
				row.campaign_id === id
					? {
							campaign_id: id,
							status: 'cancelled',
							last_error: 'Non envoyé : la campagne a été close avant le départ du message.'
						}
					: { campaign_id: kept, status: 'pending', last_error: null }
			);
		const cancelled = rows.filter((r) => r.campaign_id === id).length;
		// The closing notice says it too (/admin/campagnes/N?close=1, read back by closingCancelledMail).
		expect(closing).toEqual({ ok: true, value: { cancelled } });
		const [summary] = await db
			.selectFrom('audit_event')
			.select('summary')
			.where('action', '=', 'campaign.closed')
			.execute();
		expect(summary!.summary).toMatch(
			new RegExp(` ; ${cancelled}\u00a0courriels en attente annulés$`)
		);
	});

	it('keeps a closed campaign’s figures as they were when it was closed', async () => {
		const id = await open();
		await submit(paul, '1-1', Date.parse('2026-03-05T10:00:00Z'));
		await submit(sam, '6-1', Date.parse('2026-03-05T10:05:00Z'));
		expect((await closeCampaign(db, admin, id, null, Date.parse('2026-03-10T10:00:00Z'))).ok).toBe(
			true
		);
		const figures = async () => {
			const completion = await campaignCompletion(db, id);
			if (!completion.ok) throw new Error(completion.message);
			const { done, total, withoutAccount, fiches } = completion.value;
			return { done, total, withoutAccount, fiches };
		};
		const atClosing = await figures();
		expect(atClosing.done).toBe(2);

		// Afterwards: an answer comes late, an account is disabled, one without account gets one.
		await submit(paul, '1-2', Date.parse('2026-03-12T10:00:00Z'));
		await db
			.updateTable('user_account')
			.set({ disabled_at: '2026-03-12T11:00:00Z' })
			.where('id', '=', sam.id)
			.execute();
		const slug = (
			await db
				.selectFrom('organisation')
				.select('slug')
				.where('name', '=', atClosing.withoutAccount[0]!)
				.executeTakeFirstOrThrow()
		).slug;
		await createTestUser(db, {
			email: 'nouveau@exemple.fr',
			name: 'Nina Nouvelle',
			role: 'partenaire',
			organisation: slug,
			password: 'une phrase de passe assez longue'
		});
		expect(await figures()).toEqual(atClosing);
	});

	it('lists a fiche moved to another objective in the plan’s order, under its new code', async () => {
		// 12-1 moved to objective 1, as its editor does it: it becomes 1-3.
		const first = await db
			.selectFrom('objective')
			.select('id')
			.where('number', '=', 1)
			.executeTakeFirstOrThrow();
		await db
			.updateTable('fiche')
			.set({ objective_id: first.id, number: 3, code: '1-3' })
			.where('code', '=', '12-1')
			.execute();
		await open();
		const toPaul = (await mails('campaign')).find((m) => m.to === 'paul@cdg46.fr')!.text;
		const codes = [...toPaul.matchAll(/^- (\d{1,2}-\d) — /gm)].map((m) => m[1]);
		expect(codes).toEqual(['1-1', '1-2', '1-3', '5-1', '6-1', '9-1']);
	});

	it('sends reminders that fell due while the server was off in one message', async () => {
		await open();
		// CDG46 and SDAIL (both with an account) are missing every fiche.
		expect(await sendCampaignReminders(db, Date.parse('2026-03-30T08:00:00Z'))).toBe(2);
		const reminders = await mails('reminder');
		expect(reminders.filter((r) => r.to === 'paul@cdg46.fr')).toHaveLength(1);
		const rows = await db.selectFrom('campaign_reminder').selectAll().execute();
		expect(rows.filter((r) => r.organisation_id === cdg).map((r) => r.offset_days)).toEqual([
			-14, -3
		]);
		expect(rows).toHaveLength(4);
		expect(await sendCampaignReminders(db, Date.parse('2026-03-30T09:00:00Z'))).toBe(0);
	});

	it('offers the organisations in French alphabetical order', async () => {
		const names = (await campaignsPage(db)).organisations.map((o) => o.name);
		expect(names.indexOf('Ad’Occ')).toBeLessThan(names.indexOf('ARS'));
		expect(names.indexOf('École régionale du numérique')).toBeLessThan(names.indexOf('EPCI'));
	});

	it('refuses to prepare a séance that does not exist or is closed', async () => {
		const attempt = (sittingId: number) =>
			openCampaign(
				db,
				admin,
				{
					title: 'Préparation',
					deadline: '2026-04-01',
					scope: { kind: 'all' },
					sittingId,
					reminders: '-3'
				},
				null,
				OPENED
			);
		const closed = await db
			.selectFrom('commission_session')
			.select('id')
			.where('state', '=', 'closed')
			.executeTakeFirstOrThrow();
		for (const id of [999_999, closed.id])
			expect(await attempt(id)).toMatchObject({
				ok: false,
				status: 400,
				fieldErrors: { sitting: expect.stringContaining('choisissez une séance dans la liste') }
			});
		expect(await db.selectFrom('campaign').select('id').execute()).toEqual([]);
	});

	it('refuses a deadline past, or over a year ahead, and reminders that would never go', async () => {
		expect(await attemptOpening('2026-03-01', '-3')).toMatchObject({
			ok: false,
			fieldErrors: {
				deadline:
					'Choisissez une échéance à venir, à partir d’aujourd’hui, le 2\u00a0mars\u00a02026.'
			}
		});
		// 2 March 2026 + 366 days: 3 March 2027 is the last deadline accepted.
		expect(await attemptOpening('2027-03-04', '+1')).toMatchObject({
			ok: false,
			fieldErrors: {
				deadline:
					'Choisissez une échéance au plus tard le 3\u00a0mars\u00a02027 : une campagne dure au plus un an (vérifiez l’année).'
			}
		});
		expect(await attemptOpening('2026-03-10', '-14, -3, +1')).toMatchObject({
			ok: false,
			fieldErrors: {
				reminders:
					'Le rappel -14 tomberait le 24\u00a0février\u00a02026, au plus tard le jour de l’ouverture : il ne partirait pas. Retirez-le ou reportez l’échéance.'
			}
		});
		expect(await attemptOpening('2026-03-05', '-8, -3, +1')).toMatchObject({
			ok: false,
			fieldErrors: {
				reminders:
					'Les rappels -8 et -3 tomberaient au plus tard le jour de l’ouverture (25\u00a0février\u00a02026, 2\u00a0mars\u00a02026) : ils ne partiraient pas. Retirez-les ou reportez l’échéance.'
			}
		});
		expect(await db.selectFrom('campaign').selectAll().execute()).toEqual([]);
		expect(await mails('campaign')).toEqual([]);
		expect(await attemptOpening('2027-03-03', '-14, +1')).toMatchObject({ ok: true });
	});

	it('skips reminders whose day came before the opening, and respects preferences', async () => {
		await db
			.insertInto('mail_preference')
			.values({ user_id: sam.id, reminders: 0, validations: 1, commission: 1, updated_at: 0 })
			.execute();
		await open('2026-03-10', '-3, +1');
		// Reminders due before the opening and on its day, 2 March (a campaign opened before the
		// form refused them): the opening's own mail went that day.
		await db.updateTable('campaign').set({ reminder_days: '[-14,-8,-3,1]' }).execute();
		expect((await mails('campaign')).map((m) => m.to)).toEqual(['paul@cdg46.fr']);
		await sendCampaignReminders(db, Date.parse('2026-03-03T09:00:00Z'));
		expect(await mails('reminder')).toEqual([]);
		await sendCampaignReminders(db, Date.parse('2026-03-07T09:00:00Z'));
		expect((await mails('reminder')).map((m) => [m.to, m.day])).toEqual([
			['paul@cdg46.fr', '2026-03-07']
		]);
	});

	/** A campaign's completion where fiche 9-1's title reads as a spreadsheet formula. */
	async function completionWithFormulaTitle() {
		const id = await open();
		await db
			.updateTable('fiche')
			.set({ title: '=HYPERLINK("x")' })
			.where('code', '=', '9-1')
			.execute();
		const completion = await campaignCompletion(db, id);
		if (!completion.ok) throw new Error('no campaign');
		return completion.value;
	}

	it('writes its completion as CSV with free text protected', async () => {
		const completion = await completionWithFormulaTitle();
		const rows = completionRows(completion, () => 'jamais');
		expect(rows[0]).toEqual(['fiche', 'intitule', 'organisation', 'etat', 'rappels']);
		expect(rows.find((r) => r[0] === '9-1')![1]).toBe(`'=HYPERLINK("x")`);
		expect(rows.filter((r) => r[2] === 'CDG46').every((r) => r[3] === 'manquante')).toBe(true);
	});

	it('writes its completion as a workbook for people, read back', async () => {
		const completion = await completionWithFormulaTitle();
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(await sheetToXlsx(completionSheet(completion, () => 'jamais')));
		const sheet = workbook.worksheets[0]!;
		const rows: unknown[][] = [];
		sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
		expect(sheet.name).toBe('Suivi de la campagne');
		expect(String(rows[0]![0])).toMatch(
			/^Campagne de suivi « .+ », échéance le \d{1,2}(er)?\u00a0\S+\u00a0\d{4} : 0 sur \d+\u00a0mises à jour attendues$/
		);
		expect(rows[1]).toEqual(['Fiche', 'Intitulé', 'Organisation', 'État', 'Rappels']);
		// A text cell, never a formula: the title as typed.
		const nineOne = rows.find((r) => r[0] === '9-1')!;
		expect(nineOne[1]).toBe('=HYPERLINK("x")');
		expect(rows.length - 2).toBe(completionRows(completion, () => 'jamais').length - 1);
	});

	it('says in its workbook that a campaign is closed, and as of when', async () => {
		const completion = await completionWithFormulaTitle();
		const closed = {
			...completion,
			campaign: { ...completion.campaign, closedAt: Date.parse('2026-03-10T10:00:00Z') }
		};
		expect(completionSheet(closed, () => 'jamais').note).toMatch(
			/, close le 10\u00a0mars\u00a02026 \(avancement du jour de la clôture\) : 0 sur /
		);
	});
});
