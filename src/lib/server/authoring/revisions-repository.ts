import { expressionBuilder, sql, type Expression } from 'kysely';
import type { Executor } from '../db';
import type { Database, PlanRevisionTable } from '../db/schema';
import type { FieldChange } from '../result';
import { parisDayEnd } from '../../utils/dates';

export type RevisionEntity = PlanRevisionTable['entity'];
export type RevisionAction = PlanRevisionTable['action'];

export interface NewRevision {
	entity: RevisionEntity;
	entityId: number;
	/** The fiche the change belongs to (a fiche, or one of its indicators), for its public list. */
	ficheId: number | null;
	action: RevisionAction;
	changes: FieldChange[];
	reason: string;
	decisionId: number | null;
	origin: PlanRevisionTable['origin'];
	userId: number | null;
	createdAt: string;
}

export interface Revision extends NewRevision {
	id: number;
	/** The name of its author's account (null: a revision written without one). */
	userName: string | null;
}

/**
 * Whether a revision stamped at `createdAt` was written apart from the load of the plan itself
 * (PLAN_FILE, or a workbook read into an empty database, which stamps the plan's creation and every
 * row it creates at one moment): what that load created is the plan's starting point, not a change.
 */
export function apartFromPlanLoad(createdAt: Expression<string>) {
	const eb = expressionBuilder<Database>();
	return eb.not(
		eb.exists(
			eb
				.selectFrom('plan_revision as load')
				.select('load.id')
				.where('load.entity', '=', 'plan')
				.where('load.action', '=', 'created')
				.where('load.created_at', '=', createdAt)
		)
	);
}

/**
 * Whether an axis, an orientation, an objective or a fiche was already in the plan at the end of
 * `day` in Paris (revisions are stamped in UTC): not added afterwards, in the portal or by an import. What
 * the plan's first load created was there from the start. An edition prepared for a past year
 * counts only what this lets through.
 */
export function inPlanBy(
	entity: 'axis' | 'orientation' | 'objective' | 'fiche',
	id: Expression<number | null>,
	day: string
) {
	const eb = expressionBuilder<Database>();
	const dayAfter = parisDayEnd(day);
	return eb.not(
		eb.exists(
			eb
				.selectFrom('plan_revision as added')
				.select('added.id')
				.where('added.entity', '=', entity)
				.where('added.entity_id', '=', id)
				.where('added.action', '=', 'created')
				.where('added.created_at', '>=', dayAfter)
				.where(({ ref }) => apartFromPlanLoad(ref('added.created_at')))
		)
	);
}

/**
 * Whether the indicator read as `indicator` was already in the plan at the end of `day` in Paris:
 * not added afterwards, by an import (a revision of the indicator itself) or in its fiche's form
 * (a revision of the fiche whose changes name `indicator.new.N`, N the rank the form gave it, its
 * position). The indicator table has no creation date: the plan's history dates it.
 */
function indicatorInPlanBy(
	indicator: { id: Expression<number>; ficheId: Expression<number>; position: Expression<number> },
	day: string
) {
	const eb = expressionBuilder<Database>();
	return eb.not(
		eb.exists(
			eb
				.selectFrom('plan_revision as added')
				.select('added.id')
				.where('added.created_at', '>=', parisDayEnd(day))
				.where(({ ref }) => apartFromPlanLoad(ref('added.created_at')))
				.where((w) =>
					w.or([
						w.and([
							w('added.entity', '=', 'indicator'),
							w('added.action', '=', 'created'),
							w('added.entity_id', '=', indicator.id)
						]),
						w.and([
							w('added.entity', '=', 'fiche'),
							w('added.fiche_id', '=', indicator.ficheId),
							sql<boolean>`exists (select 1 from json_each(${sql.ref('added.changes')}) as c where json_extract(c.value, '$.field') = 'indicator.new.' || ${indicator.position})`
						])
					])
				)
		)
	);
}

/**
 * indicatorInPlanBy for the `indicator` row of the query: what a fiche's page, an edition's plan
 * and its open data list of a day's indicators, by one rule.
 */
export function indicatorRowInPlanBy(day: string) {
	const { ref } = expressionBuilder<Database, 'indicator'>();
	return indicatorInPlanBy(
		{
			id: ref('indicator.id'),
			ficheId: ref('indicator.fiche_id'),
			position: ref('indicator.position')
		},
		day
	);
}

/**
 * A row about no fiche (a free point of a sitting), or about a fiche already in the plan at the
 * end of `day`: what an edition dated that day may show of decisions.
 */
export function noFicheOrInPlanBy(ficheId: Expression<number | null>, day: string) {
	const eb = expressionBuilder<Database>();
	return eb.or([eb(ficheId, 'is', null), inPlanBy('fiche', ficheId, day)]);
}

/**
 * When a fiche was added to the plan (its « created » revision, in the portal or by an import), as
 * a UTC timestamp; null for a fiche of the plan's first load.
 */
export function ficheAddedAt(ficheId: Expression<number>) {
	const eb = expressionBuilder<Database>();
	return eb
		.selectFrom('plan_revision as addition')
		.select('addition.created_at')
		.where('addition.entity', '=', 'fiche')
		.where('addition.entity_id', '=', ficheId)
		.where('addition.action', '=', 'created')
		.where(({ ref }) => apartFromPlanLoad(ref('addition.created_at')))
		.limit(1);
}

/**
 * The plan's last revision (0 before any): a workbook exported now holds every change up to it;
 * and, in the same statement, when published data last changed (`data_revision.changed_at`, null
 * before the first start's seed), the workbook's Last-Modified: its bytes hold the plan and the
 * latest published values.
 */
export async function latestRevision(
	db: Executor
): Promise<{ id: number; publishedAt: string | null }> {
	const row = await db
		.selectFrom('plan_revision')
		.select((eb) => [
			eb.fn.max('id').as('id'),
			eb
				.selectFrom('data_revision')
				.select('changed_at')
				.where('data_revision.id', '=', 1)
				.as('publishedAt')
		])
		.executeTakeFirst();
	return { id: row?.id ?? 0, publishedAt: row?.publishedAt ?? null };
}

/** What changed after revision `afterId`, latest first: which row, when, by whom, how. */
export async function listRevisionsAfter(db: Executor, afterId: number) {
	return db
		.selectFrom('plan_revision')
		.leftJoin('user_account', 'user_account.id', 'plan_revision.user_id')
		.select([
			'plan_revision.entity',
			'plan_revision.entity_id as entityId',
			'plan_revision.action',
			'plan_revision.changes',
			'plan_revision.origin',
			'plan_revision.created_at as createdAt',
			'user_account.name as userName'
		])
		.where('plan_revision.id', '>', afterId)
		.orderBy('plan_revision.id', 'desc')
		.execute();
}

/** Appends one revision (the table refuses updates and deletes). Call it in the edit's transaction. */
export async function insertRevision(db: Executor, revision: NewRevision): Promise<number> {
	const row = await db
		.insertInto('plan_revision')
		.values({
			entity: revision.entity,
			entity_id: revision.entityId,
			fiche_id: revision.ficheId,
			action: revision.action,
			changes: JSON.stringify(revision.changes),
			reason: revision.reason,
			decision_id: revision.decisionId,
			origin: revision.origin,
			user_id: revision.userId,
			created_at: revision.createdAt
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

function revisionQuery(db: Executor) {
	return db
		.selectFrom('plan_revision as r')
		.leftJoin('user_account as u', 'u.id', 'r.user_id')
		.select([
			'r.id',
			'r.entity',
			'r.entity_id as entityId',
			'r.fiche_id as ficheId',
			'r.action',
			'r.changes',
			'r.reason',
			'r.decision_id as decisionId',
			'r.origin',
			'r.user_id as userId',
			'r.created_at as createdAt',
			'u.name as userName'
		])
		.orderBy('r.id', 'desc');
}

function parsed(
	rows: Awaited<ReturnType<ReturnType<typeof revisionQuery>['execute']>>
): Revision[] {
	return rows.map((row) => ({ ...row, changes: JSON.parse(row.changes) as FieldChange[] }));
}

/** The revisions of one fiche (its own fields and its indicators'), newest first. */
export async function listFicheRevisions(db: Executor, ficheId: number): Promise<Revision[]> {
	return parsed(await revisionQuery(db).where('r.fiche_id', '=', ficheId).execute());
}

/** The revisions of one record (an axis, an orientation, an objective…), newest first. */
export async function listEntityRevisions(
	db: Executor,
	entity: RevisionEntity,
	entityId: number
): Promise<Revision[]> {
	return parsed(
		await revisionQuery(db)
			.where('r.entity', '=', entity)
			.where('r.entity_id', '=', entityId)
			.execute()
	);
}

/**
 * Every move of a fiche to another objective, latest first: its code before, and now, and the
 * plan revision that recorded it.
 */
export async function listFicheMoves(
	db: Executor
): Promise<{ formerCode: string; code: string; revision: number }[]> {
	const moves = await db
		.selectFrom('plan_revision')
		.innerJoin('fiche', 'fiche.id', 'plan_revision.entity_id')
		.select(['fiche.code', 'plan_revision.changes', 'plan_revision.id as revision'])
		.where('plan_revision.entity', '=', 'fiche')
		.where('plan_revision.action', '=', 'moved')
		.orderBy('plan_revision.id', 'desc')
		.execute();
	return moves.flatMap((move) =>
		(JSON.parse(move.changes) as FieldChange[])
			.filter((c) => c.field === 'code')
			.map((c) => ({ formerCode: c.before, code: move.code, revision: move.revision }))
	);
}

/**
 * The code each of `ficheIds` had at `moment` (a UTC ISO timestamp), for those moved to another
 * objective since (the code before their first move after it); a fiche not moved since is not in
 * the map.
 */
export async function findFicheCodesAt(
	db: Executor,
	ficheIds: number[],
	moment: string
): Promise<Map<number, string>> {
	if (ficheIds.length === 0) return new Map();
	const moves = await db
		.selectFrom('plan_revision')
		.select(['entity_id as ficheId', 'changes'])
		.where('entity', '=', 'fiche')
		.where('action', '=', 'moved')
		.where('entity_id', 'in', ficheIds)
		.where('created_at', '>=', moment)
		.orderBy('id')
		.execute();
	const codes = new Map<number, string>();
	for (const move of moves) {
		const code = (JSON.parse(move.changes) as FieldChange[]).find((c) => c.field === 'code');
		if (code && !codes.has(move.ficheId)) codes.set(move.ficheId, code.before);
	}
	return codes;
}

/**
 * The code a fiche has now, when `formerCode` was its code before it moved to another objective
 * (the latest such move); undefined otherwise. Asked only when no fiche has that code now.
 */
export async function findMovedFicheCode(
	db: Executor,
	formerCode: string
): Promise<string | undefined> {
	return (await listFicheMoves(db)).find((move) => move.formerCode === formerCode)?.code;
}
