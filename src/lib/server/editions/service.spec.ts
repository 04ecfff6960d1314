import { describe, expect, it } from 'vitest';
import { EditionPlanDocumentSchema } from '../opendata/testing';
import { type User } from '../auth/users';
import { addAgendaFiches, changeSittingState } from '../commission/service';
import { heldSitting } from '../commission/testing';
import type { Db } from '../db';
import { reviewProgressUpdate, saveProgressUpdate } from '../progress/service';
import { createPartner, progressInput } from '../progress/testing';
import {
	findDraftOfYear,
	findEdition,
	findFrozenFiche,
	findLatestPublished,
	findPublishedFile,
	findPublishedSnapshot,
	listEditions,
	listSittingsClosedAfter
} from './repository';
import { findDraftDigest, publishEdition, saveEditionDraft } from './service';
import { createFiche } from '../authoring/fiches';
import { saveStructure } from '../authoring/structure';
import { eachTestWithAdmin, moveFiche, openedStructure } from '../authoring/testing';
import { listAxes } from '../plan/repository';
import { planHistory } from '../plan/history';
import { parisYear } from '../../utils/dates';
import type { PlanDocument } from '../opendata/plan-document';
import { buildEditionSnapshot, editionPage } from './snapshot';
import { loadDashboardInput } from '../dashboard/repository';

let db: Db;
let admin: User;

eachTestWithAdmin((opened) => ({ db, admin } = opened));

async function validatedUpdate(code: string, reportedOn: string, progress: number) {
	const partner = await createPartner(db, 'cdg46', `p${Math.random()}@cdg46.fr`);
	const created = await saveProgressUpdate(
		db,
		partner,
		code,
		null,
		progressInput({ reportedOn, progress, status: 'en_cours' }),
		null
	);
	if (!created.ok) throw new Error(`update: ${JSON.stringify(created)}`);
	await reviewProgressUpdate(
		db,
		admin,
		{ updateId: created.value.id, version: 1, decision: 'validate', comment: '' },
		null
	);
}

const frozen = async (year: number, name: string) =>
	Buffer.from((await findPublishedFile(db, year, name))!.body).toString('utf8');
async function openData(year: number): Promise<PlanDocument> {
	const stored = await findPublishedFile(db, year, 'plan');
	if (!stored) throw new Error(`no open data for ${year}`);
	return JSON.parse(Buffer.from(stored.body).toString('utf8')) as PlanDocument;
}

/** A fiche added to objective `objective` at `when`, through the plan's form: its code. */
async function addFiche(objective: number, title: string, when = new Date()): Promise<string> {
	const { id } = (await db
		.selectFrom('objective')
		.select('id')
		.where('number', '=', objective)
		.executeTakeFirst())!;
	const fiche = await createFiche(
		db,
		admin,
		{ objectiveId: id, title, reason: 'Essai', decisionId: null },
		null,
		when
	);
	if (!fiche.ok) throw new Error(fiche.message);
	return fiche.value.code;
}

/** An axis added to the plan at `when`, through its form: its id. */
async function addAxis(label: string, shortName: string, when: Date): Promise<number> {
	const axis = await saveStructure(
		db,
		admin,
		'axis',
		null,
		{
			...{ version: null, seenRevision: null, synthesisLabel: null, parentId: null },
			...{ label, shortName, reason: 'Révision du schéma', decisionId: null }
		},
		null,
		when
	);
	if (!axis.ok) throw new Error(axis.message);
	return axis.value.id;
}

const draft2019 = {
	year: 2019,
	asOf: '2019-12-31',
	intro: 'Bilan 2019',
	axisTexts: { performance: 'A', solidarite: 'B', modernite: 'C' },
	changeNote: null
};

/**
 * The walkthrough's 17-2: the ARS reports on `reportedOn` a count measured on `measuredOn`,
 * validated on `day`; the 2026 bilan, with figures as of 5 December, is drafted that day and
 * published an hour later.
 */
async function published172Report(
	report: { reportedOn: string; measuredOn: string; value: number },
	day: Date
) {
	const ars = await createPartner(db, 'ars', 'p@ars.fr');
	const { id: indicatorId } = (await db
		.selectFrom('indicator')
		.innerJoin('fiche', 'fiche.id', 'indicator.fiche_id')
		.select('indicator.id')
		.where('fiche.code', '=', '17-2')
		.executeTakeFirst())!;
	const { reportedOn, measuredOn, value } = report;
	const input = progressInput({
		reportedOn,
		progress: 10,
		measurements: [{ indicatorId, measuredOn, value, comment: null }]
	});
	const created = await saveProgressUpdate(db, ars, '17-2', null, input, null, day);
	if (!created.ok) throw new Error(`update: ${JSON.stringify(created)}`);
	const review = { updateId: created.value.id, version: 1, decision: 'validate' as const };
	const reviewed = await reviewProgressUpdate(db, admin, { ...review, comment: '' }, null, day);
	if (!reviewed.ok) throw new Error(`review: ${reviewed.message}`);
	const edition = { ...draft2019, year: 2026, asOf: '2026-12-05', intro: 'Bilan 2026' };
	const draft = await saveEditionDraft(db, admin, edition, null, day);
	if (!draft.ok) throw new Error('draft');
	const at = new Date(day.getTime() + 3_600_000);
	const publication = await publishEdition(db, admin, draft.value.id, null, at);
	if (!publication.ok) throw new Error(`publish: ${publication.message}`);
}

describe('yearly editions', () => {
	it('a past year’s activity by quarter counts its validated updates though fiches were added since', async () => {
		await validatedUpdate('9-1', '2019-05-01', 20);
		await addFiche(4, 'Une fiche ajoutée bien après 2019');
		const input = await loadDashboardInput(db, '2019-12-31');
		expect(input.updatesByMonth).toContainEqual({ month: '2019-05', count: 1 });
		const byOrganisation = input.updatesByOrganisation.reduce((n, o) => n + o.count, 0);
		const byMonth = input.updatesByMonth.reduce((n, m) => n + m.count, 0);
		expect(byMonth).toBe(byOrganisation);
	});

	// Read-back s46: a draft's preview drew its year's quarters still to come as zeros.
	it('previews a year not over without the quarters still to come, in its chart, table and text', async () => {
		await validatedUpdate('9-1', '2019-05-01', 20);
		// The preview of the 2019 draft on 15 August 2019: the third quarter has begun, not the fourth.
		const preview = await buildEditionSnapshot(
			db,
			{ ...draft2019, version: 1 },
			'2019-08-15T10:00:00.000Z'
		);
		expect(preview.figures.activityByQuarter.slice(-2)).toEqual([
			{ quarter: '2019-T2', count: 1 },
			{ quarter: '2019-T3', count: 0 }
		]);
		const table = preview.tables.find((t) => t.id === 'activite-trimestres')!;
		expect(table.rows.at(-1)).toEqual(['2019-T3', 0]);
		expect(table.summary).toMatch(/3e trimestre 2019 : 0\.$/);
		expect(table.summary).not.toContain('4e trimestre 2019');
		// The day after the 31 December, the same draft runs to the end of its year.
		const after = await buildEditionSnapshot(
			db,
			{ ...draft2019, version: 1 },
			'2020-01-01T10:00:00.000Z'
		);
		expect(after.figures.activityByQuarter.at(-1)).toEqual({ quarter: '2019-T4', count: 0 });
	});

	it('publishes only the draft its confirmation page showed: one saved meanwhile is refused, unpublished', async () => {
		const draft = await saveEditionDraft(db, admin, draft2019);
		if (!draft.ok) throw new Error('draft');
		const shown = await findDraftDigest(db, 2019);
		// Saved again in another tab, with another date of arrest, after the page was read.
		const again = await saveEditionDraft(db, admin, {
			...draft2019,
			asOf: '2019-03-31',
			intro: 'Texte jamais relu',
			shown
		});
		expect(again.ok).toBe(true);
		const refused = await publishEdition(db, admin, draft.value.id, null, new Date(), shown);
		expect(refused).toMatchObject({ ok: false, status: 409, reason: 'draft-changed' });
		expect((await findEdition(db, draft.value.id))?.state).toBe('draft');
		expect(await findPublishedSnapshot(db, 2019)).toBeUndefined();
		// The page read again shows the draft as it is: that one is published.
		const reread = await findDraftDigest(db, 2019);
		expect(await publishEdition(db, admin, draft.value.id, null, new Date(), reread)).toMatchObject(
			{ ok: true }
		);
		expect((await findPublishedSnapshot(db, 2019))?.asOf).toBe('2019-03-31');
	});

	it('seeds the published 2018 edition from the register, valid open data as of 31 December 2018', async () => {
		const snapshot = (await findPublishedSnapshot(db, 2018))!;
		expect(snapshot).toMatchObject({ year: 2018, version: 1, asOf: '2018-12-31' });
		const plan = await openData(2018);
		expect(() => EditionPlanDocumentSchema.parse(plan)).not.toThrow();
		const wifi = plan.fiches.find((f) => f.code === '14-1')!;
		// The update of 1 January 2019 is after the edition's date: it is not in it.
		expect(wifi).toMatchObject({ status: 'en_cours', last_update: '2018-12-31' });
		expect(snapshot.figures.totals.statuses.en_cours).toBe(2);
		expect(snapshot.decisions).toEqual([]);
		expect(snapshot.axes.map((a) => a.fiches.length)).toEqual([7, 9, 7]);
	});

	it('stays as published whatever is validated or decided afterwards', async () => {
		await validatedUpdate('9-1', '2019-05-01', 20);
		const draft = await saveEditionDraft(db, admin, draft2019);
		if (!draft.ok) throw new Error('draft');
		await publishEdition(db, admin, draft.value.id);
		const before = JSON.stringify(await findPublishedSnapshot(db, 2019));
		const names = ['datapackage', 'plan', 'fiches', 'mesures', 'mises-a-jour', 'decisions'];
		const openDataBefore = await Promise.all(names.map((name) => frozen(2019, name)));

		await validatedUpdate('9-1', '2019-11-15', 60);
		await validatedUpdate('1-1', '2020-02-01', 10);
		const { sittingId } = await heldSitting(db, admin, {
			heldOn: '2019-10-01',
			decisions: [{ kind: 'priority', newPriority: 1, text: 'motif' }],
			closed: true
		});

		expect(JSON.stringify(await findPublishedSnapshot(db, 2019))).toBe(before);
		// The edition stays as published, and its page says which sitting of its year closed since.
		const { publishedAt } = (await findPublishedSnapshot(db, 2019))!;
		expect(await listSittingsClosedAfter(db, '2019-01-01', '2019-12-31', publishedAt!)).toEqual([
			{ sittingId, heldOn: '2019-10-01', decisions: 1 }
		]);
		expect(await listSittingsClosedAfter(db, '2020-01-01', '2020-12-31', publishedAt!)).toEqual([]);
		expect(await Promise.all(names.map((name) => frozen(2019, name)))).toEqual(openDataBefore);
		await expect(
			db
				.updateTable('edition_resource')
				.set({ body: new Uint8Array([1]) })
				.execute()
		).rejects.toThrow(/cannot change/);
		await expect(db.deleteFrom('edition_resource').execute()).rejects.toThrow(/cannot be deleted/);
		await expect(
			db.updateTable('edition').set({ intro: 'réécrit' }).where('year', '=', 2019).execute()
		).rejects.toThrow(/cannot change/);
		await expect(db.deleteFrom('edition').where('year', '=', 2019).execute()).rejects.toThrow(
			/cannot be deleted/
		);
	});

	it('counts a value with its update: measured before its date, reported after, in neither its figures nor its open data', async () => {
		// The walkthrough's 17-2: the ARS reports on 6 December 2026 a count measured on 30 November,
		// validated that day; the 2026 bilan, with figures as of 5 December, is published just after.
		await published172Report(
			{ reportedOn: '2026-12-06', measuredOn: '2026-11-30', value: 1250 },
			new Date('2026-12-06T10:00:00Z')
		);

		const snapshot = (await findPublishedSnapshot(db, 2026))!;
		const fiche = snapshot.axes.flatMap((a) => a.fiches).find((f) => f.code === '17-2')!;
		expect(fiche).toMatchObject({ statusEnd: 'a_lancer', updates: [] });
		expect(snapshot.figures.indicators.filter((i) => i.fiche === '17-2')).toEqual([]);
		const indicator = (await openData(2026)).fiches.find((f) => f.code === '17-2')!.indicators[0]!;
		expect(indicator).toMatchObject({ measurement_count: 0, latest: null });
		expect(await frozen(2026, 'mesures')).not.toContain('1250');
		// The next bilan counts it with its update: the value and the status it came with.
		const live = await loadDashboardInput(db, '2026-12-06');
		expect(live.fiches.find((f) => f.code === '17-2')).toMatchObject({ status: 'en_cours' });
		const points = live.indicators.find((i) => i.fiche === '17-2')!.points;
		expect(points).toEqual([{ date: '2026-11-30', value: 1250 }]);
	});

	it('leaves to the next edition a value dated after its cut-off, though its update is dated before', async () => {
		// Merge review s47: a report dated 5 December carrying a value measured on 8 December put
		// that value in a bilan « au 5 décembre ».
		await published172Report(
			{ reportedOn: '2026-12-05', measuredOn: '2026-12-08', value: 4321 },
			new Date('2026-12-10T10:00:00Z')
		);
		expect(await frozen(2026, 'mesures')).not.toContain('4321');
		const indicator = (await openData(2026)).fiches.find((f) => f.code === '17-2')!.indicators[0]!;
		expect(indicator).toMatchObject({ measurement_count: 0, latest: null });
		const snapshot = (await findPublishedSnapshot(db, 2026))!;
		expect(snapshot.figures.indicators.filter((i) => i.fiche === '17-2')).toEqual([]);
	});

	it('shows the year’s progress, decisions and the comparison with the previous edition', async () => {
		await validatedUpdate('9-1', '2019-05-01', 20);
		const draft = await saveEditionDraft(db, admin, draft2019);
		if (!draft.ok) throw new Error('draft');
		await publishEdition(db, admin, draft.value.id);
		const snapshot = (await findPublishedSnapshot(db, 2019))!;
		const nineOne = snapshot.axes.flatMap((a) => a.fiches).find((f) => f.code === '9-1')!;
		expect(nineOne).toMatchObject({
			statusStart: 'a_lancer',
			statusEnd: 'en_cours',
			progressEnd: 20
		});
		expect(nineOne.updates).toHaveLength(1);
		// Its quarterly series runs to the end of 2019, though nothing was validated after May.
		expect(snapshot.figures.activityByQuarter.slice(-3)).toEqual([
			{ quarter: '2019-T2', count: 1 },
			{ quarter: '2019-T3', count: 0 },
			{ quarter: '2019-T4', count: 0 }
		]);
		expect(snapshot.decisions.map((d) => d.fiche)).toEqual([
			'10-1',
			'13-1',
			'13-1',
			'7-2',
			'7-2',
			'3-1'
		]);
		expect(snapshot.comparison.previous).toEqual({ year: 2018, version: 1, asOf: '2018-12-31' });
		expect(snapshot.comparison.changes.map((c) => c.code)).toEqual(['9-1']);
		const plan = await openData(2019);
		expect(() => EditionPlanDocumentSchema.parse(plan)).not.toThrow();
		expect(plan.fiches.find((f) => f.code === '9-1')).toMatchObject({
			status: 'en_cours',
			progress: 20,
			last_update: '2019-05-01'
		});
	});

	it('prepared later for a past year, shows the plan as it stood then, and the next one what was added', async () => {
		// Added in March 2020: an axis, then a fiche in an objective of the first axis.
		const march = new Date('2020-03-02T09:00:00Z');
		await addAxis('Un quatrième axe', 'quatrième', march);
		const fiche = await addFiche(1, 'Une fiche de 2020', march);
		const publish = async (draft: typeof draft2019) => {
			const saved = await saveEditionDraft(db, admin, draft);
			if (!saved.ok) throw new Error('draft');
			await publishEdition(db, admin, saved.value.id);
			return (await findPublishedSnapshot(db, draft.year))!;
		};

		await validatedUpdate('12-1', '2019-06-01', 30);
		const then = await publish(draft2019);
		expect(then.axes.map((a) => a.fiches.length)).toEqual([7, 9, 7]);
		expect(then.figures.totals.fiches).toBe(23);
		expect(then.figures.byAxis).toHaveLength(3);
		expect(then.frozenPlan!.axes).toHaveLength(3);
		expect(then.frozenPlan!.fiches.map((f) => f.code)).not.toContain(fiche);
		expect(then.comparison.added).toEqual([]);
		const plan2019 = await openData(2019);
		expect(plan2019.axes).toHaveLength(3);
		expect(plan2019.fiches).toHaveLength(23);
		expect(await frozen(2019, 'fiches')).not.toContain('Une fiche de 2020');

		// Moved in 2020 from objective 12 to objective 4 (12-1 becomes 4-2): the same fiche, not a new one.
		const moved = await moveFiche(db, admin, '12-1', 4, march);
		expect(moved).toMatchObject({ ok: true, value: { code: '4-2' } });
		await validatedUpdate('4-2', '2020-06-01', 50);

		// The new axis has its own text, under its code.
		const fourth = (await listAxes(db)).at(-1)!;
		expect(fourth.shortName).toBe('quatrième');
		const next = await publish({
			...draft2019,
			year: 2020,
			asOf: '2020-12-31',
			intro: 'Bilan 2020',
			axisTexts: { ...draft2019.axisTexts, [fourth.code]: 'Un axe de plus' }
		});
		expect(next.axes.map((a) => a.text)).toEqual(['A', 'B', 'C', 'Un axe de plus']);
		expect(next.axes.map((a) => a.fiches.length)).toEqual([9, 8, 7, 0]);
		expect(next.figures.totals.fiches).toBe(24);
		expect(next.comparison.previous?.year).toBe(2019);
		expect(next.comparison.added).toEqual([{ code: fiche, title: 'Une fiche de 2020' }]);
		expect(next.comparison.changes.find((c) => c.code === '4-2')).toMatchObject({
			progressBefore: 30,
			progressAfter: 50
		});
		expect((await openData(2020)).fiches).toHaveLength(24);
	});

	it('prepared later, keeps under a later axis what lay in the plan then, and ends its day in Paris', async () => {
		// March 2020: a new axis, and the first orientation (with its objectives and fiches) under it.
		const march = new Date('2020-03-02T09:00:00Z');
		const axis = await addAxis('Un axe de la révision', 'révision', march);
		const [first] = await db.selectFrom('orientation').select('id').orderBy('position').execute();
		const moved = await saveStructure(
			db,
			admin,
			'orientation',
			first!.id,
			await openedStructure(db, 'orientation', first!.id, { parentId: axis }),
			null,
			march
		);
		expect(moved.ok).toBe(true);
		// 1 January 2020 at 00:30 in Paris (23:30 UTC the day before): not in the 2019 plan.
		const newYear = await addFiche(2, 'Une fiche du Nouvel An', new Date('2019-12-31T23:30:00Z'));

		const saved = await saveEditionDraft(db, admin, draft2019);
		if (!saved.ok) throw new Error('draft');
		await publishEdition(db, admin, saved.value.id);
		const then = (await findPublishedSnapshot(db, 2019))!;
		// Every fiche of 2019 is under an axis of the bilan: none lost, none added.
		expect(then.axes.reduce((n, a) => n + a.fiches.length, 0)).toBe(23);
		expect(then.figures.totals.fiches).toBe(23);
		const plan = await openData(2019);
		const axes = new Set(plan.axes.map((a) => a.code));
		const orientations = new Set(plan.orientations.map((o) => o.code));
		const objectives = new Set(plan.objectives.map((o) => o.number));
		expect(plan.orientations.every((o) => axes.has(o.axis))).toBe(true);
		expect(plan.objectives.every((o) => orientations.has(o.orientation))).toBe(true);
		expect(plan.fiches.every((f) => objectives.has(f.objective))).toBe(true);
		expect(plan.fiches.map((f) => f.code)).not.toContain(newYear);
	});

	it('leaves out of a past year’s bilan a decision on a fiche added after it (a sitting recorded late)', async () => {
		const fiche = await addFiche(1, 'Une fiche de 2020', new Date('2020-02-10T10:00:00Z'));
		// The sitting of 15 November 2019, recorded afterwards, decides on it and on 4-1.
		const { sittingId } = await heldSitting(db, admin, {
			heldOn: '2019-11-15',
			recordedLate: [fiche],
			decisions: [{ kind: 'opinion', opinion: 'favorable', text: 'Avis' }]
		});
		// Refused since (a séance cannot take up a fiche added after its day): as written before.
		expect((await addAgendaFiches(db, admin, sittingId, [fiche], null)).ok).toBe(false);
		await changeSittingState(db, admin, sittingId, 'closed', null);
		const saved = await saveEditionDraft(db, admin, draft2019);
		if (!saved.ok) throw new Error('draft');
		await publishEdition(db, admin, saved.value.id);
		const snapshot = (await findPublishedSnapshot(db, 2019))!;
		expect(snapshot.decisions.map((d) => d.fiche)).toContain('4-1');
		expect(snapshot.decisions.map((d) => d.fiche)).not.toContain(fiche);
		const decisions = await frozen(2019, 'decisions');
		expect(decisions).toContain('4-1');
		expect(decisions).not.toContain(`${fiche},`);
	});

	it('lists the day’s events of the plan’s history in the order they happened', async () => {
		const fiche = await addFiche(1, 'Une fiche du jour');
		const saved = await saveEditionDraft(db, admin, draft2019);
		if (!saved.ok) throw new Error('draft');
		await publishEdition(db, admin, saved.value.id);
		const titles = (await planHistory(db)).map((e) => e.title);
		// Added, then published: not the bilan first because bilans are listed before changes.
		expect(titles.indexOf(`Fiche ${fiche} ajoutée au plan`)).toBeLessThan(
			titles.indexOf('Bilan 2019 publié')
		);
	});

	it('counts a fiche abandoned by an edit of the plan as abandoned from that day on', async () => {
		// As retireFiche leaves it: status, reason and day on the fiche, no progress update.
		await db
			.updateTable('fiche')
			.set({ status: 'abandonnee', retired_reason: 'Créée par erreur', retired_on: '2019-06-01' })
			.where('code', '=', '7-3')
			.execute();
		const draft = await saveEditionDraft(db, admin, draft2019);
		if (!draft.ok) throw new Error('draft');
		await publishEdition(db, admin, draft.value.id);
		const snapshot = (await findPublishedSnapshot(db, 2019))!;
		expect(snapshot.axes.flatMap((a) => a.fiches).find((f) => f.code === '7-3')).toMatchObject({
			statusStart: 'a_lancer',
			statusEnd: 'abandonnee'
		});
		expect(snapshot.figures.totals.statuses.abandonnee).toBe(1);
		expect((await openData(2019)).fiches.find((f) => f.code === '7-3')?.status).toBe('abandonnee');
		// The 2018 edition, as of before that day, still has it to start.
		expect((await openData(2018)).fiches.find((f) => f.code === '7-3')?.status).toBe('a_lancer');
	});

	it('counts on its page the updates of each fiche, the snapshot and the frozen fiche keep them all', async () => {
		for (const month of ['02', '04', '06', '08', '10'])
			await validatedUpdate('9-1', `2019-${month}-01`, Number(month) * 5);
		const draft = await saveEditionDraft(db, admin, draft2019);
		if (!draft.ok) throw new Error('draft');
		await publishEdition(db, admin, draft.value.id);
		const snapshot = (await findPublishedSnapshot(db, 2019))!;
		const stored = snapshot.axes.flatMap((a) => a.fiches).find((f) => f.code === '9-1')!;
		expect(stored.updates).toHaveLength(5);
		const page = editionPage(snapshot);
		const shown = page.axes.flatMap((a) => a.fiches).find((f) => f.code === '9-1')!;
		expect(shown.updateCount).toBe(5);
		expect(shown).not.toHaveProperty('updates');
		const quiet = page.axes.flatMap((a) => a.fiches).find((f) => f.code === '1-1')!;
		expect(quiet).toMatchObject({ updateCount: 0 });
		const frozen = (await findFrozenFiche(db, 2019, '9-1'))!;
		expect(frozen.ficheYear?.updates.map((u) => u.date)).toEqual([
			'2019-02-01',
			'2019-04-01',
			'2019-06-01',
			'2019-08-01',
			'2019-10-01'
		]);
	});

	it('makes a correction a new version, with a note, the previous one still reachable', async () => {
		const refused = await saveEditionDraft(db, admin, {
			...draft2019,
			year: 2018,
			asOf: '2018-12-31'
		});
		expect(refused).toMatchObject({ ok: false, status: 400 });
		const corrected = await saveEditionDraft(db, admin, {
			...draft2019,
			year: 2018,
			asOf: '2018-12-31',
			changeNote: 'Texte de l’axe solidarité complété.'
		});
		if (!corrected.ok) throw new Error('draft');
		await publishEdition(db, admin, corrected.value.id);
		expect((await findPublishedSnapshot(db, 2018))!).toMatchObject({
			version: 2,
			changeNote: 'Texte de l’axe solidarité complété.'
		});
		expect((await findPublishedSnapshot(db, 2018, 1))!.version).toBe(1);
		expect(
			(await listEditions(db, { publishedOnly: true })).filter((e) => e.year === 2018)
		).toHaveLength(2);
	});

	it('starts a new version from the latest published texts: a form based on none is refused, an axis it did not offer keeps its text', async () => {
		const published = (await findLatestPublished(db, 2018))!;
		const correction = {
			...{ year: 2018, asOf: '2018-12-31', intro: 'Introduction corrigée', axisTexts: {} },
			...{ changeNote: 'Coquille.', shown: '', offeredAxes: ['performance', 'solidarite'] }
		};
		for (const basedOn of [0, 2])
			expect(await saveEditionDraft(db, admin, { ...correction, basedOn })).toMatchObject({
				ok: false,
				status: 409,
				reason: 'published-texts',
				message: expect.stringContaining(
					'les textes laissés vides reprennent maintenant ceux de la version 1'
				)
			});
		expect(await findDraftOfYear(db, 2018)).toBeUndefined();
		// Based on version 1, both offered texts emptied on purpose: the one not offered is kept.
		const saved = await saveEditionDraft(db, admin, { ...correction, basedOn: 1 });
		if (!saved.ok) throw new Error(saved.message);
		expect((await findEdition(db, saved.value.id))!).toMatchObject({
			version: 2,
			intro: 'Introduction corrigée',
			axisTexts: { modernite: published.axisTexts.modernite }
		});
	});

	it('refuses a correction of one year saved as another year’s new version, whose texts it never showed', async () => {
		// Probe s54: a « corriger » form of 2018 v1, its read-only year changed to 2019, saved 2019
		// v2 with 2018's texts (based_on was a version number only).
		const first = await saveEditionDraft(db, admin, draft2019);
		if (!first.ok) throw new Error(first.message);
		expect(await publishEdition(db, admin, first.value.id)).toMatchObject({ ok: true });
		const of2018 = { ...draft2019, changeNote: 'Correction.', shown: '', basedOn: 1 };
		for (const basedOnYear of [2018, 0])
			expect(await saveEditionDraft(db, admin, { ...of2018, basedOnYear })).toMatchObject({
				ok: false,
				status: 409,
				reason: 'published-texts',
				message: expect.stringMatching(
					basedOnYear
						? /^Ce formulaire reprenait les textes du bilan 2018 \(version 1\), pas ceux du bilan 2019 \(version 1 publiée\)\. Rien n’a été enregistré : les textes laissés vides reprennent maintenant ceux de la version 1/
						: /^Ce formulaire reprenait les textes de la version 1 d’un bilan dont il ne dit pas l’année, pas ceux du bilan 2019/
				)
			});
		// Changed to a year with no published version: refused too, on its year.
		expect(
			await saveEditionDraft(
				db,
				admin,
				{ ...of2018, year: 2020, asOf: '2020-12-31', changeNote: null, basedOnYear: 2018 },
				null,
				new Date('2021-03-01T10:00:00Z')
			)
		).toMatchObject({
			ok: false,
			status: 409,
			fieldErrors: { year: expect.stringContaining('le bilan 2020 n’a pas de version publiée') }
		});
		expect(await findDraftOfYear(db, 2019)).toBeUndefined();
		expect(await findDraftOfYear(db, 2020)).toBeUndefined();
		// Based on 2019's own version 1: saved as its version 2.
		const saved = await saveEditionDraft(db, admin, { ...of2018, basedOnYear: 2019 });
		expect(saved.ok).toBe(true);
		expect((await findDraftOfYear(db, 2019))!.version).toBe(2);
	});

	it('leaves each version’s event of the plan’s history linking that version, named', async () => {
		const saved = await saveEditionDraft(db, admin, {
			...draft2019,
			year: 2018,
			asOf: '2018-11-30',
			changeNote: 'Chiffres arrêtés au 30 novembre.'
		});
		if (!saved.ok) throw new Error(saved.message);
		expect(await publishEdition(db, admin, saved.value.id)).toMatchObject({ ok: true });
		const links = (await planHistory(db))
			.filter((e) => e.title.startsWith('Bilan 2018 publié'))
			.map((e) => e.link);
		// `/bilans/2018` is now version 2: version 1's event leads to version 1.
		expect(links).toEqual([
			{ href: '/bilans/2018?version=1', text: 'Bilan 2018, version 1' },
			{ href: '/bilans/2018?version=2', text: 'Bilan 2018, version 2' }
		]);
	});

	it('is published only once the day its figures are arrested at is over', async () => {
		// Prepared during 2031 (a draft's year has begun).
		const draft = await saveEditionDraft(
			db,
			admin,
			{ ...draft2019, year: 2031, asOf: '2031-12-31' },
			null,
			new Date('2031-06-01T12:00:00Z')
		);
		if (!draft.ok) throw new Error('draft');
		for (const now of ['2026-12-02T10:00:00Z', '2031-12-31T22:00:00Z'])
			expect(await publishEdition(db, admin, draft.value.id, null, new Date(now))).toEqual({
				ok: false,
				status: 409,
				message:
					'Les chiffres de ce bilan sont arrêtés au 31\u00a0décembre\u00a02031 : il ne peut être publié qu’une fois ce jour passé, à partir du 1er\u00a0janvier\u00a02032.'
			});
		expect(await findPublishedSnapshot(db, 2031)).toBeUndefined();
		// 23:30 UTC on 31 December is already 1 January in Paris.
		expect(
			await publishEdition(db, admin, draft.value.id, null, new Date('2031-12-31T23:30:00Z'))
		).toMatchObject({ ok: true });
	});

	it('does not overwrite unseen a draft saved before the form was opened, or meanwhile', async () => {
		const first = await saveEditionDraft(db, admin, { ...draft2019, shown: '' });
		if (!first.ok) throw new Error('draft');
		// A blank form for the same year (the draft not opened): refused, what differs listed.
		const blank = { ...draft2019, intro: 'Nouvelle introduction', axisTexts: {}, shown: '' };
		expect(await saveEditionDraft(db, admin, blank)).toMatchObject({
			ok: false,
			status: 409,
			message: expect.stringContaining('Un brouillon du bilan 2019 existe déjà'),
			changes: [
				{ field: 'intro', before: 'Bilan 2019', after: 'Nouvelle introduction' },
				{ field: 'text_performance', before: 'A', after: '' },
				{ field: 'text_solidarite', before: 'B', after: '' },
				{ field: 'text_modernite', before: 'C', after: '' }
			]
		});
		expect((await findEdition(db, first.value.id))!.axisTexts).toEqual(draft2019.axisTexts);
		// Two admins open the draft; the first saves, the second is refused, then sends again.
		const shown = await findDraftDigest(db, 2019);
		const edited = { ...draft2019, intro: 'Introduction revue', shown };
		expect(await saveEditionDraft(db, admin, edited)).toEqual({
			ok: true,
			value: { id: first.value.id }
		});
		const other = { ...draft2019, axisTexts: { ...draft2019.axisTexts, modernite: 'D' }, shown };
		expect(await saveEditionDraft(db, admin, other)).toMatchObject({
			ok: false,
			status: 409,
			message: expect.stringContaining('Quelqu’un a modifié ce brouillon'),
			changes: [
				{ field: 'intro', before: 'Introduction revue', after: 'Bilan 2019' },
				{ field: 'text_modernite', before: 'C', after: 'D' }
			]
		});
		const again = { ...other, shown: await findDraftDigest(db, 2019) };
		expect(await saveEditionDraft(db, admin, again)).toMatchObject({ ok: true });
		expect((await findEdition(db, first.value.id))!.axisTexts.modernite).toBe('D');
	});

	it('refuses a new draft for a year not begun, and keeps saving one made before that rule', async () => {
		const year = parisYear() + 1;
		const draft = { ...draft2019, year, asOf: `${year}-12-31`, intro: 'Bilan à venir' };
		expect(await saveEditionDraft(db, admin, draft)).toMatchObject({
			ok: false,
			status: 400,
			fieldErrors: { year: expect.stringMatching(/^L’année doit être comprise entre 2018 et /) }
		});
		// Made the year before (as drafts of any year up to 2100 once were): it is saved again.
		const made = await saveEditionDraft(
			db,
			admin,
			draft,
			null,
			new Date(`${year}-02-01T12:00:00Z`)
		);
		expect(made.ok).toBe(true);
		const again = await saveEditionDraft(db, admin, {
			...draft,
			intro: 'Bilan à venir, repris',
			shown: await findDraftDigest(db, year)
		});
		expect(again).toMatchObject({ ok: true });
	});

	it('keeps drafts out of the public list', async () => {
		await saveEditionDraft(db, admin, draft2019);
		expect((await listEditions(db, { publishedOnly: true })).map((e) => e.year)).toEqual([2018]);
		expect(await findPublishedSnapshot(db, 2019)).toBeUndefined();
	});
});
