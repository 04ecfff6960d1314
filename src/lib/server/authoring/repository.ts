import { sortByName } from '../../utils/text';
import type { ExpressionBuilder, Insertable, Updateable } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/sqlite';
import type { Executor } from '../db';
import type { FieldChange } from '../result';
import { closedDecisions } from '../commission/repository';
import {
	FICHE_TEXT_COLUMNS,
	ficheLinkedFiches,
	ficheOwners,
	INDICATOR_COLUMNS,
	fichePartners,
	nested,
	type FicheOwner,
	type FichePartner,
	inPlanOrder
} from '../plan/repository';
import type { Database, FicheStatus, PlanRevisionTable } from '../db/schema';
import type { IndicatorDefinition } from '../../utils/indicator-target';
import { apartFromPlanLoad, listFicheMoves } from './revisions-repository';
import { withoutUnitEchoes } from './fiche-changes';

/** An indicator of a fiche as stored now (FicheState); a workbook's row is plan-model's `IndicatorRow`. */
export interface IndicatorState extends IndicatorDefinition {
	id: number;
	retiredAt: string | null;
}

/** Everything an admin may edit on a fiche, as stored now. Texts are RichText JSON. */
export interface FicheState {
	id: number;
	code: string;
	number: number;
	version: number;
	objectiveId: number;
	title: string;
	shortTitle: string | null;
	context: string;
	existing: string;
	description: string;
	successFactors: string;
	ownersNote: string | null;
	priority: number;
	status: FicheStatus;
	owners: FicheOwner[];
	partners: FichePartner[];
	links: { ficheId: number; code: string }[];
	indicators: IndicatorState[];
}

/** The fiche with its owners, partners, links and indicators, in one statement (nested lists). */
export async function findFicheState(db: Executor, code: string): Promise<FicheState | undefined> {
	const row = await db
		.selectFrom('fiche')
		.select((eb) => [
			'fiche.id',
			'fiche.code',
			'fiche.number',
			'fiche.version',
			'fiche.objective_id as objectiveId',
			'fiche.title',
			'fiche.short_title as shortTitle',
			...FICHE_TEXT_COLUMNS,
			'fiche.priority',
			'fiche.status',
			ficheOwners(eb).as('owners'),
			fichePartners(eb).as('partners'),
			ficheLinkedFiches(eb).as('links'),
			jsonArrayFrom(
				eb
					.selectFrom('indicator')
					.select(['indicator.id', ...INDICATOR_COLUMNS, 'indicator.retired_at as retiredAt'])
					.whereRef('indicator.fiche_id', '=', 'fiche.id')
					.orderBy('indicator.position')
			).as('indicators')
		])
		.where('fiche.code', '=', code)
		.executeTakeFirst();
	if (!row) return undefined;
	return {
		...row,
		owners: nested(row.owners),
		partners: nested(row.partners),
		links: nested(row.links),
		indicators: nested(row.indicators)
	};
}

export interface ObjectiveChoice {
	id: number;
	number: number;
	label: string;
	orientationLabel: string;
}

export async function listObjectiveChoices(db: Executor): Promise<ObjectiveChoice[]> {
	return db
		.selectFrom('objective')
		.innerJoin('orientation', 'orientation.id', 'objective.orientation_id')
		.select([
			'objective.id',
			'objective.number',
			'objective.label',
			'orientation.label as orientationLabel'
		])
		.where('objective.retired_at', 'is', null)
		.orderBy('objective.number')
		.execute();
}

/** Organisations an owner or partner may be chosen from: those not retired, by name. */
export async function listOrganisationChoices(
	db: Executor
): Promise<{ id: number; name: string }[]> {
	return db
		.selectFrom('organisation')
		.select(['id', 'name'])
		.where('retired_at', 'is', null)
		.execute()
		.then(sortByName);
}

export async function listFicheChoices(
	db: Executor
): Promise<{ id: number; code: string; title: string }[]> {
	return db
		.selectFrom('fiche')
		.innerJoin('objective', 'objective.id', 'fiche.objective_id')
		.select(['fiche.id', 'fiche.code', 'fiche.title'])
		.$call(inPlanOrder)
		.execute();
}

export interface DecisionChoice {
	id: number;
	heldOn: string;
	sittingTitle: string;
	ficheCode: string | null;
	text: string;
}

/** The decisions of closed sittings, newest sitting first: what an edit may say it applies. */
export async function listDecisionChoices(db: Executor): Promise<DecisionChoice[]> {
	return decisionChoices(db)
		.orderBy('commission_session.held_on', 'desc')
		.orderBy('agenda_item.position')
		.orderBy('decision.id')
		.execute();
}

export async function findClosedDecision(
	db: Executor,
	id: number
): Promise<DecisionChoice | undefined> {
	return decisionChoices(db).where('decision.id', '=', id).executeTakeFirst();
}

/** A closed sitting's decision as an edit of the plan may cite it. */
function decisionChoices(db: Executor) {
	return closedDecisions(db).select([
		'decision.id',
		'commission_session.held_on as heldOn',
		'commission_session.title as sittingTitle',
		'decided_fiche.code as ficheCode',
		'decision.text'
	]);
}

export interface FicheFields {
	code: string;
	number: number;
	objectiveId: number;
	title: string;
	shortTitle: string | null;
	context: string;
	existing: string;
	description: string;
	successFactors: string;
	ownersNote: string | null;
}

/**
 * Writes a fiche's own fields only if nobody changed it since `version` (optimistic concurrency),
 * and bumps the version. False when the fiche moved on meanwhile.
 */
export async function updateFicheFields(
	db: Executor,
	id: number,
	version: number,
	fields: FicheFields
): Promise<boolean> {
	const result = await db
		.updateTable('fiche')
		.set({
			code: fields.code,
			number: fields.number,
			objective_id: fields.objectiveId,
			title: fields.title,
			short_title: fields.shortTitle,
			context: fields.context,
			existing: fields.existing,
			description: fields.description,
			success_factors: fields.successFactors,
			owners_note: fields.ownersNote,
			version: version + 1
		})
		.where('id', '=', id)
		.where('version', '=', version)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

// A fiche's owners, partners and links are numbered from 0 in their order, as the initial plan
// and the workbook import write them (replaceFicheRelations calls these three); the position is
// read for ordering only.

export async function replaceOwners(
	db: Executor,
	ficheId: number,
	owners: { organisationId: number; scope: string | null; note: string | null }[]
): Promise<void> {
	await db.deleteFrom('fiche_owner').where('fiche_id', '=', ficheId).execute();
	if (owners.length > 0)
		await db
			.insertInto('fiche_owner')
			.values(
				owners.map((o, i) => ({
					fiche_id: ficheId,
					organisation_id: o.organisationId,
					scope: o.scope,
					note: o.note,
					position: i
				}))
			)
			.execute();
}

export async function replacePartners(
	db: Executor,
	ficheId: number,
	partners: { organisationId: number; detail: string | null }[]
): Promise<void> {
	await db.deleteFrom('fiche_partner').where('fiche_id', '=', ficheId).execute();
	if (partners.length > 0)
		await db
			.insertInto('fiche_partner')
			.values(
				partners.map((p, i) => ({
					fiche_id: ficheId,
					organisation_id: p.organisationId,
					detail: p.detail,
					position: i
				}))
			)
			.execute();
}

export async function replaceLinks(
	db: Executor,
	ficheId: number,
	linkedIds: number[]
): Promise<void> {
	await db.deleteFrom('fiche_link').where('fiche_id', '=', ficheId).execute();
	if (linkedIds.length > 0)
		await db
			.insertInto('fiche_link')
			.values(
				linkedIds.map((linked, i) => ({
					fiche_id: ficheId,
					linked_fiche_id: linked,
					position: i
				}))
			)
			.execute();
}

export interface IndicatorFields extends IndicatorDefinition {
	retiredAt: string | null;
}

function indicatorColumns(fields: IndicatorFields) {
	return {
		label: fields.label,
		unit: fields.unit,
		kind: fields.kind,
		target: fields.target,
		target_date: fields.targetDate,
		baseline: fields.baseline,
		baseline_date: fields.baselineDate,
		retired_at: fields.retiredAt
	};
}

export async function updateIndicator(
	db: Executor,
	id: number,
	position: number,
	fields: IndicatorFields
): Promise<void> {
	await db
		.updateTable('indicator')
		.set({ ...indicatorColumns(fields), position })
		.where('id', '=', id)
		.execute();
}

export async function insertIndicator(
	db: Executor,
	ficheId: number,
	position: number,
	fields: IndicatorFields
): Promise<number> {
	const row = await db
		.insertInto('indicator')
		.values({ ...indicatorColumns(fields), fiche_id: ficheId, position })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/**
 * The codes already given in an objective: its fiches' (a retired fiche keeps its code), and those
 * its fiches had before they moved to another objective (a former address leads to them).
 */
export async function listObjectiveFicheNumbers(
	db: Executor,
	objectiveId: number
): Promise<number[]> {
	const rows = await db
		.selectFrom('fiche')
		.select('number')
		.where('objective_id', '=', objectiveId)
		.execute();
	const objective = await db
		.selectFrom('objective')
		.select('number')
		.where('id', '=', objectiveId)
		.executeTakeFirst();
	const prefix = `${objective?.number}-`;
	const former = (await listFicheMoves(db))
		.filter((move) => move.formerCode.startsWith(prefix))
		.map((move) => Number(move.formerCode.slice(prefix.length)));
	return [...rows.map((r) => r.number), ...former.filter(Number.isInteger)];
}

/**
 * Which of these organisations exist, by id: their name, and whether they are retired (a merged
 * one is retired). An id that names none is absent.
 */
export async function findOrganisationStates(
	db: Executor,
	ids: number[]
): Promise<Map<number, { name: string; retired: boolean }>> {
	if (ids.length === 0) return new Map();
	const rows = await db
		.selectFrom('organisation')
		.select(['id', 'name', 'retired_at as retiredAt'])
		.where('id', 'in', ids)
		.execute();
	return new Map(rows.map((row) => [row.id, { name: row.name, retired: row.retiredAt !== null }]));
}

/** The id of a fiche's indicator at its position, as the workbook names it. */
export async function findIndicatorId(
	db: Executor,
	code: string,
	position: number
): Promise<number | undefined> {
	const row = await db
		.selectFrom('indicator')
		.innerJoin('fiche', 'fiche.id', 'indicator.fiche_id')
		.select('indicator.id')
		.where('fiche.code', '=', code)
		.where('indicator.position', '=', position)
		.executeTakeFirst();
	return row?.id;
}

/** The distinct values an indicator was given in updates submitted or validated. */
export async function listIndicatorValues(db: Executor, indicatorId: number): Promise<number[]> {
	const rows = await db
		.selectFrom('measurement')
		.innerJoin('progress_update', 'progress_update.id', 'measurement.progress_update_id')
		.select('measurement.value')
		.distinct()
		.where('measurement.indicator_id', '=', indicatorId)
		.where('progress_update.state', 'in', ['submitted', 'validated'])
		.orderBy('measurement.value')
		.execute();
	return rows.map((r) => r.value);
}

/**
 * How many measurements of the indicator are published (their update validated: read on the
 * public pages and in the open data in the indicator's nature and unit), and how many are
 * submitted, not validated yet (typed in its unit of today, read in the new one once validated).
 */
export async function countMeasurements(
	db: Executor,
	indicatorId: number
): Promise<{ published: number; submitted: number }> {
	const rows = await db
		.selectFrom('measurement')
		.innerJoin('progress_update', 'progress_update.id', 'measurement.progress_update_id')
		.select((eb) => ['progress_update.state', eb.fn.countAll<number>().as('count')])
		.where('measurement.indicator_id', '=', indicatorId)
		.where('progress_update.state', 'in', ['submitted', 'validated'])
		.groupBy('progress_update.state')
		.execute();
	const count = (state: string) => Number(rows.find((r) => r.state === state)?.count ?? 0);
	return { published: count('validated'), submitted: count('submitted') };
}

/**
 * The fiches of `codes`, each with whether it is abandoned and whether the fiche `linkedFrom`
 * already links to it (a link it keeps, where a new one to an abandoned fiche is refused).
 */
export async function findFicheIdsByCodes(
	db: Executor,
	codes: string[],
	linkedFrom: string
): Promise<{ id: number; code: string; abandoned: boolean; linked: boolean }[]> {
	if (codes.length === 0) return [];
	const rows = await db
		.selectFrom('fiche')
		.select(['fiche.id', 'fiche.code', 'fiche.retired_on'])
		.select((eb) =>
			eb
				.exists(
					eb
						.selectFrom('fiche_link')
						.innerJoin('fiche as source', 'source.id', 'fiche_link.fiche_id')
						.select('fiche_link.fiche_id')
						.whereRef('fiche_link.linked_fiche_id', '=', 'fiche.id')
						.where('source.code', '=', linkedFrom)
				)
				.as('linked')
		)
		.where('fiche.code', 'in', codes)
		.execute();
	return rows.map(({ retired_on, linked, ...row }) => ({
		...row,
		abandoned: retired_on !== null,
		linked: Boolean(linked)
	}));
}

/** The newest revision of a fiche (0 when none): a form remembers it to list later changes. */
export async function lastFicheRevisionId(db: Executor, ficheId: number): Promise<number> {
	const row = await db
		.selectFrom('plan_revision')
		.select((eb) => eb.fn.max('id').as('id'))
		.where('fiche_id', '=', ficheId)
		.executeTakeFirst();
	return Number(row?.id ?? 0);
}

/** One revision as the public list shows it: what, why, when, the decision it applies, and who. */
export interface RevisionView {
	id: number;
	action: 'created' | 'updated' | 'moved' | 'retired' | 'merged';
	entity: string;
	changes: FieldChange[];
	reason: string;
	origin: 'portal' | 'import';
	createdAt: string;
	/** The editor's name: given to those allowed to see it only (see the route). */
	authorName: string | null;
	/** The commission's decision applied; `ficheCode`: the fiche it was taken on, if any. */
	decision: { sittingId: number; heldOn: string; text: string; ficheCode: string | null } | null;
}

/** Whose revisions: a fiche's (with its indicators'), or one axis's, orientation's or objective's. */
export type RevisionsOf =
	{ ficheId: number } | { entity: 'axis' | 'orientation' | 'objective'; id: number };

/** A fiche's revisions, newest first (`limit` of them when given), and how many there are. */
export async function listFicheRevisionViews(
	db: Executor,
	ficheId: number,
	limit: number | undefined,
	{ authors }: { authors: boolean }
): Promise<{ revisions: RevisionView[]; total: number }> {
	return listRevisionViews(db, { ficheId }, limit, { authors });
}

/** The revisions of a fiche or of a part of the plan's structure, newest first, and their count. */
export async function listRevisionViews(
	db: Executor,
	of: RevisionsOf,
	limit: number | undefined,
	{ authors }: { authors: boolean }
): Promise<{ revisions: RevisionView[]; total: number }> {
	const whose = (eb: ExpressionBuilder<Database & { r: PlanRevisionTable }, 'r'>) =>
		'ficheId' in of
			? eb('r.fiche_id', '=', of.ficheId)
			: eb.and([eb('r.entity', '=', of.entity), eb('r.entity_id', '=', of.id)]);
	const rows = await db
		.selectFrom('plan_revision as r')
		.leftJoin('user_account as u', 'u.id', 'r.user_id')
		.leftJoin('decision as d', 'd.id', 'r.decision_id')
		.leftJoin('commission_session as s', 's.id', 'd.session_id')
		.leftJoin('agenda_item as a', 'a.id', 'd.agenda_item_id')
		.leftJoin('fiche as df', 'df.id', 'a.fiche_id')
		.select([
			'r.id',
			'r.action',
			'r.entity',
			'r.changes',
			'r.reason',
			'r.origin',
			'r.created_at as createdAt',
			'u.name as authorName',
			's.id as sittingId',
			's.held_on as heldOn',
			'd.text as decisionText',
			'df.code as decisionFicheCode'
		])
		.where(whose)
		.orderBy('r.id', 'desc')
		.$if(limit !== undefined, (q) => q.limit(limit!))
		.execute();
	const { n } = await db
		.selectFrom('plan_revision as r')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where(whose)
		.executeTakeFirstOrThrow();
	return {
		total: Number(n),
		revisions: rows.map((r) => ({
			id: r.id,
			// An indicator added or retired (by an import, which writes the indicator's own revision)
			// is a change of its fiche, as its form records it: never « Fiche ajoutée » or « abandonnée ».
			action: r.entity === 'indicator' ? 'updated' : r.action,
			entity: r.entity,
			changes: withoutUnitEchoes(JSON.parse(r.changes) as RevisionView['changes']),
			reason: r.reason,
			origin: r.origin,
			createdAt: r.createdAt,
			authorName: authors ? r.authorName : null,
			decision:
				r.sittingId !== null && r.heldOn !== null && r.decisionText !== null
					? {
							sittingId: r.sittingId,
							heldOn: r.heldOn,
							text: r.decisionText,
							ficheCode: r.decisionFicheCode
						}
					: null
		}))
	};
}

/** A new fiche, empty but for its title: the admin completes it with the edit form. */
export async function insertFiche(
	db: Executor,
	values: { code: string; objectiveId: number; number: number; title: string; priority: 1 | 2 }
): Promise<number> {
	const row = await db
		.insertInto('fiche')
		.values({
			code: values.code,
			objective_id: values.objectiveId,
			number: values.number,
			title: values.title,
			short_title: null,
			context: '[]',
			existing: '[]',
			description: '[]',
			success_factors: '[]',
			owners_note: null,
			priority: values.priority,
			adopted_priority: values.priority,
			status: 'a_lancer',
			progress: null,
			last_update: null,
			search_text: '',
			retired_reason: null,
			retired_on: null
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/** Status `abandonnee` with its reason, if nobody changed the fiche since `version`. */
export async function markFicheRetired(
	db: Executor,
	id: number,
	version: number,
	reason: string,
	on: string
): Promise<boolean> {
	const result = await db
		.updateTable('fiche')
		.set({ status: 'abandonnee', retired_reason: reason, retired_on: on, version: version + 1 })
		.where('id', '=', id)
		.where('version', '=', version)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

export interface StructuralRevision {
	entity: 'fiche' | 'axis' | 'orientation' | 'objective';
	entityId: number;
	action: 'created' | 'moved' | 'retired';
	createdAt: string;
	reason: string;
	ficheCode: string | null;
	ficheTitle: string | null;
	changes: string;
}

/**
 * Structural changes of the plan, oldest first, for the home history: fiches added, moved to
 * another objective or retired; axes, orientations and objectives added or moved.
 */
export async function listStructuralRevisions(db: Executor): Promise<StructuralRevision[]> {
	const rows = await db
		.selectFrom('plan_revision as r')
		.leftJoin('fiche', 'fiche.id', 'r.fiche_id')
		.select([
			'r.entity',
			'r.entity_id as entityId',
			'r.action',
			'r.created_at as createdAt',
			'r.reason',
			'fiche.code as ficheCode',
			'fiche.title as ficheTitle',
			'r.changes'
		])
		.where((eb) =>
			eb.or([
				eb.and([
					eb('r.entity', '=', 'fiche'),
					eb('r.action', 'in', ['created', 'moved', 'retired'])
				]),
				eb.and([
					eb('r.entity', 'in', ['axis', 'orientation', 'objective']),
					eb('r.action', 'in', ['created', 'moved', 'retired'])
				])
			])
		)
		.where(({ ref }) => apartFromPlanLoad(ref('r.created_at')))
		.orderBy('r.id')
		.execute();
	return rows as StructuralRevision[];
}

// ——— Structure: axes, orientations, objectives ———

export interface AxisRecord {
	id: number;
	code: string;
	shortName: string;
	label: string;
	position: number;
	version: number;
	/** When it was withdrawn from the plan (UTC), or null. */
	retiredAt: string | null;
}

export interface OrientationRecord {
	id: number;
	code: string;
	axisId: number;
	label: string;
	position: number;
	version: number;
	/** When it was withdrawn from the plan (UTC), or null. */
	retiredAt: string | null;
}

export interface ObjectiveRecord {
	id: number;
	number: number;
	orientationId: number;
	label: string;
	synthesisLabel: string | null;
	version: number;
	/** When it was withdrawn from the plan (UTC), or null. */
	retiredAt: string | null;
}

export interface Structure {
	axes: AxisRecord[];
	orientations: OrientationRecord[];
	objectives: ObjectiveRecord[];
}

/**
 * The plan's structure with ids and versions, in the plan's order (a few dozen rows); withdrawn
 * elements included (`retiredAt`): their codes and numbers are never given again.
 */
export async function listStructure(db: Executor): Promise<Structure> {
	const axes = await db
		.selectFrom('axis')
		.select([
			'id',
			'code',
			'short_name as shortName',
			'label',
			'position',
			'version',
			'retired_at as retiredAt'
		])
		.orderBy('position')
		.orderBy('id')
		.execute();
	const orientations = await db
		.selectFrom('orientation')
		.select([
			'id',
			'code',
			'axis_id as axisId',
			'label',
			'position',
			'version',
			'retired_at as retiredAt'
		])
		.orderBy('position')
		.orderBy('id')
		.execute();
	const objectives = await db
		.selectFrom('objective')
		.select([
			'id',
			'number',
			'orientation_id as orientationId',
			'label',
			'synthesis_label as synthesisLabel',
			'version',
			'retired_at as retiredAt'
		])
		.orderBy('number')
		.execute();
	return { axes, orientations, objectives };
}

export type AxisFields = Omit<AxisRecord, 'id' | 'version' | 'retiredAt'>;
export type OrientationFields = Omit<OrientationRecord, 'id' | 'version' | 'retiredAt'>;
export type ObjectiveFields = Omit<ObjectiveRecord, 'id' | 'version' | 'retiredAt'>;

const axisColumns = (f: AxisFields) => ({
	code: f.code,
	short_name: f.shortName,
	label: f.label,
	position: f.position
});
const orientationColumns = (f: OrientationFields) => ({
	code: f.code,
	axis_id: f.axisId,
	label: f.label,
	position: f.position
});
const objectiveColumns = (f: ObjectiveFields) => ({
	number: f.number,
	orientation_id: f.orientationId,
	label: f.label,
	synthesis_label: f.synthesisLabel
});

type StructureTable = 'axis' | 'orientation' | 'objective';

async function insertReturningId<T extends StructureTable>(
	db: Executor,
	table: T,
	columns: Insertable<Database[T]>
): Promise<number> {
	const row = await db
		.insertInto(table as StructureTable)
		.values(columns as Insertable<Database[StructureTable]>)
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export const insertAxis = (db: Executor, f: AxisFields) =>
	insertReturningId(db, 'axis', axisColumns(f));
export const insertOrientation = (db: Executor, f: OrientationFields) =>
	insertReturningId(db, 'orientation', orientationColumns(f));
export const insertObjective = (db: Executor, f: ObjectiveFields) =>
	insertReturningId(db, 'objective', objectiveColumns(f));

/**
 * Updates a record of the structure and bumps its version; with `expectedVersion`, only if nobody
 * changed it since (optimistic concurrency). False when it moved on meanwhile.
 */
async function updateVersioned<T extends StructureTable>(
	db: Executor,
	table: T,
	id: number,
	columns: Updateable<Database[T]>,
	expectedVersion: number | undefined
): Promise<boolean> {
	const result = await db
		.updateTable(table as StructureTable)
		.set((eb) => ({
			...(columns as Updateable<Database[StructureTable]>),
			version: eb('version', '+', 1)
		}))
		.where('id', '=', id)
		.$if(expectedVersion !== undefined, (q) => q.where('version', '=', expectedVersion!))
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** The import and the forms share these writes (the forms give the version they read). */
export const updateAxis = (db: Executor, id: number, f: AxisFields, expectedVersion?: number) =>
	updateVersioned(db, 'axis', id, axisColumns(f), expectedVersion);
export const updateOrientation = (
	db: Executor,
	id: number,
	f: OrientationFields,
	expectedVersion?: number
) => updateVersioned(db, 'orientation', id, orientationColumns(f), expectedVersion);
/** An objective's fiches follow it: they point to the objective, their codes do not change. */
export const updateObjective = (
	db: Executor,
	id: number,
	f: ObjectiveFields,
	expectedVersion?: number
) => updateVersioned(db, 'objective', id, objectiveColumns(f), expectedVersion);

/** Where a withdrawn axis or orientation is put: after every position of the plan, one each. */
const RETIRED_POSITIONS = 1_000_000;

/**
 * Withdraws an axis, an orientation or an objective from the plan at `at` (UTC), if nobody changed
 * it since `expectedVersion`. False when it moved on meanwhile. An axis or an orientation leaves
 * its position to the next ones (positions stay the ranks of what is in the plan, as the workbook
 * numbers them) and goes after them all (a past year's bilan, which still shows it, lists it last).
 */
export async function retireStructureRecord(
	db: Executor,
	table: StructureTable,
	id: number,
	at: string,
	expectedVersion: number
): Promise<boolean> {
	if (table === 'objective')
		return updateVersioned(db, table, id, { retired_at: at }, expectedVersion);
	const row = await db
		.selectFrom(table as 'axis')
		.select('position')
		.where('id', '=', id)
		.executeTakeFirst();
	if (!row) return false;
	const saved = await updateVersioned(
		db,
		table,
		id,
		{ retired_at: at, position: RETIRED_POSITIONS + id },
		expectedVersion
	);
	if (!saved) return false;
	// Positions are unique at each row written: the later ones are set aside, then put back one
	// place earlier.
	await db
		.updateTable(table as 'axis')
		.set((eb) => ({ position: eb.neg(eb.ref('position')) }))
		.where('position', '>', row.position)
		.where('position', '<', RETIRED_POSITIONS)
		.execute();
	await db
		.updateTable(table as 'axis')
		.set((eb) => ({ position: eb(eb.neg(eb.ref('position')), '-', 1) }))
		.where('position', '<', 0)
		.execute();
	return true;
}

/** The fiches of an objective (retired ones included), by number. */
export async function listObjectiveFiches(
	db: Executor,
	objectiveId: number
): Promise<{ id: number; code: string }[]> {
	return db
		.selectFrom('fiche')
		.select(['id', 'code'])
		.where('objective_id', '=', objectiveId)
		.orderBy('number')
		.execute();
}
