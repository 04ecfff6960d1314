import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DecisionSchema, SittingSchema, decisionMismatches } from '../../schemas/commission';
import type { User } from '../auth/users';
import { createTestUser, PEOPLE } from '../auth/testing';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import { buildPlanDocument } from '../opendata/plan-document';
import { listClosedDecisions } from '../opendata/repository';
import { findFicheByCode } from '../plan/repository';
import { planHistory } from '../plan/history';
import { isOpenSitting, listOpenSittings } from '../campaigns/repository';
import { findSittingForNotice } from './convocation-repository';
import { changedSinceConvened } from './convocation';
import { createFiche } from '../authoring/fiches';
import { abandonFiche, moveFiche } from '../authoring/testing';
import { heldSitting, preparedSitting } from './testing';
import { releveSheet } from './releve';
import {
	findSitting,
	listSittingsAt,
	listAttendeeCandidates,
	listFicheDecisions,
	listPriorityComparison,
	listPriorityHistory,
	listSittings
} from './repository';
import { reviewProgressUpdate, saveProgressUpdate, setFicheStatus } from '../progress/service';
import { createPartner, progressInput } from '../progress/testing';
import { findFicheForReporting } from '../progress/repository';
import {
	addAgendaFiches,
	addAgendaFreeItem,
	agendaFlags,
	ficheStateOn,
	flagsReadOn,
	listFicheFlags,
	type FicheFlags,
	addAttendee,
	AGENDA_ITEM_GONE_MESSAGE,
	ATTENDEE_GONE_MESSAGE,
	changeSittingState,
	CLOSE_BEFORE_HELD_MESSAGE,
	CLOSING_CHANGED_MESSAGE,
	createSitting,
	DECISION_ITEM_GONE_MESSAGE,
	deleteSitting,
	FREE_ITEMS_PER_SITTING,
	GUESTS_PER_SITTING,
	listPriorityConflicts,
	newPriorityMessage,
	recordDecision,
	removeAgendaItem,
	removeAttendee,
	removeDecision,
	rebaseSittingTyping,
	SITTINGS_CREATED_PER_ACCOUNT_PER_DAY,
	sittingDayProblems,
	updateSitting
} from './service';

let db: Db;
let member: User;

beforeEach(async () => {
	db = await createTestDb();
	member = await createTestUser(db, PEOPLE.claude);
});
afterEach(async () => {
	await db.destroy();
});

const counts = async () => {
	const n = async (table: 'decision' | 'agenda_item' | 'commission_session') =>
		Number(
			(
				await db
					.selectFrom(table)
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.executeTakeFirstOrThrow()
			).n
		);
	return {
		decision: await n('decision'),
		agenda: await n('agenda_item'),
		sittings: await n('commission_session')
	};
};

/** A séance in Cahors created by the member, its agenda empty, which must be accepted: its id. */
function newSitting(heldOn: string, title = 'Commission des usages numériques') {
	return preparedSitting(db, member, { heldOn, title, fiches: [] });
}

// Review #14: the closing's page said « ouvrez-la (tenue) avant de la clore », the service
// « La séance est en préparation : elle ne peut pas passer à l’état « close » » for the same state.
it('refuses to close a séance still in preparation with the words of its closing page', async () => {
	const id = await newSitting('2026-06-15');
	await addAgendaFiches(db, member, id, ['1-1'], null);
	expect(await changeSittingState(db, member, id, 'closed', null)).toMatchObject({
		ok: false,
		status: 409,
		message: CLOSE_BEFORE_HELD_MESSAGE
	});
});

/** A séance of `newSitting`, held by the member with `code` on its agenda: its id, its item's. */
async function heldSittingWith(code: string, heldOn = '2026-06-15') {
	const held = await heldSitting(db, member, {
		heldOn,
		title: 'Commission des usages numériques',
		fiches: [code]
	});
	return { id: held.sittingId, itemId: held.itemId };
}

/** A priority decision on the sitting's first point, « Motif. » as its rationale. */
function decidePriority(sitting: { id: number; itemId: number }, newPriority: 1 | 2) {
	return recordDecision(
		db,
		member,
		sitting.id,
		sitting.itemId,
		{ kind: 'priority', newPriority, text: 'Motif.' },
		null
	);
}

describe('the seeded sitting of 1 February 2019', () => {
	it('is closed, with its four opinions attached to 10-1, 13-1, 7-2 and 3-1', async () => {
		const [summary] = await listSittings(db, { closedOnly: true });
		const sitting = (await findSitting(db, summary!.id))!;
		expect(sitting).toMatchObject({ heldOn: '2019-02-01', place: 'Cahors', state: 'closed' });
		expect(sitting.items.map((i) => i.fiche?.code)).toEqual(['10-1', '13-1', '7-2', '3-1']);
		expect(
			sitting.items.flatMap((i) => i.decisions.filter((d) => d.kind === 'opinion'))
		).toHaveLength(4);
		expect(sitting.items[1]!.decisions.map((d) => d.text)).toContain(
			'Piloter le groupe de travail relatif à la visibilité du réseau de tiers-lieux.'
		);
		expect(
			(await listFicheDecisions(db, (await findFicheByCode(db, '3-1'))!.id))[0]!.text
		).toContain('OpenIG');
	});
});

describe('priority decisions', () => {
	it('take effect at closing, with a history line back to the adoption, and reach the export', async () => {
		const { id, itemId } = await heldSittingWith('4-1');
		expect(
			await recordDecision(
				db,
				member,
				id,
				itemId,
				{ kind: 'priority', newPriority: 1, text: 'Les initiatives citoyennes se multiplient.' },
				null
			)
		).toEqual({ ok: true });
		expect((await findFicheByCode(db, '4-1'))!.priority).toBe(2);
		await changeSittingState(db, member, id, 'closed', null);
		const fiche = (await findFicheByCode(db, '4-1'))!;
		expect(fiche.priority).toBe(1);
		expect(await listPriorityHistory(db, fiche.id)).toEqual([
			{
				priority: 2,
				since: '2018-07-19',
				sittingId: null,
				sittingDate: null,
				sittingStartsAt: null,
				rationale: 'Priorité fixée à l’adoption du plan d’actions par le comité syndical.'
			},
			{
				priority: 1,
				since: '2026-06-15',
				sittingId: id,
				sittingDate: '2026-06-15',
				sittingStartsAt: null,
				rationale: 'Les initiatives citoyennes se multiplient.'
			}
		]);
		expect(
			(await buildPlanDocument(db, new Date().toISOString())).fiches.find((f) => f.code === '4-1')!
				.priority
		).toBe(1);
		expect((await listPriorityComparison(db)).filter((f) => f.moved).map((f) => f.code)).toEqual([
			'4-1'
		]);
		const journal = await db.selectFrom('audit_event').select('action').execute();
		expect(journal.map((e) => e.action)).toEqual(
			expect.arrayContaining([
				'session.created',
				'session.agenda',
				'session.state',
				'decision.recorded',
				'priority.changed'
			])
		);
	});

	it('refuse a closed sitting, a sitting not yet held, an unchanged priority, and write nothing', async () => {
		const { id, itemId } = await heldSittingWith('4-1');
		const before = await counts();
		expect(
			await recordDecision(
				db,
				member,
				id,
				itemId,
				{ kind: 'priority', newPriority: 2, text: 'rien' },
				null
			)
		).toMatchObject({
			ok: false,
			// Under its field, as every field refusal (a walkthrough of December 2026 met a notice
			// above the form); a conflict (s56 #2: another séance changed it since the page was
			// drawn, and the field still said « actuellement priorité 2 »): the page reads it again.
			status: 409,
			fieldErrors: {
				new_priority: 'La fiche 4-1 est déjà en priorité 2 : choisissez une autre priorité.'
			}
		});
		await changeSittingState(db, member, id, 'closed', null);
		const closed = await recordDecision(
			db,
			member,
			id,
			itemId,
			{ kind: 'opinion', opinion: 'favorable', text: 'trop tard' },
			null
		);
		expect(closed).toMatchObject({ ok: false, status: 409 });
		expect(closed.ok ? '' : closed.message).toContain('Cette séance est close');
		expect(await addAgendaFiches(db, member, id, ['1-1'], null)).toMatchObject({
			ok: false,
			status: 409
		});
		expect(await changeSittingState(db, member, id, 'held', null)).toMatchObject({
			ok: false,
			status: 409
		});
		// Closing it again (a second member's click): told it is closed already, not to open another.
		const again = await changeSittingState(db, member, id, 'closed', null);
		expect(again).toMatchObject({ ok: false, status: 409 });
		expect(again.ok ? '' : again.message).toContain('a déjà été close');
		expect(await counts()).toEqual(before);

		const planned = await preparedSitting(db, member, {
			heldOn: '2026-09-01',
			place: 'Figeac',
			fiches: ['1-1']
		});
		const item = (await findSitting(db, planned))!.items[0]!;
		expect(
			await recordDecision(db, member, planned, item.id, { kind: 'free', text: 'x' }, null)
		).toMatchObject({ ok: false, status: 409 });
	});
});

describe('the plan’s history', () => {
	it('tells a séance closed without a decision as such, not « ses décisions ont pris effet »', async () => {
		const { id } = await heldSittingWith('4-1');
		expect(await changeSittingState(db, member, id, 'closed', null)).toEqual({ ok: true });
		const told = (await planHistory(db)).find((e) => e.link?.href === `/commission/seances/${id}`);
		expect(told).toMatchObject({
			title: 'Séance de la commission des usages numériques : aucune décision',
			body: 'Commission des usages numériques (Cahors), séance close sans décision.'
		});
	});

	// Walkthrough s56 #5: one decision read « ses décisions ont pris effet » beside « 1 décision ».
	it('tells one decision in the singular', async () => {
		const sitting = await heldSittingWith('4-1');
		expect(await decidePriority(sitting, 1)).toEqual({ ok: true });
		expect(await changeSittingState(db, member, sitting.id, 'closed', null)).toEqual({ ok: true });
		const told = (await planHistory(db)).find(
			(e) => e.link?.href === `/commission/seances/${sitting.id}`
		);
		expect(told).toMatchObject({
			title: 'Séance de la commission des usages numériques : 1\u00a0décision',
			body: 'Commission des usages numériques (Cahors), séance close : sa décision a pris effet.'
		});
	});
});

describe('closing a séance closed meanwhile', () => {
	it('tells what its decisions did by their count: none, one, several', async () => {
		const closedTwice = async (decisions: number) => {
			const sitting = await heldSittingWith('4-1', `2026-05-0${decisions + 1}`);
			for (let n = 0; n < decisions; n++) {
				const text = `Décision ${n + 1}.`;
				const decided = await recordDecision(
					db,
					member,
					sitting.id,
					sitting.itemId,
					{ kind: 'free', text },
					null
				);
				expect(decided).toEqual({ ok: true });
			}
			expect(await changeSittingState(db, member, sitting.id, 'closed', null)).toEqual({
				ok: true
			});
			const again = await changeSittingState(db, member, sitting.id, 'closed', null);
			return again.ok ? '' : again.message;
		};
		const message = (words: string) =>
			`Cette séance a déjà été close (par un autre membre ou dans un autre onglet)${words} ; son relevé est sur cette page.`;
		expect(await closedTwice(0)).toBe(message(' sans décision'));
		expect(await closedTwice(1)).toBe(message(' : sa décision a pris effet'));
		expect(await closedTwice(2)).toBe(message(' : ses décisions ont pris effet'));
	});
});

describe('a closed séance’s fiches', () => {
	// Review s58: closed on its own day (16:00 in Paris), then a fiche moved that evening: the relevé
	// sent at closing named the code then, the page must too.
	it('are named by their code at its closing when it was closed on its day', async () => {
		const admin = await createTestUser(db, PEOPLE.admin);
		const held = await heldSitting(db, member, {
			heldOn: '2026-06-15',
			title: 'Commission des usages numériques',
			fiches: ['13-1']
		});
		const closed = await changeSittingState(
			db,
			member,
			held.sittingId,
			'closed',
			null,
			new Date('2026-06-15T14:00:00Z')
		);
		expect(closed).toEqual({ ok: true });
		const evening = await moveFiche(db, admin, '13-1', 3, new Date('2026-06-15T16:00:00Z'));
		if (!evening.ok) throw new Error(evening.message);
		const sitting = (await findSitting(db, held.sittingId))!;
		expect(sitting.items.map((i) => [i.fiche?.code, i.fiche?.codeThen])).toEqual([
			[evening.value.code, '13-1']
		]);
	});

	it('are named by the code they had on its day too (not at its closing), when they moved since', async () => {
		const admin = await createTestUser(db, PEOPLE.admin);
		const held = await heldSitting(db, member, {
			heldOn: '2026-06-15',
			title: 'Commission des usages numériques',
			fiches: ['11-1', '13-1', '1-1']
		});
		// 1-1 moved late on the séance's day (23:00 in Paris): its code then is today's.
		const sameDay = await moveFiche(db, admin, '1-1', 3, new Date('2026-06-15T21:00:00Z'));
		if (!sameDay.ok) throw new Error(sameDay.message);
		// 13-1 moved the day after (00:30 in Paris), before the closing: named as on the séance's day.
		const before = await moveFiche(db, admin, '13-1', 3, new Date('2026-06-15T22:30:00Z'));
		if (!before.ok) throw new Error(before.message);
		expect(await changeSittingState(db, member, held.sittingId, 'closed', null)).toEqual({
			ok: true
		});
		const after = await moveFiche(db, admin, '11-1', 3, new Date(Date.now() + 60_000));
		if (!after.ok) throw new Error(after.message);
		const sitting = (await findSitting(db, held.sittingId))!;
		expect(sitting.items.map((i) => [i.fiche?.code, i.fiche?.codeThen])).toEqual([
			[sameDay.value.code, null],
			[after.value.code, '11-1'],
			[before.value.code, '13-1']
		]);
		// The workbook of its relevé names it so too (its machine-read CSV keeps today's code).
		const sheet = releveSheet({
			...sitting,
			items: sitting.items.map((item) => ({
				...item,
				decisions: [
					{
						id: item.id,
						kind: 'free',
						previousPriority: null,
						newPriority: null,
						opinion: null,
						text: 'x',
						recordedBy: null,
						recordedAt: ''
					}
				]
			}))
		});
		expect(sheet.rows.map((row) => row[1])).toEqual([
			sameDay.value.code,
			`11-1 (aujourd’hui ${after.value.code})`,
			`13-1 (aujourd’hui ${before.value.code})`
		]);
	});
});

describe('the agenda', () => {
	it('lists fiches ticked together in the plan’s order (2-1 before 10-1), after the points already there', async () => {
		const id = await newSitting('2026-12-10');
		await addAgendaFiches(db, member, id, ['14-1'], null);
		await addAgendaFiches(db, member, id, ['17-1', '10-1', '3-1', '2-1'], null);
		expect((await findSitting(db, id))!.items.map((i) => i.fiche?.code)).toEqual([
			'14-1',
			'2-1',
			'3-1',
			'10-1',
			'17-1'
		]);
	});

	it('reads the signals of a séance whose day is past on that day, of one to come today', async () => {
		// 1-2, priority 1, still « à lancer » on 1 March 2026; its owners report it begun on 10 March,
		// validated that day. A séance of 1 March not yet closed keeps reading it as it stood then.
		const admin = await createTestUser(db, PEOPLE.admin);
		const partner = await createPartner(db, 'cdg46', 'p@cdg46.fr');
		const march10 = new Date('2026-03-10T10:00:00Z');
		const input = progressInput({ reportedOn: '2026-03-10', status: 'en_cours', progress: 10 });
		const created = await saveProgressUpdate(db, partner, '1-2', null, input, null, march10);
		if (!created.ok) throw new Error(created.message);
		const review = { updateId: created.value.id, version: 1, decision: 'validate' as const };
		expect(
			await reviewProgressUpdate(db, admin, { ...review, comment: '' }, null, march10)
		).toEqual(expect.objectContaining({ ok: true }));
		const of12 = (flags: FicheFlags[]) => flags.find((f) => f.code === '1-2');

		const past = await agendaFlags(db, '2026-03-01', '2026-12-06');
		expect(past.readOn).toBe('2026-03-01');
		expect(of12(past.flags)).toMatchObject({
			status: 'a_lancer',
			priorityOneNotStarted: true,
			lastUpdate: null
		});
		// The same séance before its day (and one to come): today's data.
		const before = await agendaFlags(db, '2026-03-01', '2026-02-20');
		expect(before.readOn).toBeNull();
		expect(of12(before.flags)).toMatchObject({
			status: 'en_cours',
			priorityOneNotStarted: false,
			lastUpdate: '2026-03-10'
		});
		expect(flagsReadOn('2026-12-06', '2026-12-06')).toBeNull();
	});

	it('keeps a past séance’s signals when an update reported before its day is validated after', async () => {
		// 9-1's indicators have no value on 1 March 2026; values measured on 20 February, reported on
		// the 25th, validated on 10 March: the séance of 1 March still counts them as never measured,
		// and its « État à la date de la séance » does not change either.
		const admin = await createTestUser(db, PEOPLE.admin);
		const partner = await createPartner(db, 'cdg46', 'p@cdg46.fr');
		const fiche = (await findFicheForReporting(db, '9-1'))!;
		const of91 = async () =>
			(await agendaFlags(db, '2026-03-01', '2026-12-06')).flags.find((f) => f.code === '9-1');
		const before = await of91();
		const stateBefore = await ficheStateOn(db, '9-1', '2026-03-01');
		const input = progressInput({
			reportedOn: '2026-02-25',
			measurements: fiche.indicators.map((i) => ({
				indicatorId: i.id,
				measuredOn: '2026-02-20',
				value: 3,
				comment: null
			}))
		});
		const at = new Date('2026-02-25T10:00:00Z');
		const created = await saveProgressUpdate(db, partner, '9-1', null, input, null, at);
		if (!created.ok) throw new Error(created.message);
		const review = { updateId: created.value.id, version: 1, decision: 'validate' as const };
		const march10 = new Date('2026-03-10T10:00:00Z');
		expect(
			(await reviewProgressUpdate(db, admin, { ...review, comment: '' }, null, march10)).ok
		).toBe(true);
		expect(before!.neverMeasured).toBeGreaterThan(0);
		expect(await of91()).toEqual(before);
		expect(await ficheStateOn(db, '9-1', '2026-03-01')).toEqual(stateBefore);
	});

	it('reads the same last update once a séance’s day is past: a status Lot numérique set is not a report', async () => {
		const admin = await createTestUser(db, PEOPLE.admin);
		const partner = await createPartner(db, 'cdg46', 'p@cdg46.fr');
		const at = new Date('2025-01-10T10:00:00Z');
		const input = progressInput({ reportedOn: '2025-01-10' });
		const created = await saveProgressUpdate(db, partner, '9-1', null, input, null, at);
		if (!created.ok) throw new Error(created.message);
		const review = { updateId: created.value.id, version: 1, decision: 'validate' as const };
		expect((await reviewProgressUpdate(db, admin, { ...review, comment: '' }, null, at)).ok).toBe(
			true
		);
		const status = {
			status: 'suspendue' as const,
			shownStatus: 'en_cours' as const,
			reason: 'Décision de la commission',
			decisionId: null
		};
		const set = await setFicheStatus(
			db,
			admin,
			'9-1',
			status,
			null,
			new Date('2026-02-01T10:00:00Z')
		);
		expect(set.ok).toBe(true);
		const of91 = async (today: string) =>
			(await agendaFlags(db, '2026-03-01', today)).flags.find((f) => f.code === '9-1')!;
		const before = await of91('2026-02-20');
		const after = await of91('2026-03-05');
		expect(before.lastUpdate).toBe('2025-01-10');
		expect(after.lastUpdate).toBe(before.lastUpdate);
		expect(after.stale).toBe(before.stale);
	});

	// Walkthrough s56 #1: a fiche moved since the page was drawn answered « Une des fiches
	// choisies n’existe pas. » (400, the page not read again); an abandoned fiche was added, and one
	// already there answered « mis à jour » with nothing added.
	it('names each ticked fiche it cannot add, adds none of them, and asks the page to be read again', async () => {
		const admin = await createTestUser(db, PEOPLE.admin);
		const id = await newSitting('2026-12-10');
		await addAgendaFiches(db, member, id, ['1-1'], null);
		const moved = await moveFiche(db, admin, '11-1', 3, new Date('2026-12-01T10:00:00Z'));
		if (!moved.ok) throw new Error(moved.message);
		const newCode = moved.value.code;
		expect(await abandonFiche(db, admin, '8-1')).toEqual({ ok: true });
		const before = await counts();
		const message = `La fiche 11-1 est devenue ${newCode} (rattachée à un autre objectif). La fiche 8-1 est abandonnée : elle ne s’inscrit plus à l’ordre du jour. La fiche 1-1 est déjà à l’ordre du jour. La fiche 99-9 n’existe pas. Aucune fiche n’a été ajoutée.`;
		expect(
			await addAgendaFiches(db, member, id, ['11-1', '13-1', '8-1', '1-1', '99-9'], null)
		).toEqual({
			ok: false,
			status: 409,
			message,
			fieldErrors: { codes: message },
			// Ticked again for the next sending: the moved fiche under its new code, and 13-1.
			ticked: [newCode, '13-1']
		});
		expect(await counts()).toEqual(before);
		expect(await addAgendaFiches(db, member, id, ['1-1'], null)).toMatchObject({
			status: 409,
			message: 'La fiche 1-1 est déjà à l’ordre du jour.'
		});
	});

	it('adds a fiche named many times once, with one parameter', async () => {
		const id = await newSitting('2026-12-10');
		const codes = Array.from({ length: 40_000 }, () => '1-1');
		expect(await addAgendaFiches(db, member, id, codes, null)).toEqual({
			ok: true,
			value: { added: 1 }
		});
	});
});

/** The closing refused because the decisions changed since its page was read. */
const CLOSING_CHANGED_REFUSAL = {
	ok: false,
	status: 409,
	message: CLOSING_CHANGED_MESSAGE,
	reason: 'closing-changed'
};

describe('holding and closing', () => {
	it('neither before the sitting’s day (Paris), from which its decisions take effect', async () => {
		const id = await newSitting('2026-12-10');
		// 9 December, 23:30 in Paris: still the day before.
		const early = await changeSittingState(
			db,
			member,
			id,
			'held',
			null,
			new Date('2026-12-09T22:30:00Z')
		);
		expect(early).toEqual({
			ok: false,
			status: 409,
			message:
				'La séance est datée du 10\u00a0décembre\u00a02026 : elle ne peut être tenue qu’à partir de ce jour.'
		});
		expect((await findSitting(db, id))!.state).toBe('preparation');
		const onTheDay = new Date('2026-12-09T23:30:00Z');
		expect(await changeSittingState(db, member, id, 'held', null, onTheDay)).toEqual({ ok: true });
	});

	// Walkthrough s49: convened for 23 h 30, opened, decided and closed at 9 h 40 the same day,
	// the relevé mailed before the meeting.
	it('neither more than an hour before its announced time, the same day', async () => {
		const id = await preparedSitting(db, member, { heldOn: '2026-12-10', startsAt: '23:30' });
		// 10 December, 9 h 40 and 22 h 29 in Paris (UTC+1).
		const morning = new Date('2026-12-10T08:40:00Z');
		const refusal = {
			ok: false,
			status: 409,
			message:
				'La séance est annoncée le 10\u00a0décembre\u00a02026 à 23\u00a0h\u00a030 : elle ne peut être tenue qu’à partir de 22\u00a0h\u00a030 ce jour-là, 1\u00a0heure avant son début. Réunie plus tôt, corrigez d’abord son heure (« Corriger la date, l’heure, le lieu ou l’intitulé »).'
		};
		expect(await changeSittingState(db, member, id, 'held', null, morning)).toEqual(refusal);
		const justBefore = new Date('2026-12-10T21:29:00Z');
		expect(await changeSittingState(db, member, id, 'held', null, justBefore)).toEqual(refusal);
		expect((await findSitting(db, id))!.state).toBe('preparation');
		const hourBefore = new Date('2026-12-10T21:30:00Z');
		expect(await changeSittingState(db, member, id, 'held', null, hourBefore)).toEqual({
			ok: true
		});
	});

	it('applies exactly the decisions the confirmation page listed, or refuses', async () => {
		const { id, itemId } = await heldSittingWith('4-1');
		const second = await addAgendaFiches(db, member, id, ['14-1'], null);
		expect(second).toMatchObject({ ok: true });
		const items = (await findSitting(db, id))!.items;
		const decide = (item: number, newPriority: 1 | 2) =>
			recordDecision(db, member, id, item, { kind: 'priority', newPriority, text: 'Motif.' }, null);
		await decide(itemId, 1);
		const shown = (await findSitting(db, id))!.items.flatMap((i) => i.decisions.map((d) => d.id));
		// Another tab records a decision on 14-1 after the confirmation page was read.
		await decide(items[1]!.id, 2);
		expect(await changeSittingState(db, member, id, 'closed', null, new Date(), shown)).toEqual(
			CLOSING_CHANGED_REFUSAL
		);
		expect((await findSitting(db, id))!.state).toBe('held');
		expect((await findFicheByCode(db, '14-1'))!.priority).toBe(1);
		// Read again: both are listed, and closing applies both.
		const reread = (await findSitting(db, id))!.items.flatMap((i) => i.decisions.map((d) => d.id));
		expect(await changeSittingState(db, member, id, 'closed', null, new Date(), reread)).toEqual({
			ok: true
		});
		expect((await findFicheByCode(db, '4-1'))!.priority).toBe(1);
		expect((await findFicheByCode(db, '14-1'))!.priority).toBe(2);
	});

	it('refuses to close on a decision another sitting made moot, until it is taken back', async () => {
		const june15 = await heldSittingWith('4-1');
		const june1 = await heldSittingWith('4-1', '2026-06-01');
		const raise = (sitting: { id: number; itemId: number }) => decidePriority(sitting, 1);
		expect(await raise(june15)).toEqual({ ok: true });
		expect(await raise(june1)).toEqual({ ok: true });
		expect(await changeSittingState(db, member, june15.id, 'closed', null)).toEqual({ ok: true });
		// 4-1 is at 1 since 15 June: the decision of 1 June (« 2 → 1 ») has no object left.
		const conflicts = await listPriorityConflicts(db, june1.id, {
			heldOn: '2026-06-01',
			startsAt: null
		});
		expect(conflicts.map((c) => c.code)).toEqual(['4-1']);
		const refused = await changeSittingState(db, member, june1.id, 'closed', null);
		expect(refused).toMatchObject({ ok: false, status: 409 });
		expect(!refused.ok && refused.message).toContain(
			'La priorité de la fiche 4-1 a été décidée en séance du 15\u00a0juin\u00a02026'
		);
		expect(!refused.ok && refused.message).toContain('Retirez cette décision');
		expect((await findSitting(db, june1.id))!.state).toBe('held');
		const fiche = (await findFicheByCode(db, '4-1'))!;
		expect((await listPriorityHistory(db, fiche.id)).map((s) => [s.priority, s.since])).toEqual([
			[2, '2018-07-19'],
			[1, '2026-06-15']
		]);
		// Nor can a new priority decision be recorded there now.
		const decision = (await findSitting(db, june1.id))!.items[0]!.decisions[0]!;
		expect(await removeDecision(db, member, june1.id, decision.id, null)).toEqual({ ok: true });
		const lower = await decidePriority(june1, 2);
		expect(!lower.ok && lower.message).toContain(
			'après la date de cette séance (1er\u00a0juin\u00a02026)'
		);
		expect(await changeSittingState(db, member, june1.id, 'closed', null)).toEqual({ ok: true });
		expect((await findFicheByCode(db, '4-1'))!.priority).toBe(1);
	});

	it('refuses to close on a decision whose fiche changed priority in the plan meanwhile', async () => {
		const sitting = await heldSittingWith('4-1');
		await decidePriority(sitting, 1);
		await db.updateTable('fiche').set({ priority: 1 }).where('code', '=', '4-1').execute();
		const refused = await changeSittingState(db, member, sitting.id, 'closed', null);
		expect(!refused.ok && refused.message).toContain(
			'La décision « priorité 2 → 1 » sur la fiche 4-1 a été enregistrée quand la fiche était en priorité 2 ; elle est maintenant en priorité 1.'
		);
		const audits = await db
			.selectFrom('audit_event')
			.select('action')
			.where('action', '=', 'priority.changed')
			.execute();
		expect(audits).toHaveLength(0);
	});
});

// Review (brief of 2026-12-07): a decision, an agenda point or an attendee removed gave its number
// to the next one recorded, and a page read before acted on that one.
describe('a page read before a removal (numbers never given twice)', () => {
	it('refuses the closing when the decision shown was removed and another recorded since', async () => {
		const { id } = await heldSittingWith('11-1');
		expect(await addAgendaFiches(db, member, id, ['12-1'], null)).toMatchObject({ ok: true });
		const [eleven, twelve] = (await findSitting(db, id))!.items;
		const opinion = { kind: 'opinion' as const, opinion: 'favorable' as const, text: 'Avis.' };
		expect(await recordDecision(db, member, id, eleven!.id, opinion, null)).toEqual({ ok: true });
		const decisionIds = async () =>
			(await findSitting(db, id))!.items.flatMap((i) => i.decisions.map((d) => d.id));
		// Member A reads the closing page: the avis only.
		const shown = await decisionIds();
		// Admin B takes the avis back, then records a priority change on 12-1.
		expect(await removeDecision(db, member, id, shown[0]!, null)).toEqual({ ok: true });
		const before = (await findFicheByCode(db, '12-1'))!.priority;
		const priority = {
			kind: 'priority' as const,
			newPriority: before === 1 ? (2 as const) : (1 as const),
			text: 'Motif.'
		};
		expect(await recordDecision(db, member, id, twelve!.id, priority, null)).toEqual({ ok: true });
		expect(await decisionIds()).not.toEqual(shown);
		expect(await changeSittingState(db, member, id, 'closed', null, new Date(), shown)).toEqual(
			CLOSING_CHANGED_REFUSAL
		);
		expect((await findSitting(db, id))!.state).toBe('held');
		expect((await findFicheByCode(db, '12-1'))!.priority).toBe(before);
	});

	it('refuses a decision form of a point removed, instead of writing it on the point added since', async () => {
		const { id } = await heldSittingWith('15-1');
		const [fifteen] = (await findSitting(db, id))!.items;
		expect(await removeAgendaItem(db, member, id, fifteen!.id, null)).toEqual({ ok: true });
		expect(await addAgendaFiches(db, member, id, ['16-1'], null)).toMatchObject({ ok: true });
		const [sixteen] = (await findSitting(db, id))!.items;
		expect(sixteen!.id).not.toBe(fifteen!.id);
		const opinion = { kind: 'opinion' as const, opinion: 'favorable' as const, text: 'Avis.' };
		expect(await recordDecision(db, member, id, fifteen!.id, opinion, null)).toEqual({
			ok: false,
			status: 404,
			message: DECISION_ITEM_GONE_MESSAGE
		});
		expect(sixteen!.decisions).toEqual([]);
		expect((await findSitting(db, id))!.items[0]!.decisions).toEqual([]);
		// Removed again from that stale page: refused the same way.
		expect(await removeAgendaItem(db, member, id, fifteen!.id, null)).toEqual({
			ok: false,
			status: 404,
			message: AGENDA_ITEM_GONE_MESSAGE
		});
	});

	it('refuses to remove an attendee removed, instead of the one added since', async () => {
		const id = await newSitting('2026-06-15');
		const guestIds = async () =>
			(await findSitting(db, id))!.attendees.map(({ id, name }) => ({ id, name }));
		expect(await addAttendee(db, member, id, { guestName: 'Alice Martin' }, null)).toEqual({
			ok: true
		});
		const [alice] = await guestIds();
		expect(await removeAttendee(db, member, id, alice!.id, null)).toEqual({ ok: true });
		expect(await addAttendee(db, member, id, { guestName: 'Bob Durand' }, null)).toEqual({
			ok: true
		});
		const [bob] = await guestIds();
		expect(bob!.id).not.toBe(alice!.id);
		expect(await removeAttendee(db, member, id, alice!.id, null)).toEqual({
			ok: false,
			status: 404,
			message: ATTENDEE_GONE_MESSAGE
		});
		expect(await guestIds()).toEqual([bob]);
	});
});

describe('the comparison of priorities (/commission/priorites)', () => {
	it('counts the decisions of a priority changed and changed back (review s40)', async () => {
		const june = await heldSittingWith('4-1');
		expect(await decidePriority(june, 1)).toEqual({ ok: true });
		expect(await changeSittingState(db, member, june.id, 'closed', null)).toEqual({ ok: true });
		const july = await heldSittingWith('4-1', '2026-07-01');
		expect(await decidePriority(july, 2)).toEqual({ ok: true });
		// Not closed yet: its decision does not count.
		const before = (await listPriorityComparison(db)).find((f) => f.code === '4-1');
		expect(before).toMatchObject({ moved: true, decisions: 1 });
		expect(await changeSittingState(db, member, july.id, 'closed', null)).toEqual({ ok: true });
		const after = (await listPriorityComparison(db)).find((f) => f.code === '4-1');
		expect(after).toMatchObject({ adopted: 2, current: 2, moved: false, decisions: 2 });
		expect((await listPriorityComparison(db)).find((f) => f.code === '5-1')!.decisions).toBe(0);
	});
});

describe('an abandoned fiche', () => {
	it('gets no priority decision, nor a proposal for the agenda (review s40)', async () => {
		const admin = await createTestUser(db, PEOPLE.admin);
		const sitting = await heldSittingWith('7-3', '2026-03-01');
		expect(await abandonFiche(db, admin, '7-3')).toEqual({ ok: true });
		const raised = await decidePriority(sitting, 1);
		expect(raised).toMatchObject({ ok: false, status: 409 });
		expect(!raised.ok && raised.message).toBe(
			'La fiche 7-3 est abandonnée : sa priorité ne change plus (un avis ou une décision libre s’enregistrent encore).'
		);
		// An opinion on it is still recorded (« prise d’acte » of the abandonment).
		const noted = await recordDecision(
			db,
			member,
			sitting.id,
			sitting.itemId,
			{ kind: 'free', text: 'La commission prend acte de l’abandon.' },
			null
		);
		expect(noted).toEqual({ ok: true });
		// The agenda's proposals leave it out; its preparation file still reads its flags.
		expect((await listFicheFlags(db, '2026-03-01')).map((f) => f.code)).not.toContain('7-3');
		expect(await listFicheFlags(db, '2026-03-01', '7-3')).toMatchObject([{ code: '7-3' }]);
	});

	it('abandoned after a priority decision was recorded: the séance does not close on it', async () => {
		const admin = await createTestUser(db, PEOPLE.admin);
		const sitting = await heldSittingWith('7-3', '2026-03-01');
		expect(await decidePriority(sitting, 1)).toEqual({ ok: true });
		expect(await abandonFiche(db, admin, '7-3')).toEqual({ ok: true });
		const conflicts = await listPriorityConflicts(db, sitting.id, {
			heldOn: '2026-03-01',
			startsAt: null
		});
		expect(conflicts.map((c) => c.message)).toEqual([
			'La décision « priorité 2 → 1 » sur la fiche 7-3 ne peut pas prendre effet : la fiche a été abandonnée depuis, et la priorité d’une fiche abandonnée ne change plus.'
		]);
		const closed = await changeSittingState(db, member, sitting.id, 'closed', null);
		expect(closed).toMatchObject({ ok: false, status: 409 });
		expect((await findFicheByCode(db, '7-3'))!.priority).toBe(2);
	});
});

describe('two séances of one day', () => {
	/** A séance of 1 March 2026 at `startsAt` (null: no hour given), held, with 4-1 on its agenda. */
	async function sittingAt(startsAt: string | null) {
		const title = `Séance de ${startsAt ?? 'la journée'}`;
		const held = await heldSitting(db, member, { heldOn: '2026-03-01', startsAt, title });
		return { id: held.sittingId, itemId: held.itemId };
	}

	it('are ordered by their hour: the morning one, closed last, does not undo the evening one (review s40)', async () => {
		const morning = await sittingAt('09:00');
		const evening = await sittingAt('20:00');
		expect(await decidePriority(evening, 1)).toEqual({ ok: true });
		expect(await changeSittingState(db, member, evening.id, 'closed', null)).toEqual({ ok: true });
		// The 09:00 séance cannot have seen the priority the 20:00 one gave.
		const late = await decidePriority(morning, 2);
		expect(late).toEqual({
			ok: false,
			status: 409,
			message:
				'La priorité de la fiche 4-1 a été décidée en séance du 1er\u00a0mars\u00a02026 à 20\u00a0h, plus tard que cette séance (1er\u00a0mars\u00a02026 à 9\u00a0h) : une décision de cette séance ne peut plus la changer.'
		});
		expect((await findFicheByCode(db, '4-1'))!.priority).toBe(1);
		// A séance whose hour was not given counts as the first of its day, and is told so.
		const untimed = await sittingAt(null);
		const refused = await decidePriority(untimed, 2);
		expect(!refused.ok && refused.message).toContain(
			'plus tard que cette séance (1er\u00a0mars\u00a02026, dont l’heure n’est pas dite : elle compte comme la première de son jour)'
		);
	});

	it('closed before the evening decided: its decision is a conflict at closing', async () => {
		const morning = await sittingAt('09:00');
		const evening = await sittingAt('20:00');
		expect(await decidePriority(morning, 1)).toEqual({ ok: true });
		expect(await decidePriority(evening, 1)).toEqual({ ok: true });
		expect(await changeSittingState(db, member, evening.id, 'closed', null)).toEqual({ ok: true });
		const conflicts = await listPriorityConflicts(db, morning.id, {
			heldOn: '2026-03-01',
			startsAt: '09:00'
		});
		expect(conflicts.map((c) => c.message)).toEqual([
			'La priorité de la fiche 4-1 a été décidée en séance du 1er\u00a0mars\u00a02026 à 20\u00a0h, plus tard que cette séance (1er\u00a0mars\u00a02026 à 9\u00a0h) : une décision de cette séance ne peut plus la changer.'
		]);
	});

	it('publish their decisions in their hours’ order, whatever order they were created in', async () => {
		// The evening séance was created first (a lower number) and closed last.
		const evening = await sittingAt('20:00');
		const morning = await sittingAt('09:00');
		// Noted in the evening before the morning séance decides (a lower number too).
		const note = { kind: 'free' as const, text: 'Point fait le soir.' };
		expect(await recordDecision(db, member, evening.id, evening.itemId, note, null)).toEqual({
			ok: true
		});
		expect(await decidePriority(morning, 1)).toEqual({ ok: true });
		expect(await changeSittingState(db, member, morning.id, 'closed', null)).toEqual({ ok: true });
		expect(await decidePriority(evening, 2)).toEqual({ ok: true });
		expect(await changeSittingState(db, member, evening.id, 'closed', null)).toEqual({ ok: true });
		const chain = (await listClosedDecisions(db))
			.filter((d) => d.fiche === '4-1' && d.kind === 'priority')
			.map((d) => [d.previousPriority, d.newPriority]);
		// The morning's 2 → 1, then the evening's 1 → 2.
		expect(chain).toEqual([
			[2, 1],
			[1, 2]
		]);
		const fiche = (await findFicheByCode(db, '4-1'))!;
		expect(fiche.priority).toBe(2);
		// With their hours, which tell the two séances of one day apart on the fiche's page.
		expect(
			(await listPriorityHistory(db, fiche.id)).map((s) => [s.sittingId, s.sittingStartsAt])
		).toEqual([
			[null, null],
			[morning.id, '09:00'],
			[evening.id, '20:00']
		]);
		expect(
			(await listFicheDecisions(db, fiche.id)).map((d) => [d.sittingId, d.sittingStartsAt])
		).toEqual([
			[morning.id, '09:00'],
			[evening.id, '20:00'],
			[evening.id, '20:00']
		]);
	});
});

describe('corrections before closing', () => {
	it('corrects date, place and title (a held séance never to a day to come), journaled', async () => {
		const { id } = await heldSittingWith('4-1');
		const moved = { heldOn: '2026-06-16', place: 'Figeac', title: 'Séance corrigée' };
		expect(
			await updateSitting(db, member, id, moved, null, null, new Date('2026-07-01T10:00:00Z'))
		).toMatchObject({ ok: true });
		expect(await findSitting(db, id)).toMatchObject(moved);
		const ahead = await updateSitting(
			db,
			member,
			id,
			{ ...moved, heldOn: '2026-07-02' },
			null,
			null,
			new Date('2026-07-01T10:00:00Z')
		);
		expect(ahead).toMatchObject({
			ok: false,
			status: 400,
			fieldErrors: {
				held_on: 'La séance est déjà tenue : sa date ne peut pas être un jour à venir.'
			}
		});
		await changeSittingState(db, member, id, 'closed', null);
		expect(await updateSitting(db, member, id, moved, null)).toMatchObject({
			ok: false,
			status: 409
		});
		const journal = await db
			.selectFrom('audit_event')
			.select(['action', 'before_state', 'after_state'])
			.where('action', '=', 'session.updated')
			.execute();
		expect(journal).toHaveLength(1);
		expect(JSON.parse(journal[0]!.before_state!)).toMatchObject({
			heldOn: '2026-06-15',
			place: 'Cahors'
		});
	});

	it('refuses a séance dated on or before the plan’s adoption (19 July 2018)', async () => {
		const message =
			'La séance doit être postérieure à l’adoption du schéma, le 19\u00a0juillet\u00a02018.';
		for (const heldOn of ['2018-03-01', '2018-07-19'])
			expect(
				await createSitting(db, member, { heldOn, place: 'Cahors', title: 'Trop tôt' }, null)
			).toMatchObject({ ok: false, status: 400, fieldErrors: { held_on: message } });
		const { id } = await heldSittingWith('1-2');
		expect(
			await updateSitting(
				db,
				member,
				id,
				{ heldOn: '2018-03-01', place: 'Cahors', title: 'Commission des usages numériques' },
				null
			)
		).toMatchObject({ ok: false, status: 400, fieldErrors: { held_on: message } });
		expect(await findSitting(db, id)).toMatchObject({ heldOn: '2026-06-15' });
		expect(
			await createSitting(
				db,
				member,
				{ heldOn: '2018-07-20', place: 'Cahors', title: 'Le lendemain' },
				null
			)
		).toMatchObject({ ok: true });
	});

	it('refuses a séance dated over a year ahead (a mistyped year)', async () => {
		const now = new Date('2026-12-03T10:00:00Z');
		expect(await sittingDayProblems(db, '2027-12-04', null, now)).toEqual({});
		expect(await sittingDayProblems(db, '2099-03-01', null, now)).toEqual({
			held_on:
				'Une séance se prévoit au plus un an à l’avance, au plus tard le 4\u00a0décembre\u00a02027 : vérifiez l’année.'
		});
	});

	it('tells a form refused for other fields what the day’s rules say of its date too', async () => {
		const { id } = await heldSittingWith('4-1');
		const july = new Date('2026-07-01T10:00:00Z');
		expect(await sittingDayProblems(db, '2018-07-19', null, july)).toEqual({
			held_on:
				'La séance doit être postérieure à l’adoption du schéma, le 19\u00a0juillet\u00a02018.'
		});
		expect(await sittingDayProblems(db, '2026-07-02', id, july)).toEqual({
			held_on: 'La séance est déjà tenue : sa date ne peut pas être un jour à venir.'
		});
		// A séance in preparation may be dated ahead; an unreadable date is the schema's to tell.
		expect(await sittingDayProblems(db, '2026-07-02', null, july)).toEqual({});
		expect(await sittingDayProblems(db, '2026-06-14', id, july)).toEqual({});
		expect(await sittingDayProblems(db, '02/07/2026', id, july)).toEqual({});
	});

	// Review #14: a séance held today given « 23:59 » could no longer be closed (« qu’à partir de
	// 22 h 59 »): its correction is refused by the rule that lets it be closed.
	it('never gives a held séance an hour that would keep it from being closed', async () => {
		const { id } = await heldSittingWith('4-1');
		// 1 July 2026, 12 h in Paris.
		const noon = new Date('2026-07-01T10:00:00Z');
		const today = { heldOn: '2026-07-01', place: 'Cahors', title: 'Commission' };
		const message =
			'La séance est déjà tenue : annoncée à 23\u00a0h\u00a059, elle ne pourrait être close qu’à partir de 22\u00a0h\u00a059, 1\u00a0heure avant son début. Indiquez l’heure à laquelle elle a commencé.';
		expect(
			await updateSitting(db, member, id, { ...today, startsAt: '23:59' }, null, null, noon)
		).toMatchObject({ ok: false, status: 400, fieldErrors: { starts_at: message } });
		expect(await sittingDayProblems(db, '2026-07-01', id, noon, '23:59')).toEqual({
			starts_at: message
		});
		// An hour it may be held at (12 h 30 from 11 h 30): saved, and the séance closes.
		expect(
			await updateSitting(db, member, id, { ...today, startsAt: '12:30' }, null, null, noon)
		).toMatchObject({ ok: true });
		expect(await changeSittingState(db, member, id, 'closed', null, noon)).toEqual({ ok: true });
	});

	// Review h43: a correction was compared with the values before it, not with the convocation.
	it('says what of a convened séance differs from what its convocation announced', async () => {
		const { id } = await heldSittingWith('4-1');
		const shown = {
			heldOn: '2026-06-15',
			startsAt: null,
			place: 'Cahors',
			title: 'Commission des usages numériques'
		};
		await db
			.updateTable('commission_session')
			.set({ convened_at: 1_780_000_000_000, convened_as: JSON.stringify(shown) })
			.execute();
		const changed = async (details: typeof shown) => {
			const result = await updateSitting(db, member, id, details, null);
			if (!result.ok) throw new Error(result.message);
			return result.value.sinceConvened && result.value.sinceConvened.facts;
		};
		// Its title alone: told too (the next convocation says it).
		expect(await changed({ ...shown, title: 'Séance de juin' })).toEqual(['title']);
		expect(await changed({ ...shown, title: 'Séance de juin', place: 'Figeac' })).toEqual([
			'place',
			'title'
		]);
		// Back to what the convocation announced: nothing to send again.
		expect(await changed({ ...shown, title: 'Séance de juin' })).toEqual(['title']);
		expect(await changed(shown)).toEqual([]);
	});

	// Review s43, diff: a séance convened before convened_as was recorded (2026-12-10) then moved
	// no longer asked to be convened again, on its page nor in the correction's answer.
	it('takes what a séance convened before 2026-12-10 held for what its convocation announced', async () => {
		const { id } = await heldSittingWith('4-1');
		await db
			.updateTable('commission_session')
			.set({ convened_at: 1_780_000_000_000, convened_as: null })
			.where('id', '=', id)
			.execute();
		const sitting = (await findSittingForNotice(db, id))!;
		const held = {
			heldOn: sitting.heldOn,
			startsAt: sitting.startsAt,
			place: sitting.place,
			title: sitting.title
		};
		expect(held.place).not.toBe('Figeac');
		const moved = await updateSitting(db, member, id, { ...held, place: 'Figeac' }, null);
		expect(moved.ok && moved.value.sinceConvened?.facts).toEqual(['place']);
		// Lastingly: the page's reading says it too, and moving back clears it.
		expect((await changedSinceConvened(db, id))?.facts).toEqual(['place']);
		const back = await updateSitting(db, member, id, held, null);
		expect(back.ok && back.value.sinceConvened?.facts).toEqual([]);
	});

	it('after such a refusal, gives back the typing with the others’ correction in untouched fields', async () => {
		const { id } = await heldSittingWith('4-1');
		const shown = {
			heldOn: '2026-06-15',
			place: 'Cahors',
			title: 'Commission des usages numériques'
		};
		expect(await updateSitting(db, member, id, { ...shown, place: 'Figeac' }, null, shown)).toEqual(
			{ ok: true, value: { sinceConvened: null } }
		);
		// The other member changed only the title, on the form drawn before.
		const typed = {
			held_on: '2026-06-15',
			starts_at: '',
			place: 'Cahors',
			title: 'Séance de juin'
		};
		expect(await rebaseSittingTyping(db, id, typed, shown)).toEqual({
			...typed,
			place: 'Figeac'
		});
		// Typed over the same field: the typing stays (saving again replaces knowingly).
		expect(await rebaseSittingTyping(db, id, { ...typed, place: 'Gourdon' }, shown)).toEqual({
			...typed,
			place: 'Gourdon'
		});
	});

	it('does not overwrite unseen a correction made meanwhile by someone else', async () => {
		const { id } = await heldSittingWith('4-1');
		const shown = {
			heldOn: '2026-06-15',
			place: 'Cahors',
			title: 'Commission des usages numériques'
		};
		const first = { ...shown, place: 'Gourdon — salle des fêtes' };
		expect(await updateSitting(db, member, id, first, null, shown)).toMatchObject({ ok: true });
		const second = await updateSitting(
			db,
			member,
			id,
			{ ...shown, place: 'Gourdon — mairie' },
			null,
			shown
		);
		expect(second).toMatchObject({ ok: false, status: 409 });
		expect(!second.ok && second.message).toContain('lieu : Gourdon — salle des fêtes');
		expect(await findSitting(db, id)).toMatchObject({ place: 'Gourdon — salle des fêtes' });
		// Saved again from the form as it is now drawn: the second correction replaces the first.
		expect(
			await updateSitting(db, member, id, { ...shown, place: 'Gourdon — mairie' }, null, first)
		).toMatchObject({ ok: true });
		expect(await findSitting(db, id)).toMatchObject({ place: 'Gourdon — mairie' });
		// A title on two lines comes back from the browser with CRLF: not a correction by others.
		const twoLines = { ...shown, place: 'Gourdon — mairie', title: 'Séance\nde printemps' };
		expect(
			await updateSitting(db, member, id, twoLines, null, { ...shown, place: 'Gourdon — mairie' })
		).toMatchObject({ ok: true });
		// (Saved unchanged: not a conflict, nothing written nor journaled.)
		expect(
			await updateSitting(db, member, id, twoLines, null, {
				...twoLines,
				title: 'Séance\r\nde printemps'
			})
		).toEqual({
			ok: false,
			status: 400,
			message: 'Rien n’a changé : la date, l’heure, le lieu et l’intitulé sont déjà ceux-là.'
		});

		// A time given meanwhile is a correction too, said in the refusal.
		const timed = { ...twoLines, startsAt: '14:30' };
		expect(await updateSitting(db, member, id, timed, null, twoLines)).toMatchObject({ ok: true });
		const untimed = await updateSitting(
			db,
			member,
			id,
			{ ...twoLines, place: 'Figeac' },
			null,
			twoLines
		);
		expect(untimed).toMatchObject({ ok: false, status: 409 });
		expect(!untimed.ok && untimed.message).toContain(
			'le 15\u00a0juin\u00a02026 à 14\u00a0h\u00a030'
		);
		expect(await findSitting(db, id)).toMatchObject({
			startsAt: '14:30',
			place: 'Gourdon — mairie'
		});
	});

	it('takes a decision back while the séance is held: it never takes effect', async () => {
		const { id, itemId } = await heldSittingWith('4-1');
		await recordDecision(
			db,
			member,
			id,
			itemId,
			{ kind: 'priority', newPriority: 1, text: 'Sur le mauvais point.' },
			null
		);
		const [decision] = (await findSitting(db, id))!.items[0]!.decisions;
		expect(await removeDecision(db, member, id, decision!.id, null)).toEqual({ ok: true });
		expect(await removeDecision(db, member, id, decision!.id, null)).toMatchObject({
			ok: false,
			status: 404
		});
		expect((await findSitting(db, id))!.items[0]!.decisions).toEqual([]);
		await changeSittingState(db, member, id, 'closed', null, new Date(), []);
		expect((await findFicheByCode(db, '4-1'))!.priority).toBe(2);
	});
});

describe('a form sent twice', () => {
	it('refuses the same séance (day, place and title) a second time', async () => {
		const details = { heldOn: '2026-06-15', place: 'Cahors', title: 'Séance de juin' };
		expect(await createSitting(db, member, details, null)).toMatchObject({ ok: true });
		expect(
			await createSitting(
				db,
				member,
				{ ...details, place: ' CAHORS', title: 'séance de Juin.' },
				null
			)
		).toMatchObject({
			ok: false,
			status: 409,
			message:
				'La séance « Séance de juin » du 15\u00a0juin\u00a02026 (sans heure), à Cahors, existe déjà : elle figure dans la liste des séances.'
		});
		// Another place, or the afternoon's séance under another title, is another séance.
		expect(await createSitting(db, member, { ...details, place: 'Figeac' }, null)).toMatchObject({
			ok: true
		});
		expect(
			await createSitting(db, member, { ...details, title: 'Séance de l’après-midi' }, null)
		).toMatchObject({ ok: true });
	});

	// Review s59: the morning's and the afternoon's séances of a day, at the same place under the
	// default title, were refused as one; the message did not name the hour.
	it('tells apart two séances of a day by their hour, and names the hour of the one repeated', async () => {
		const morning = {
			heldOn: '2026-06-15',
			startsAt: '09:00',
			place: 'Cahors',
			title: 'Commission'
		};
		expect(await createSitting(db, member, morning, null)).toMatchObject({ ok: true });
		const afternoon = { ...morning, startsAt: '14:00' };
		expect(await createSitting(db, member, afternoon, null)).toMatchObject({ ok: true });
		expect(await createSitting(db, member, { ...afternoon, title: 'commission' }, null)).toEqual({
			ok: false,
			status: 409,
			message:
				'La séance « Commission » du 15\u00a0juin\u00a02026 à 14\u00a0h, à Cahors, existe déjà : elle figure dans la liste des séances.'
		});
		// Without an hour, it is a third séance of the day.
		expect(
			await createSitting(db, member, { ...morning, startsAt: undefined }, null)
		).toMatchObject({ ok: true });
	});

	// Review s59: a correction made a séance the exact copy of another, which creating it refused.
	it('refuses the correction that would make a séance the same as another one', async () => {
		const leap = { heldOn: '2024-02-29', startsAt: '14:00', place: 'Cahors', title: 'Bissextile' };
		const created = await createSitting(db, member, leap, null);
		if (!created.ok) throw new Error(created.message);
		const other = await newSitting('2026-06-15');
		const shown = (await findSitting(db, other))!;
		expect(await updateSitting(db, member, other, { ...leap, place: 'cahors ' }, null)).toEqual({
			ok: false,
			status: 409,
			message:
				'La séance « Bissextile » du 29\u00a0février\u00a02024 à 14\u00a0h, à Cahors, existe déjà : deux séances ne peuvent avoir le même jour, la même heure, le même lieu et le même intitulé. Changez l’un d’eux, ou supprimez la séance en trop.'
		});
		expect(await findSitting(db, other)).toMatchObject({
			heldOn: shown.heldOn,
			startsAt: shown.startsAt,
			title: shown.title
		});
		// Another hour is another séance; the séance corrected is not its own copy.
		expect(
			await updateSitting(db, member, other, { ...leap, startsAt: '09:00' }, null)
		).toMatchObject({ ok: true });
		expect(
			await updateSitting(db, member, created.value.id, { ...leap, title: 'bissextile' }, null)
		).toMatchObject({ ok: true });
	});

	it('refuses as present a disabled account, which the list does not offer (security probe)', async () => {
		const sitting = await heldSittingWith('4-1');
		const { id: gone } = await createTestUser(db, {
			email: 'ancien@commission.fr',
			name: 'Ancien Membre',
			role: 'commission',
			password: null,
			disabledAt: '2026-06-01T00:00:00.000Z'
		});
		expect(await addAttendee(db, member, sitting.id, { userId: gone }, null)).toMatchObject({
			ok: false,
			status: 400
		});
		expect(await findSitting(db, sitting.id)).toMatchObject({ attendees: [] });
	});

	it('refuses the same guest or free point a second time, and records the same decision once', async () => {
		const sitting = await heldSittingWith('4-1');
		expect(await addAttendee(db, member, sitting.id, { guestName: 'Marie Curie' }, null)).toEqual({
			ok: true
		});
		expect(
			await addAttendee(db, member, sitting.id, { guestName: ' marie  CURIÉ ' }, null)
		).toMatchObject({
			ok: false,
			status: 409,
			message: 'Marie Curie figure déjà parmi les présents.'
		});
		expect(await addAgendaFreeItem(db, member, sitting.id, 'Questions diverses', null)).toEqual({
			ok: true
		});
		expect(
			await addAgendaFreeItem(db, member, sitting.id, 'Questions  diverses.', null)
		).toMatchObject({ ok: false, status: 409 });
		const opinion = {
			kind: 'opinion' as const,
			opinion: 'favorable' as const,
			text: 'Avis identique.'
		};
		expect(await recordDecision(db, member, sitting.id, sitting.itemId, opinion, null)).toEqual({
			ok: true
		});
		// Sent again (a reload, or a post the browser repeats when its answer was lost): answered as
		// the first time, recorded once, journaled once.
		const current = (await findFicheByCode(db, '4-1'))!.priority;
		const priority = {
			kind: 'priority' as const,
			newPriority: current === 1 ? (2 as const) : (1 as const),
			text: 'Changée.'
		};
		expect(await recordDecision(db, member, sitting.id, sitting.itemId, priority, null)).toEqual({
			ok: true
		});
		for (const again of [opinion, priority])
			expect(await recordDecision(db, member, sitting.id, sitting.itemId, again, null)).toEqual({
				ok: true
			});
		const decisionsOnItem = async () =>
			(await findSitting(db, sitting.id))!.items.find((i) => i.id === sitting.itemId)!.decisions;
		expect(await decisionsOnItem()).toHaveLength(2);
		expect(
			await db
				.selectFrom('audit_event')
				.select('id')
				.where('action', '=', 'decision.recorded')
				.execute()
		).toHaveLength(2);
		// Another priority decision on the point is still refused.
		expect(
			await recordDecision(
				db,
				member,
				sitting.id,
				sitting.itemId,
				{ ...priority, text: 'Autre.' },
				null
			)
		).toMatchObject({ ok: false, status: 409 });
		// Another opinion, or another text, on the same point is a decision of its own.
		for (const other of [
			{ ...opinion, opinion: 'reserve' as const },
			{ ...opinion, text: 'Avis complété.' },
			{ kind: 'free' as const, text: 'Avis identique.' }
		])
			expect(await recordDecision(db, member, sitting.id, sitting.itemId, other, null)).toEqual({
				ok: true
			});
		expect(await decisionsOnItem()).toHaveLength(5);
		const stored = await findSitting(db, sitting.id);
		expect(stored!.attendees).toHaveLength(1);
		// A member marked present is no longer offered.
		expect((await listAttendeeCandidates(db, sitting.id)).map((c) => c.id)).toContain(member.id);
		await addAttendee(db, member, sitting.id, { userId: member.id }, null);
		expect((await listAttendeeCandidates(db, sitting.id)).map((c) => c.id)).not.toContain(
			member.id
		);
		// Members first, then guests, though the guest was added first.
		expect((await findSitting(db, sitting.id))!.attendees).toEqual([
			expect.objectContaining({ name: member.name, guest: false }),
			expect.objectContaining({ name: 'Marie Curie', guest: true })
		]);
	});

	it('never lists one person twice, once as a member and once as a guest', async () => {
		const sitting = await heldSittingWith('4-1');
		await addAttendee(db, member, sitting.id, { userId: member.id }, null);
		expect(
			await addAttendee(db, member, sitting.id, { guestName: 'claude  COMMISSION' }, null)
		).toMatchObject({
			ok: false,
			status: 409,
			message: 'Claude Commission figure déjà parmi les présents.'
		});
		const other = await heldSittingWith('4-1', '2026-06-16');
		await addAttendee(db, member, other.id, { guestName: 'Claude Commission' }, null);
		expect(await addAttendee(db, member, other.id, { userId: member.id }, null)).toMatchObject({
			ok: false,
			status: 409,
			message: expect.stringContaining('figure déjà parmi les présents, comme invité')
		});
		expect((await findSitting(db, other.id))!.attendees).toHaveLength(1);
	});
});

describe('a séance created by mistake', () => {
	it('is left out of every reading of séances once deleted', async () => {
		const id = await newSitting('2026-06-15', 'Séance en trop');
		const readings = async () => ({
			list: (await listSittings(db, { closedOnly: false })).map((s) => s.id),
			page: (await findSitting(db, id))?.id,
			sameDay: (await listSittingsAt(db, { heldOn: '2026-06-15', startsAt: null })).map(
				(s) => s.id
			),
			notice: (await findSittingForNotice(db, id))?.id,
			open: await isOpenSitting(db, id),
			campaignChoices: (await listOpenSittings(db)).map((s) => s.id)
		});
		expect(await readings()).toEqual({
			list: expect.arrayContaining([id]),
			page: id,
			sameDay: [id],
			notice: id,
			open: true,
			campaignChoices: expect.arrayContaining([id])
		});
		// Never convened: nobody to tell of its cancellation.
		expect(await deleteSitting(db, member, id, null)).toEqual({
			ok: true,
			value: { convened: false, told: 0 }
		});
		const after = await readings();
		expect(after).toEqual({
			list: expect.not.arrayContaining([id]),
			page: undefined,
			sameDay: [],
			notice: undefined,
			open: false,
			campaignChoices: expect.not.arrayContaining([id])
		});
	});

	it('is deleted with its agenda and attendees while nothing is decided, journaled', async () => {
		const sitting = await heldSittingWith('4-1');
		await addAttendee(db, member, sitting.id, { guestName: 'Marie Curie' }, null);
		const opinion = { kind: 'free' as const, text: 'Une décision.' };
		await recordDecision(db, member, sitting.id, sitting.itemId, opinion, null);
		expect(await deleteSitting(db, member, sitting.id, null)).toMatchObject({
			ok: false,
			status: 409,
			message: expect.stringContaining('Des décisions sont enregistrées')
		});
		const decision = await db
			.selectFrom('decision')
			.select('id')
			.where('session_id', '=', sitting.id)
			.executeTakeFirstOrThrow();
		await removeDecision(db, member, sitting.id, decision.id, null);
		expect(await deleteSitting(db, member, sitting.id, null)).toMatchObject({ ok: true });
		expect(await findSitting(db, sitting.id)).toBeUndefined();
		for (const table of ['agenda_item', 'session_attendee'] as const)
			expect(
				await db.selectFrom(table).select('id').where('session_id', '=', sitting.id).execute()
			).toEqual([]);
		const journal = await db
			.selectFrom('audit_event')
			.select('summary')
			.where('action', '=', 'session.deleted')
			.execute();
		expect(journal.map((j) => j.summary)).toEqual([
			'Séance du 15\u00a0juin\u00a02026 supprimée (Commission des usages numériques, Cahors)'
		]);
		expect(await deleteSitting(db, member, sitting.id, null)).toMatchObject({ status: 404 });
		// Its number is never given again: a tab left open on it cannot write into another séance.
		const next = await createSitting(
			db,
			member,
			{ heldOn: '2026-06-16', place: 'Figeac', title: 'La bonne séance' },
			null
		);
		expect(next.ok && next.value.id).toBeGreaterThan(sitting.id);
		expect(
			await addAttendee(
				db,
				member,
				sitting.id,
				{ guestName: 'Invité pour la séance supprimée' },
				null
			)
		).toMatchObject({
			ok: false,
			status: 404,
			message: expect.stringContaining('a été supprimée')
		});
		expect((await listSittings(db, { closedOnly: false })).map((s) => s.id)).not.toContain(
			sitting.id
		);
	});

	it('is kept when closed or prepared by a running campaign', async () => {
		const closed = await db
			.selectFrom('commission_session')
			.select('id')
			.where('state', '=', 'closed')
			.executeTakeFirstOrThrow();
		expect(await deleteSitting(db, member, closed.id, null)).toMatchObject({ status: 409 });
		const sitting = await heldSittingWith('4-1');
		await db
			.insertInto('campaign')
			.values({
				title: 'Préparer la séance',
				deadline: '2026-06-10',
				session_id: sitting.id,
				reminder_days: '[]',
				created_by: null,
				opened_at: 0
			})
			.execute();
		const today = new Date('2026-06-01T10:00:00Z');
		expect(await deleteSitting(db, member, sitting.id, null, today)).toMatchObject({
			ok: false,
			status: 409,
			message: expect.stringContaining('« Préparer la séance » prépare cette séance')
		});
		// Once that campaign is over, the séance goes, and the campaign keeps the rest.
		await db.updateTable('campaign').set({ closed_at: 1 }).execute();
		expect(await deleteSitting(db, member, sitting.id, null, today)).toMatchObject({ ok: true });
		expect(await db.selectFrom('campaign').select('session_id').execute()).toEqual([
			{ session_id: null }
		]);
	});

	it('with an empty agenda cannot be closed (its relevé would say nothing)', async () => {
		const id = await preparedSitting(db, member, {
			heldOn: '2026-06-15',
			title: 'Vide',
			fiches: []
		});
		await changeSittingState(db, member, id, 'held', null);
		expect(await changeSittingState(db, member, id, 'closed', null)).toMatchObject({
			ok: false,
			status: 409,
			message: expect.stringContaining('L’ordre du jour de cette séance est vide')
		});
	});
});

describe('validation of commission forms', () => {
	it.each([
		[{ kind: 'priority', new_priority: '3', text: 'motif' }, 'Choisissez la nouvelle priorité.'],
		[{ kind: 'priority', new_priority: '', text: 'motif' }, 'Choisissez la nouvelle priorité'],
		[{ kind: '', text: 'motif' }, 'Choisissez le type de décision.'],
		[{ kind: 'priority', new_priority: '1', text: '  ' }, 'Le motif est obligatoire.'],
		[{ kind: 'opinion', opinion: 'enthousiaste', text: 'x' }, 'Choisissez un avis'],
		[{ kind: 'vote', text: 'x' }, 'Choisissez le type de décision.']
	])('refuses %o', (input, message) => {
		const result = DecisionSchema.safeParse(input);
		expect(result.success).toBe(false);
		expect(result.error?.issues[0]?.message).toContain(message);
	});

	// Walkthrough s56 #8: « Choisissez la nouvelle priorité : 1 ou 2. » under a field offering only
	// « Priorité 1 » (the fiche's own is not offered).
	it('names only the priorities the form offered when none was chosen', async () => {
		const sitting = await heldSittingWith('4-1');
		expect(await newPriorityMessage(db, sitting.id, sitting.itemId)).toBe(
			'Choisissez la nouvelle priorité : priorité 1.'
		);
		expect(await newPriorityMessage(db, sitting.id, 999_999)).toBe(
			'Choisissez la nouvelle priorité.'
		);
	});

	it('refuses a priority or an opinion filled for another type (no JavaScript: every field shows)', () => {
		expect(
			decisionMismatches({ kind: 'opinion', opinion: 'favorable', new_priority: '1', text: 'x' })
		).toEqual({ new_priority: expect.stringContaining('Vous avez choisi une nouvelle priorité') });
		expect(
			decisionMismatches({ kind: 'priority', opinion: 'favorable', new_priority: '1', text: 'x' })
		).toEqual({ opinion: expect.stringContaining('Vous avez choisi un avis') });
		expect(decisionMismatches({ kind: 'free', opinion: '', new_priority: '', text: 'x' })).toEqual(
			{}
		);
	});

	it('refuses a sitting date that is not a date', () => {
		// A real day out of bounds (1999) is sittingDayProblems' to tell, with the adoption's day.
		for (const held_on of ['2026-02-30', 'demain', '']) {
			const result = SittingSchema.safeParse({ held_on, place: 'Cahors', title: 'Commission' });
			expect(result.success, held_on).toBe(false);
			expect(result.error?.issues[0]?.message).toMatch(/date/);
		}
	});
});

describe('a séance and a fiche added to the plan after its day (security probe)', () => {
	it('refuses the fiche on its agenda, and the séance moved to before the fiche was added', async () => {
		const admin = await createTestUser(db, PEOPLE.admin);
		const { id: objectiveId } = await db
			.selectFrom('objective')
			.select('id')
			.where('number', '=', 4)
			.executeTakeFirstOrThrow();
		const added = await createFiche(
			db,
			admin,
			{ objectiveId, title: 'Une fiche nouvelle', reason: 'Décidée en 2026', decisionId: null },
			null,
			new Date('2026-06-10T10:00:00Z')
		);
		if (!added.ok) throw new Error(added.message);
		const code = added.value.code;
		const early = await newSitting('2026-03-01');
		const before = await counts();
		expect(await addAgendaFiches(db, member, early, [code], null)).toEqual({
			ok: false,
			status: 409,
			message: `La fiche ${code} n’a été ajoutée au plan que le 10\u00a0juin\u00a02026 : une séance du 1er\u00a0mars\u00a02026 ne peut pas en décider.`
		});
		expect(await counts()).toEqual(before);
		// The day of its addition is fine; moved to before it, the séance is refused.
		const later = await newSitting('2026-06-10');
		expect((await addAgendaFiches(db, member, later, [code], null)).ok).toBe(true);
		expect(
			await updateSitting(
				db,
				member,
				later,
				{ heldOn: '2026-06-09', place: 'Cahors', title: 'Commission des usages numériques' },
				null
			)
		).toMatchObject({
			ok: false,
			status: 400,
			fieldErrors: { held_on: expect.stringContaining(`La fiche ${code} n’a été ajoutée`) }
		});
	});
});

describe('bounds (security probe: a script filled an agenda with 1 000 points)', () => {
	it('refuses a free point beyond 50, and a guest beyond 100, under their field', async () => {
		const sitting = await heldSittingWith('4-1');
		const { agenda } = await counts();
		for (let n = 1; n <= FREE_ITEMS_PER_SITTING; n++)
			expect(await addAgendaFreeItem(db, member, sitting.id, `Point ${n}`, null)).toEqual({
				ok: true
			});
		const point =
			'L’ordre du jour compte déjà 50\u00a0points libres, le maximum d’une séance : regroupez-en, ou retirez-en un avant d’en ajouter un autre.';
		expect(await addAgendaFreeItem(db, member, sitting.id, 'Un de plus', null)).toMatchObject({
			ok: false,
			status: 409,
			fieldErrors: { title: point }
		});
		expect((await counts()).agenda).toBe(agenda + FREE_ITEMS_PER_SITTING);
		// A member present is not a guest: the bound counts guests alone.
		expect((await addAttendee(db, member, sitting.id, { userId: member.id }, null)).ok).toBe(true);
		for (let n = 1; n <= GUESTS_PER_SITTING; n++)
			expect(
				(await addAttendee(db, member, sitting.id, { guestName: `Invité ${n}` }, null)).ok
			).toBe(true);
		expect(
			await addAttendee(db, member, sitting.id, { guestName: 'Invité de trop' }, null)
		).toMatchObject({
			ok: false,
			status: 409,
			fieldErrors: {
				guest_name:
					'Cette séance compte déjà 100\u00a0invités, le maximum d’une séance : retirez-en un avant d’en ajouter un autre.'
			}
		});
		expect((await findSitting(db, sitting.id))!.attendees).toHaveLength(1 + GUESTS_PER_SITTING);
	});

	it('creates at most 20 séances per account and day, parallel posts included', async () => {
		const results = await Promise.all(
			Array.from({ length: SITTINGS_CREATED_PER_ACCOUNT_PER_DAY + 5 }, (_, n) =>
				createSitting(
					db,
					member,
					{ heldOn: '2026-06-15', place: 'Cahors', title: `Séance ${n}` },
					null
				)
			)
		);
		expect(results.filter((r) => r.ok)).toHaveLength(SITTINGS_CREATED_PER_ACCOUNT_PER_DAY);
		expect(results.find((r) => !r.ok)).toMatchObject({
			status: 429,
			message:
				'Vous avez déjà créé 20\u00a0séances aujourd’hui : c’est la limite d’une journée. Créez celle-ci demain ; une séance créée par erreur se supprime de sa page.'
		});
		expect((await counts()).sittings).toBe(1 + SITTINGS_CREATED_PER_ACCOUNT_PER_DAY);
	});
});
