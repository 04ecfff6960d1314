import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { backfillFrozenPlans } from '../../../../migrations/2026_12_02_100000_edition_frozen_plan';
import { indicatorRowField, ownerField, parseFicheForm } from '../../schemas/plan-edit';
import { type User } from '../auth/users';
import { ficheFormValues } from '../authoring/fiche-form';
import { findFicheState, lastFicheRevisionId } from '../authoring/repository';
import { retireIndicator, saveAxis } from '../authoring/import-repository';
import { insertRevision } from '../authoring/revisions-repository';
import { createFiche, updateFiche } from '../authoring/fiches';
import { eachTestWithAdmin } from '../authoring/testing';
import type { Db } from '../db';
import { openDataFile } from '../opendata/published';
import type { PlanDocument } from '../opendata/plan-document';
import { findFicheByCode } from '../plan/repository';
import { findFrozenFiche, findPublishedFile, findPublishedSnapshot } from './repository';
import { publishEdition, saveEditionDraft } from './service';
import type { FrozenFiche, FrozenPlan } from './frozen-plan';
import { editionPage } from './snapshot';
import { baselineText, targetText } from '../../utils/indicator-target';

let db: Db;
let admin: User;

eachTestWithAdmin((opened) => ({ db, admin } = opened));

async function publish(year: number, at: Date): Promise<void> {
	const draft = await saveEditionDraft(
		db,
		admin,
		{ year, asOf: `${year}-12-31`, intro: `Bilan ${year}`, axisTexts: {}, changeNote: null },
		null,
		at
	);
	if (!draft.ok) throw new Error(draft.message);
	expect((await publishEdition(db, admin, draft.value.id, null, at)).ok).toBe(true);
}

const OLD_TITLE = 'Mise en place d’outils numériques favorisant la mobilité';
const OLD_INDICATOR =
	'Nombre de consultations, d’utilisateurs et fréquence d’utilisation de l’outil';

/** After the edition: 17-1's title, owners, first indicator's label and target, and axis 1's label. */
async function editThePlan(at: Date, more: Record<string, string> = {}): Promise<void> {
	const state = (await findFicheState(db, '17-1'))!;
	const department = await db
		.selectFrom('organisation')
		.select('id')
		.where('slug', '=', 'departement-du-lot')
		.executeTakeFirstOrThrow();
	const values: Record<string, string> = {
		...ficheFormValues(state, await lastFicheRevisionId(db, state.id)),
		title: 'Mobilité : un calculateur d’itinéraires lotois',
		[ownerField(0, 'org')]: String(department.id),
		[ownerField(0, 'scope')]: 'Pilotage',
		[indicatorRowField(0, 'label')]: 'Nombre d’itinéraires calculés',
		[indicatorRowField(0, 'target')]: '5000',
		[indicatorRowField(0, 'target_date')]: '2027-12-31',
		[indicatorRowField(0, 'baseline')]: '120',
		[indicatorRowField(0, 'baseline_date')]: '2020-01-01',
		reason: 'Décision de la commission',
		...more
	};
	const data = new FormData();
	for (const [k, v] of Object.entries(values)) data.set(k, v);
	const parsed = parseFicheForm(data);
	expect(parsed.errors).toEqual({});
	expect((await updateFiche(db, admin, '17-1', parsed.input!, null, at)).ok).toBe(true);

	const axis = await db
		.selectFrom('axis')
		.selectAll()
		.orderBy('position')
		.limit(1)
		.executeTakeFirstOrThrow();
	await saveAxis(
		db,
		axis.id,
		{ code: axis.code, shortName: axis.short_name, label: 'Axe renommé après le bilan' },
		axis.position
	);
	await insertRevision(db, {
		entity: 'axis',
		entityId: axis.id,
		ficheId: null,
		action: 'updated',
		changes: [
			{ field: 'label', label: 'Intitulé', before: axis.label, after: 'Axe renommé après le bilan' }
		],
		reason: 'Nouvel intitulé',
		decisionId: null,
		origin: 'import',
		userId: null,
		createdAt: at.toISOString()
	});
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('a published edition keeps the plan as it stood at publication', () => {
	it('later edits of texts, owners, indicators and structure change the live plan only', async () => {
		await publish(2019, new Date('2020-01-20T10:00:00Z'));
		const axisLabel = (await findPublishedSnapshot(db, 2019))!.axes[0]!.label;
		await editThePlan(new Date('2020-02-01T10:00:00Z'));

		const page = editionPage((await findPublishedSnapshot(db, 2019))!);
		expect(page.axes[0]!.label).toBe(axisLabel);
		const fiche = page.axes.flatMap((a) => a.fiches).find((f) => f.code === '17-1')!;
		expect(fiche.title).toBe(OLD_TITLE);
		// The fiche's page in the edition (/bilans/2019/fiches/17-1) reads the frozen plan.
		const frozenPage = (await findFrozenFiche(db, 2019, '17-1'))!;
		expect(frozenPage.plan!.fiches.find((f) => f.code === '17-1')).toMatchObject({
			title: OLD_TITLE,
			objective: 17,
			owners: [],
			indicators: [{ label: OLD_INDICATOR }]
		});
		expect(frozenPage.ficheYear).toMatchObject({ code: '17-1', title: OLD_TITLE });

		const frozenPlan = JSON.parse(
			text((await findPublishedFile(db, 2019, 'plan'))!.body)
		) as PlanDocument;
		const frozenFiche = frozenPlan.fiches.find((f) => f.code === '17-1')!;
		expect(frozenFiche).toMatchObject({ title: OLD_TITLE, owners: [] });
		expect(frozenFiche.indicators[0]).toMatchObject({
			label: OLD_INDICATOR,
			target: null,
			kind: 'count',
			target_date: null,
			baseline: null,
			baseline_date: null,
			retired_on: null
		});
		expect(frozenPlan.axes[0]!.label).toBe(axisLabel);
		const frozenCsv = text((await findPublishedFile(db, 2019, 'fiches'))!.body);
		expect(frozenCsv).toContain(OLD_TITLE);
		expect(frozenCsv).not.toContain('Pilotage');
		const frozen = (await findFrozenFiche(db, 2019, '17-1'))!;
		expect(frozen.texts!.description.length).toBeGreaterThan(0);
		expect(frozen.plan!.fiches.find((f) => f.code === '17-1')).toMatchObject({
			title: OLD_TITLE,
			owners: []
		});

		expect((await findFicheByCode(db, '17-1'))!.title).toBe(
			'Mobilité : un calculateur d’itinéraires lotois'
		);
		const live = JSON.parse(text((await openDataFile(db, 'plan'))!.body)) as PlanDocument;
		const liveFiche = live.fiches.find((f) => f.code === '17-1')!;
		expect(liveFiche.title).toBe('Mobilité : un calculateur d’itinéraires lotois');
		expect(liveFiche.owners).toEqual([{ organisation: 'Département du Lot', scope: 'Pilotage' }]);
		expect(liveFiche.indicators[0]).toMatchObject({
			label: 'Nombre d’itinéraires calculés',
			target: 5000,
			kind: 'count',
			target_date: '2027-12-31',
			baseline: 120,
			baseline_date: '2020-01-01',
			retired_on: null
		});
		expect(live.axes[0]!.label).toBe('Axe renommé après le bilan');
	});

	it('the migration backfills an edition published before it, taken back through the revisions', async () => {
		await publish(2019, new Date('2020-01-20T10:00:00Z'));
		const published = await db
			.selectFrom('edition')
			.select(['snapshot', 'frozen_texts'])
			.where('year', '=', 2019)
			.executeTakeFirstOrThrow();
		await editThePlan(new Date('2020-02-01T10:00:00Z'));
		const objective = await db
			.selectFrom('objective')
			.select('id')
			.where('number', '=', 4)
			.executeTakeFirstOrThrow();
		const added = await createFiche(
			db,
			admin,
			{ objectiveId: objective.id, title: 'Fiche ajoutée', reason: 'Ajout', decisionId: null },
			null,
			new Date('2020-02-02T10:00:00Z')
		);
		expect(added).toEqual({ ok: true, value: { code: '4-2' } });

		// The edition as the migration finds it: published, without its frozen plan.
		await sql`DROP TRIGGER edition_published_is_frozen`.execute(db);
		await sql`UPDATE edition SET snapshot = json_remove(snapshot, '$.frozenPlan'), frozen_texts = NULL`.execute(
			db
		);
		await backfillFrozenPlans(db as unknown as Kysely<unknown>);
		const backfilled = await db
			.selectFrom('edition')
			.select(['snapshot', 'frozen_texts'])
			.where('year', '=', 2019)
			.executeTakeFirstOrThrow();
		const plan = (row: typeof published) =>
			(JSON.parse(row.snapshot!) as { frozenPlan: FrozenPlan }).frozenPlan;
		// Titles and labels come back from the revisions; owners and targets are the migration's.
		const { fiches, ...structure } = plan(backfilled);
		const { fiches: before, ...structureBefore } = plan(published);
		expect(structure).toEqual(structureBefore);
		const at = (list: FrozenFiche[]) => list.find((f) => f.code === '17-1')!;
		expect(at(fiches)).toEqual({
			...at(before),
			owners: [{ organisation: 'Département du Lot', scope: 'Pilotage', note: null }],
			indicators: [
				{
					...at(before).indicators[0],
					target: 5000,
					targetDate: '2027-12-31',
					baseline: 120,
					baselineDate: '2020-01-01'
				}
			]
		});
		expect(fiches.filter((f) => f.code !== '17-1')).toEqual(
			before.filter((f) => f.code !== '17-1')
		);
		// Fiche 4-2, added after the publication, is left out.
		expect(JSON.parse(backfilled.frozen_texts!)).toEqual(JSON.parse(published.frozen_texts!));
	});

	it('plan.json gives an indicator retired just after midnight in Paris that Paris day', async () => {
		// Retired by a workbook import (plan-import.ts stamps it `now.toISOString()`) at 00:30 on
		// 2 February 2020 in Paris, still 1 February in UTC; the fiche's form writes the Paris day.
		const indicator = (await findFicheByCode(db, '17-1'))!.indicators[0]!;
		await retireIndicator(db, indicator.id, '2020-02-01T23:30:00.000Z');
		const live = JSON.parse(text((await openDataFile(db, 'plan'))!.body)) as PlanDocument;
		expect(live.fiches.find((f) => f.code === '17-1')!.indicators[0]!.retired_on).toBe(
			'2020-02-02'
		);
	});

	it('plan.json gives a retired indicator its day, and an edition dated before it none', async () => {
		await editThePlan(new Date('2020-02-01T10:00:00Z'), { [indicatorRowField(0, 'retire')]: 'on' });
		const live = JSON.parse(text((await openDataFile(db, 'plan'))!.body)) as PlanDocument;
		expect(live.fiches.find((f) => f.code === '17-1')!.indicators[0]!.retired_on).toBe(
			'2020-02-01'
		);
		await publish(2019, new Date('2020-03-01T10:00:00Z'));
		const frozen = JSON.parse(
			text((await findPublishedFile(db, 2019, 'plan'))!.body)
		) as PlanDocument;
		expect(frozen.fiches.find((f) => f.code === '17-1')!.indicators[0]!.retired_on).toBeNull();
		const frozenPage = (await findFrozenFiche(db, 2019, '17-1'))!;
		const indicator = frozenPage.plan!.fiches.find((f) => f.code === '17-1')!.indicators[0]!;
		expect(indicator).toMatchObject({ label: 'Nombre d’itinéraires calculés', retired: true });
		expect(targetText(indicator)).toBe('5\u202f000 au 31\u00a0décembre\u00a02027');
		expect(baselineText(indicator)).toBe('120 au 1er\u00a0janvier\u00a02020');
	});

	it('plan.json and the fiche pages of an edition leave out an indicator added after its date, in the form or by an import', async () => {
		const rank = (await findFicheState(db, '17-1'))!.indicators.length;
		await editThePlan(new Date('2020-02-01T10:00:00Z'), {
			[indicatorRowField(rank, 'label')]: 'Nombre de communes raccordées',
			[indicatorRowField(rank, 'kind')]: 'count'
		});
		const labels = (document: PlanDocument, code: string) =>
			document.fiches.find((f) => f.code === code)!.indicators.map((i) => i.label);
		// What an import records: a revision of the indicator itself.
		const imported = await db
			.selectFrom('indicator')
			.innerJoin('fiche', 'fiche.id', 'indicator.fiche_id')
			.select(['indicator.id', 'indicator.fiche_id as ficheId', 'indicator.label'])
			.where('fiche.code', '=', '1-1')
			.orderBy('indicator.position')
			.executeTakeFirstOrThrow();
		await insertRevision(db, {
			entity: 'indicator',
			entityId: imported.id,
			ficheId: imported.ficheId,
			action: 'created',
			changes: [{ field: 'label', label: 'Libellé', before: '', after: imported.label }],
			reason: 'Classeur du plan',
			decisionId: null,
			origin: 'import',
			userId: null,
			createdAt: '2020-02-01T10:00:00.000Z'
		});
		const live = JSON.parse(text((await openDataFile(db, 'plan'))!.body)) as PlanDocument;
		expect(labels(live, '17-1')).toContain('Nombre de communes raccordées');
		expect(labels(live, '1-1')).toContain(imported.label);

		await publish(2019, new Date('2020-03-01T10:00:00Z'));
		const frozen = JSON.parse(
			text((await findPublishedFile(db, 2019, 'plan'))!.body)
		) as PlanDocument;
		expect(labels(frozen, '17-1')).toHaveLength(rank);
		expect(labels(frozen, '17-1')).not.toContain('Nombre de communes raccordées');
		expect(labels(frozen, '1-1')).not.toContain(imported.label);
		// The edition's fiche pages read its frozen plan: the same indicators.
		const pageLabels = async (code: string) =>
			(await findFrozenFiche(db, 2019, code))!
				.plan!.fiches.find((f) => f.code === code)!
				.indicators.map((i) => i.label);
		expect(await pageLabels('17-1')).toEqual(labels(frozen, '17-1'));
		expect(await pageLabels('1-1')).not.toContain(imported.label);
	});
});
