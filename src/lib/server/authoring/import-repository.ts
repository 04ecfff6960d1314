import { organisationNameKey, sortByName } from '../../utils/text';
import { cellToRichText, isRichText, richTextToCell, type RichText } from '../../utils/rich-text';
import type { Executor } from '../db';
import type { FicheStatus } from '../db/schema';
import { closedDecisions } from '../commission/repository';
import { listIndicatorSummaries } from '../opendata/repository';
import {
	FICHE_TEXT_COLUMNS,
	ficheOwners,
	fichePartners,
	INDICATOR_COLUMNS,
	listObjectives,
	mergedInto,
	nested,
	planQuery,
	type PlanInfo,
	inPlanOrder
} from '../plan/repository';
import {
	type AxisRow,
	type FicheRow,
	type IndicatorRow,
	type ObjectiveRow,
	type OrganisationRow,
	type OrientationRow,
	type PersonRow,
	type PlanModel,
	type RetiredOrganisation
} from './plan-model';
import {
	insertAxis,
	insertObjective,
	insertOrientation,
	updateAxis,
	updateObjective,
	updateOrientation,
	replaceLinks,
	replaceOwners,
	replacePartners
} from './repository';
import type { LatestValue } from './workbook';

/** SQL of the plan's workbook: the current plan as rows, and the writes of an import. */

function textCell(json: string): string {
	const parsed: unknown = JSON.parse(json);
	return isRichText(parsed) ? richTextToCell(parsed) : '';
}

function richJson(cell: string): string {
	const text: RichText = cellToRichText(cell);
	return JSON.stringify(text);
}

/** The organisations retired from the plan (fiches may still name them), by identifier. */
export async function listRetiredOrganisations(db: Executor): Promise<RetiredOrganisation[]> {
	return db
		.selectFrom('organisation')
		.select((eb) => [
			'organisation.slug',
			'organisation.name',
			'organisation.full_name as fullName',
			'organisation.kind',
			'organisation.retired_at as retiredAt',
			// Merged into another, its name is one of that other's former names.
			mergedInto(eb, 'kept.name').as('mergedInto')
		])
		.where('organisation.retired_at', 'is not', null)
		.$narrowType<{ retiredAt: string }>()
		.orderBy('organisation.slug')
		.execute();
}

/** The keys of the axes, orientations and objectives withdrawn from the plan (see `diffPlans`). */
export async function listRetiredStructureKeys(db: Executor): Promise<Set<string>> {
	const rows = await db
		.selectFrom('axis')
		.select((eb) => [eb.val('axis').as('entity'), 'code as key'])
		.where('retired_at', 'is not', null)
		.unionAll(
			db
				.selectFrom('orientation')
				.select((eb) => [eb.val('orientation').as('entity'), 'code as key'])
				.where('retired_at', 'is not', null)
		)
		.unionAll(
			db
				.selectFrom('objective')
				.select((eb) => [
					eb.val('objective').as('entity'),
					eb.cast<string>('number', 'text').as('key')
				])
				.where('retired_at', 'is not', null)
		)
		.execute();
	return new Set(rows.map((r) => `${r.entity}:${r.key}`));
}

/**
 * The plan as it stands (retired fiches and indicators, withdrawn axes, orientations and
 * objectives left out), in the workbook's order.
 */
export async function loadPlanModel(db: Executor): Promise<PlanModel> {
	const [plan, axes, orientations, objectives, organisations, fiches, links, retired] =
		await Promise.all([
			planQuery(db).executeTakeFirst(),
			listLiveAxes(db),
			listLiveOrientations(db),
			listObjectives(db),
			listLiveOrganisations(db),
			listLiveFiches(db),
			listLiveLinks(db),
			listRetiredOrganisations(db)
		]);
	const indicators = await listLiveIndicators(db);
	return {
		plan: (plan satisfies PlanInfo | undefined) ?? null,
		axes: axes satisfies AxisRow[],
		orientations: orientations satisfies OrientationRow[],
		objectives: objectives satisfies ObjectiveRow[],
		organisations: organisations satisfies OrganisationRow[],
		// The texts are RichText JSON in the base, a cell's text in the workbook.
		fiches: fiches.map(({ owners: _owners, partners: _partners, ...f }): FicheRow => ({
			...f,
			context: textCell(f.context),
			existing: textCell(f.existing),
			description: textCell(f.description),
			successFactors: textCell(f.successFactors)
		})),
		people: fiches.flatMap(peopleRows),
		links,
		retiredOrganisations: retired,
		indicators: indicators satisfies IndicatorRow[]
	};
}

/** The axes not withdrawn, in their order. */
function listLiveAxes(db: Executor) {
	return db
		.selectFrom('axis')
		.select(['code', 'short_name as shortName', 'label'])
		.where('retired_at', 'is', null)
		.orderBy('position')
		.orderBy('id')
		.execute();
}

/** The orientations not withdrawn, axis by axis in their order. */
function listLiveOrientations(db: Executor) {
	return db
		.selectFrom('orientation')
		.innerJoin('axis', 'axis.id', 'orientation.axis_id')
		.select(['orientation.code', 'axis.code as axis', 'orientation.label'])
		.where('orientation.retired_at', 'is', null)
		.orderBy('axis.position')
		.orderBy('orientation.position')
		.orderBy('orientation.id')
		.execute();
}

/** The organisations not retired, in French order of their names. */
function listLiveOrganisations(db: Executor) {
	return db
		.selectFrom('organisation')
		.select(['slug', 'name', 'full_name as fullName', 'kind'])
		.where('retired_at', 'is', null)
		.execute()
		.then(sortByName);
}

/**
 * The organisations not retired, each with its former names (renamed, or another merged into it):
 * what the workbook's rows may still call them (readOrganisations, workbook.ts).
 */
export async function listLiveOrganisationNames(db: Executor) {
	const organisations = await listLiveOrganisations(db);
	const aliases = await db
		.selectFrom('organisation_alias')
		.innerJoin('organisation', 'organisation.id', 'organisation_alias.organisation_id')
		.select(['organisation.slug', 'organisation_alias.name'])
		.where('organisation.retired_at', 'is', null)
		.orderBy('organisation_alias.id')
		.execute();
	return organisations.map((o) => ({
		slug: o.slug,
		name: o.name,
		formerNames: aliases.filter((a) => a.slug === o.slug).map((a) => a.name)
	}));
}

/** The fiches not retired, in the plan's order, each with its texts, owners and partners. */
function listLiveFiches(db: Executor) {
	return db
		.selectFrom('fiche')
		.innerJoin('objective', 'objective.id', 'fiche.objective_id')
		.select((eb) => [
			'fiche.code',
			'objective.number as objective',
			'fiche.title',
			'fiche.short_title as shortTitle',
			'fiche.priority',
			...FICHE_TEXT_COLUMNS,
			ficheOwners(eb).as('owners'),
			fichePartners(eb).as('partners')
		])
		.where('fiche.retired_on', 'is', null)
		.$call(inPlanOrder)
		.execute();
}

/** The links between fiches not retired, fiche by fiche in each one's order. */
function listLiveLinks(db: Executor) {
	return db
		.selectFrom('fiche_link')
		.innerJoin('fiche as f', 'f.id', 'fiche_link.fiche_id')
		.innerJoin('fiche as l', 'l.id', 'fiche_link.linked_fiche_id')
		.select(['f.code as fiche', 'l.code as linked'])
		.where('f.retired_on', 'is', null)
		.where('l.retired_on', 'is', null)
		.orderBy('fiche_link.fiche_id')
		.orderBy('fiche_link.position')
		.execute();
}

/** The indicators not retired of the fiches not retired, in the plan's order. */
function listLiveIndicators(db: Executor) {
	return db
		.selectFrom('indicator')
		.innerJoin('fiche', 'fiche.id', 'indicator.fiche_id')
		.innerJoin('objective', 'objective.id', 'fiche.objective_id')
		.select(['fiche.code as fiche', 'indicator.position', ...INDICATOR_COLUMNS])
		.where('fiche.retired_on', 'is', null)
		.where('indicator.retired_at', 'is', null)
		.$call(inPlanOrder)
		.orderBy('indicator.position')
		.execute();
}

/** A fiche's owners then its partners, as the workbook's rows of people. */
function peopleRows(f: Awaited<ReturnType<typeof listLiveFiches>>[number]): PersonRow[] {
	return [
		...nested(f.owners).map((o): PersonRow => ({
			fiche: f.code,
			role: 'owner',
			organisation: o.slug,
			detail: o.scope,
			note: o.note
		})),
		...nested(f.partners).map((p): PersonRow => ({
			fiche: f.code,
			role: 'partner',
			organisation: p.slug,
			detail: p.detail,
			note: null
		}))
	];
}

/** The latest published measurement of each indicator, by « fiche#N ». */
export async function loadLatestValues(db: Executor): Promise<Map<string, LatestValue>> {
	const [summaries, fiches] = await Promise.all([
		listIndicatorSummaries(db),
		db.selectFrom('fiche').select(['id', 'code']).execute()
	]);
	const codes = new Map(fiches.map((f) => [f.id, f.code]));
	const latest = new Map<string, LatestValue>();
	for (const s of summaries)
		if (s.latest) latest.set(`${codes.get(s.ficheId)}#${s.position}`, s.latest);
	return latest;
}

/** Ids by key, for the writes of an import. */
export interface PlanIds {
	axes: Map<string, number>;
	orientations: Map<string, number>;
	objectives: Map<number, number>;
	organisations: Map<string, number>;
	fiches: Map<string, number>;
	/** « fiche#N » → indicator id (retired ones included). */
	indicators: Map<string, number>;
}

export async function loadPlanIds(db: Executor): Promise<PlanIds> {
	const [axes, orientations, objectives, organisations, fiches, indicators] = await Promise.all([
		db.selectFrom('axis').select(['id', 'code']).execute(),
		db.selectFrom('orientation').select(['id', 'code']).execute(),
		db.selectFrom('objective').select(['id', 'number']).execute(),
		db.selectFrom('organisation').select(['id', 'slug']).execute(),
		db.selectFrom('fiche').select(['id', 'code']).execute(),
		db
			.selectFrom('indicator')
			.innerJoin('fiche', 'fiche.id', 'indicator.fiche_id')
			.select(['indicator.id', 'fiche.code', 'indicator.position'])
			.execute()
	]);
	return {
		axes: new Map(axes.map((r) => [r.code, r.id])),
		orientations: new Map(orientations.map((r) => [r.code, r.id])),
		objectives: new Map(objectives.map((r) => [r.number, r.id])),
		organisations: new Map(organisations.map((r) => [r.slug, r.id])),
		fiches: new Map(fiches.map((r) => [r.code, r.id])),
		indicators: new Map(indicators.map((r) => [`${r.code}#${r.position}`, r.id]))
	};
}

/** Each fiche's status as stored (code → status), for what the import's preview says it was. */
export async function listFicheStatuses(db: Executor): Promise<Map<string, FicheStatus>> {
	const rows = await db.selectFrom('fiche').select(['code', 'status']).execute();
	return new Map(rows.map((r) => [r.code, r.status]));
}

/** Fiche codes that exist but were retired (an import may not bring them back under that code). */
export async function listRetiredFicheCodes(db: Executor): Promise<string[]> {
	const rows = await db
		.selectFrom('fiche')
		.select('code')
		.where('retired_on', 'is not', null)
		.execute();
	return rows.map((r) => r.code);
}

/**
 * The retired indicators of the fiches still in the plan, by « fiche#N »: the workbook leaves them
 * out, but their N° stays theirs (their measurements are published under it).
 */
export async function listRetiredIndicators(
	db: Executor
): Promise<Map<string, { label: string; retiredAt: string }>> {
	const rows = await db
		.selectFrom('indicator')
		.innerJoin('fiche', 'fiche.id', 'indicator.fiche_id')
		.select([
			'fiche.code',
			'indicator.position',
			'indicator.label',
			'indicator.retired_at as retiredAt'
		])
		.where('fiche.retired_on', 'is', null)
		.where('indicator.retired_at', 'is not', null)
		.execute();
	return new Map(
		rows.map((r) => [`${r.code}#${r.position}`, { label: r.label, retiredAt: r.retiredAt! }])
	);
}

/**
 * What changed fiches outside the workbook's cells since it was exported at plan revision
 * `afterRevision`: each fiche abandoned since (when, by whom), and each fiche whose priority a
 * sitting closed since changed (the sitting's day). Latest first.
 */
export async function listFicheEventsAfter(
	db: Executor,
	afterRevision: number
): Promise<{
	abandoned: { code: string; at: string; by: string | null }[];
	priority: { code: string; heldOn: string }[];
}> {
	const abandoned = await db
		.selectFrom('plan_revision as r')
		.innerJoin('fiche as f', 'f.id', 'r.entity_id')
		.leftJoin('user_account as u', 'u.id', 'r.user_id')
		.select(['f.code', 'r.created_at as at', 'u.name as by'])
		.where('r.entity', '=', 'fiche')
		.where('r.action', '=', 'retired')
		.where('r.id', '>', afterRevision)
		.orderBy('r.id', 'desc')
		.execute();
	const priority = await closedDecisions(db)
		.select(['decided_fiche.code', 'commission_session.held_on as heldOn'])
		.where('decision.kind', '=', 'priority')
		.where('decided_fiche.code', 'is not', null)
		.where('commission_session.deleted_at', 'is', null)
		.where('commission_session.closed_at', '>', (eb) =>
			eb.selectFrom('plan_revision').select('created_at').where('id', '=', afterRevision)
		)
		.orderBy('commission_session.closed_at', 'desc')
		.$narrowType<{ code: string }>()
		.execute();
	return { abandoned, priority };
}

export async function savePlanInfo(db: Executor, plan: PlanInfo, exists: boolean): Promise<void> {
	const values = {
		title: plan.title,
		territory: plan.territory,
		period_start: plan.periodStart,
		period_end: plan.periodEnd,
		adopted_on: plan.adoptedOn,
		finalised_on: plan.finalisedOn,
		source: plan.source
	};
	if (exists) await db.updateTable('plan').set(values).where('id', '=', 1).execute();
	else
		await db
			.insertInto('plan')
			.values({ id: 1, ...values })
			.execute();
}

/**
 * Positions are unique: the axes or orientations about to move are set aside (negative positions)
 * before each takes its new place, so that no two share a position in between.
 */
export async function setPositionsAside(
	db: Executor,
	table: 'axis' | 'orientation',
	ids: number[]
): Promise<void> {
	if (ids.length === 0) return;
	await db
		.updateTable(table)
		.set((eb) => ({ position: eb.neg(eb.ref('id')) }))
		.where('id', 'in', ids)
		.execute();
}

/** Puts an axis or an orientation at `position`, nothing else changed (its version neither). */
export async function setPosition(
	db: Executor,
	table: 'axis' | 'orientation',
	id: number,
	position: number
): Promise<void> {
	await db.updateTable(table).set({ position }).where('id', '=', id).execute();
}

export async function saveAxis(
	db: Executor,
	id: number | undefined,
	axis: AxisRow,
	position: number
): Promise<number> {
	const fields = { code: axis.code, shortName: axis.shortName, label: axis.label, position };
	if (id === undefined) return insertAxis(db, fields);
	await updateAxis(db, id, fields);
	return id;
}

export async function saveOrientation(
	db: Executor,
	id: number | undefined,
	orientation: OrientationRow,
	axisId: number,
	position: number
): Promise<number> {
	const fields = { code: orientation.code, axisId, label: orientation.label, position };
	if (id === undefined) return insertOrientation(db, fields);
	await updateOrientation(db, id, fields);
	return id;
}

export async function saveObjective(
	db: Executor,
	id: number | undefined,
	objective: ObjectiveRow,
	orientationId: number
): Promise<number> {
	const fields = {
		number: objective.number,
		orientationId,
		label: objective.label,
		synthesisLabel: objective.synthesisLabel
	};
	if (id === undefined) return insertObjective(db, fields);
	await updateObjective(db, id, fields);
	return id;
}

export async function saveOrganisation(
	db: Executor,
	id: number | undefined,
	organisation: OrganisationRow
): Promise<number> {
	const values = {
		slug: organisation.slug,
		name: organisation.name,
		full_name: organisation.fullName,
		kind: organisation.kind
	};
	if (id !== undefined) {
		// Listed in the workbook: in use again if it had been retired.
		await db
			.updateTable('organisation')
			.set((eb) => ({ ...values, retired_at: null, version: eb('version', '+', 1) }))
			.where('id', '=', id)
			.execute();
		return id;
	}
	const row = await db
		.insertInto('organisation')
		.values(values)
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/**
 * Gives an organisation a name no other can have (its id), until the import gives it its new one:
 * two organisations may then swap names in one import.
 */
export async function releaseOrganisationName(db: Executor, id: number): Promise<void> {
	await db
		.updateTable('organisation')
		.set({ name: `(renommage en cours ${id})` })
		.where('id', '=', id)
		.execute();
}

/**
 * Forgets the former names of other organisations that are `name` (now `organisationId`'s) by the
 * key the workbook and the admin form compare names with (`organisationNameKey`: capitals, accents,
 * spaces, punctuation and full-width letters aside; SQLite's lower() folds only A to Z, « État »
 * stayed another's former name). The aliases are a few dozen: compared here.
 */
export async function dropOtherAliasesNamed(
	db: Executor,
	name: string,
	organisationId: number
): Promise<void> {
	const aliases = await db
		.selectFrom('organisation_alias')
		.select(['id', 'name'])
		.where('organisation_id', '!=', organisationId)
		.execute();
	const key = organisationNameKey(name);
	const ids = aliases.filter((a) => organisationNameKey(a.name) === key).map((a) => a.id);
	if (ids.length > 0) await db.deleteFrom('organisation_alias').where('id', 'in', ids).execute();
}

/** Keeps the old name findable when an import renames an organisation. */
export async function addOrganisationAlias(
	db: Executor,
	organisationId: number,
	name: string,
	now: string
): Promise<void> {
	// No name, nothing to find it by (a restored organisation has no name to give up).
	if (name.trim() === '') return;
	await db
		.insertInto('organisation_alias')
		.values({ organisation_id: organisationId, name, created_at: now })
		.onConflict((oc) => oc.doNothing())
		.execute();
}

export async function saveFiche(
	db: Executor,
	id: number | undefined,
	fiche: FicheRow,
	objectiveId: number
): Promise<number> {
	const values = {
		code: fiche.code,
		objective_id: objectiveId,
		number: Number(fiche.code.split('-')[1]),
		title: fiche.title,
		short_title: fiche.shortTitle,
		context: richJson(fiche.context),
		existing: richJson(fiche.existing),
		description: richJson(fiche.description),
		success_factors: richJson(fiche.successFactors),
		owners_note: fiche.ownersNote
	};
	if (id !== undefined) {
		await db
			.updateTable('fiche')
			.set((eb) => ({ ...values, version: eb('version', '+', 1) }))
			.where('id', '=', id)
			.execute();
		return id;
	}
	const row = await db
		.insertInto('fiche')
		.values({
			...values,
			priority: fiche.priority,
			adopted_priority: fiche.priority,
			search_text: ''
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/**
 * Replaces a fiche's owners, partners and links by the workbook's (in its order). Its links to
 * abandoned fiches, which the workbook does not show, are kept after the others.
 */
export async function replaceFicheRelations(
	db: Executor,
	ficheId: number,
	people: {
		role: 'owner' | 'partner';
		organisationId: number;
		detail: string | null;
		note: string | null;
	}[],
	linkedIds: number[]
): Promise<void> {
	const abandoned = await db
		.selectFrom('fiche_link')
		.innerJoin('fiche as l', 'l.id', 'fiche_link.linked_fiche_id')
		.select('fiche_link.linked_fiche_id as id')
		.where('fiche_link.fiche_id', '=', ficheId)
		.where('l.retired_on', 'is not', null)
		.orderBy('fiche_link.position')
		.execute();
	await replaceOwners(
		db,
		ficheId,
		people
			.filter((p) => p.role === 'owner')
			.map((o) => ({ organisationId: o.organisationId, scope: o.detail, note: o.note }))
	);
	await replacePartners(
		db,
		ficheId,
		people
			.filter((p) => p.role === 'partner')
			.map((p) => ({ organisationId: p.organisationId, detail: p.detail }))
	);
	await replaceLinks(db, ficheId, [
		...linkedIds,
		...abandoned.map((l) => l.id).filter((id) => !linkedIds.includes(id))
	]);
}

/**
 * The workbook's « abandonnée » for a fiche, with its reason and day: written by the import, in its
 * transaction, whatever the fiche's version (authoring/repository's markFicheRetired checks it).
 */
export async function abandonFicheFromWorkbook(
	db: Executor,
	ficheId: number,
	reason: string,
	on: string
): Promise<void> {
	await db
		.updateTable('fiche')
		.set((eb) => ({
			status: 'abandonnee',
			retired_reason: reason,
			retired_on: on,
			version: eb('version', '+', 1)
		}))
		.where('id', '=', ficheId)
		.execute();
}

/**
 * A fiche whose indicators, owners, partners or links an import changes moves to its next
 * version, as when its form saves them: a form opened before is refused with the import's lines
 * (it would otherwise write back what it read, undoing the import without a word).
 */
export async function nextFicheVersion(db: Executor, ficheId: number) {
	await db
		.updateTable('fiche')
		.set((eb) => ({ version: eb('version', '+', 1) }))
		.where('id', '=', ficheId)
		.execute();
}

/**
 * Adds an indicator, or writes the `fields` an import changes of one (their names are its
 * columns'): the others keep their stored value; its fiche's version moves on. A target or a baseline the comparison judged
 * unchanged at the workbook's 15 digits keeps the 16 the fiche's form may have saved
 * (1234567890.123456 was written back 1234567890.12346 by an import changing only the label).
 */
export async function saveIndicator(
	db: Executor,
	id: number | undefined,
	indicator: IndicatorRow,
	ficheId: number,
	fields: readonly string[]
): Promise<number> {
	const values = {
		fiche_id: ficheId,
		position: indicator.position,
		label: indicator.label,
		unit: indicator.unit,
		kind: indicator.kind,
		target: indicator.target,
		target_date: indicator.targetDate,
		baseline: indicator.baseline,
		baseline_date: indicator.baselineDate
	};
	if (id !== undefined) {
		const changed = Object.fromEntries(
			Object.entries(values).filter(([column]) => fields.includes(column))
		) as Partial<typeof values>;
		if (Object.keys(changed).length > 0) {
			await db.updateTable('indicator').set(changed).where('id', '=', id).execute();
			await nextFicheVersion(db, ficheId);
		}
		return id;
	}
	const row = await db
		.insertInto('indicator')
		.values(values)
		.returning('id')
		.executeTakeFirstOrThrow();
	await nextFicheVersion(db, ficheId);
	return row.id;
}

/** Retires an indicator (its measurements stay); its fiche's version moves on (nextFicheVersion). */
export async function retireIndicator(db: Executor, id: number, at: string): Promise<void> {
	const { fiche_id } = await db
		.updateTable('indicator')
		.set({ retired_at: at })
		.where('id', '=', id)
		.returning('fiche_id')
		.executeTakeFirstOrThrow();
	await nextFicheVersion(db, fiche_id);
}

/** Whether the database holds a plan yet (an import into an empty one creates it). */
export async function planExists(db: Executor): Promise<boolean> {
	return (await db.selectFrom('plan').select('id').executeTakeFirst()) !== undefined;
}

/** The plan's territory and title, to tell the Lot plan (seeded with its history) from another. */
export async function readPlanIdentity(
	db: Executor
): Promise<{ title: string; territory: string } | undefined> {
	return db
		.selectFrom('plan')
		.select(['title', 'territory'])
		.where('id', '=', 1)
		.executeTakeFirst();
}
