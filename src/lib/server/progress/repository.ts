import type { ExpressionBuilder } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/sqlite';
import type { Executor } from '../db';
import type { Database, FicheStatus, IndicatorKind, UpdateState } from '../db/schema';
import { ficheAddedAt, indicatorRowInPlanBy } from '../authoring/revisions-repository';
import {
	latestStatingUpdate,
	measurementPublishedBy,
	nested,
	notRetired,
	validatedBy,
	inPlanOrder
} from '../plan/repository';
import { restartedAfterAdvancement, updateRank } from '../../utils/rules';

/**
 * Recomputes a fiche's published state from its validated updates: the status and advancement of
 * the latest update that states them, and the date of its owners' latest. Called once per change.
 * A fiche abandoned by the plan (`retired_on`) stays abandoned, and an update's « abandonnée »
 * abandons nothing: only the plan's own form, with its reason, abandons a fiche.
 */
export async function refreshFicheState(db: Executor, ficheId: number): Promise<void> {
	const [{ status, progress }, last] = await Promise.all([
		findStatingUpdates(db, ficheId),
		// The last report of those who carry it: a status Lot numérique set itself (no organisation)
		// does not make a fiche look followed (« sans mise à jour depuis 6 mois »).
		db
			.selectFrom('progress_update')
			.select((eb) => eb.fn.max('reported_on').as('last'))
			.where('fiche_id', '=', ficheId)
			.where('state', '=', 'validated')
			.where('organisation_id', 'is not', null)
			.executeTakeFirst()
	]);
	await db
		.updateTable('fiche')
		.set((eb) => ({
			// Read in the update itself: no statement more per validation.
			status: eb
				.case()
				.when('retired_on', 'is not', null)
				.then('abandonnee' as FicheStatus)
				.else(status?.status ?? 'a_lancer')
				.end(),
			progress: progress?.progress ?? null,
			last_update: last?.last ?? null
		}))
		.where('id', '=', ficheId)
		.execute();
}

export interface ProgressUpdateRecord {
	id: number;
	ficheId: number;
	ficheCode: string;
	ficheTitle: string;
	/** The day the plan abandoned the fiche, if it did. */
	ficheRetiredOn: string | null;
	organisationId: number | null;
	organisationName: string | null;
	authorId: number | null;
	authorName: string | null;
	reportedOn: string;
	status: FicheStatus | null;
	progress: number | null;
	done: string;
	nextSteps: string;
	difficulties: string;
	state: UpdateState;
	version: number;
	reviewComment: string | null;
	reviewerName: string | null;
	/** When Lot numérique last returned it (the journal's row of that return): its comment's day. */
	returnedAt: string | null;
	updatedAt: string | null;
	updatedByName: string | null;
	/** Who last saved it (null before any save in the portal). */
	updatedBy: number | null;
	submittedAt: string | null;
	lastPostKey: string | null;
	measurements: UpdateMeasurement[];
}

/** A value an update gives for one of its fiche's indicators, as its page names it. */
export interface UpdateMeasurement {
	indicatorId: number;
	indicatorLabel: string;
	indicatorKind: IndicatorKind;
	indicatorUnit: string | null;
	measuredOn: string;
	value: number;
	comment: string | null;
}

function updateQuery(db: Executor) {
	return (
		db
			.selectFrom('progress_update as u')
			.innerJoin('fiche', 'fiche.id', 'u.fiche_id')
			.leftJoin('organisation', 'organisation.id', 'u.organisation_id')
			.leftJoin('user_account as author', 'author.id', 'u.author_id')
			.leftJoin('user_account as reviewer', 'reviewer.id', 'u.reviewed_by')
			.leftJoin('user_account as editor', 'editor.id', 'u.updated_by')
			.select([
				'u.id',
				'u.fiche_id as ficheId',
				'fiche.code as ficheCode',
				'fiche.title as ficheTitle',
				'fiche.retired_on as ficheRetiredOn',
				'u.organisation_id as organisationId',
				'organisation.name as organisationName',
				'u.author_id as authorId',
				'author.name as authorName',
				'u.reported_on as reportedOn',
				'u.status',
				'u.progress',
				'u.done',
				'u.next_steps as nextSteps',
				'u.difficulties',
				'u.state',
				'u.version',
				'u.review_comment as reviewComment',
				'reviewer.name as reviewerName',
				'u.updated_at as updatedAt',
				'editor.name as updatedByName',
				'u.updated_by as updatedBy',
				'u.submitted_at as submittedAt',
				'u.last_post_key as lastPostKey'
			])
			// Read only for an update that shows a return comment: the journal's returns, newest first
			// (audit_event_action), are walked until its own; one never returned would read them all.
			.select((eb) =>
				eb
					.case()
					.when('u.review_comment', 'is not', null)
					.then(
						eb
							.selectFrom('audit_event')
							.select('audit_event.occurred_at')
							.where('audit_event.action', '=', 'update.returned')
							.where('audit_event.target_type', '=', 'suivi')
							.whereRef('audit_event.target_id', '=', 'u.id')
							.orderBy('audit_event.occurred_at', 'desc')
							.orderBy('audit_event.id', 'desc')
							.limit(1)
					)
					.end()
					.as('returnedAt')
			)
	);
}

type UpdateRow = Awaited<ReturnType<ReturnType<typeof updateQuery>['executeTakeFirstOrThrow']>>;

async function withMeasurements<R extends UpdateRow>(
	db: Executor,
	rows: R[]
): Promise<(R & Pick<ProgressUpdateRecord, 'measurements'>)[]> {
	const ids = rows.map((r) => r.id);
	const measurements =
		ids.length === 0
			? []
			: await db
					.selectFrom('measurement')
					.innerJoin('indicator', 'indicator.id', 'measurement.indicator_id')
					.select([
						'measurement.progress_update_id as updateId',
						'measurement.indicator_id as indicatorId',
						'indicator.label as indicatorLabel',
						'indicator.kind as indicatorKind',
						'indicator.unit as indicatorUnit',
						'measurement.measured_on as measuredOn',
						'measurement.value',
						'measurement.comment'
					])
					.where('measurement.progress_update_id', 'in', ids)
					.orderBy('indicator.position')
					.execute();
	return rows.map((r) => ({
		...r,
		measurements: measurements.filter((m) => m.updateId === r.id).map(({ updateId, ...m }) => m)
	}));
}

export async function findProgressUpdate(
	db: Executor,
	id: number
): Promise<ProgressUpdateRecord | undefined> {
	const row = await updateQuery(db).where('u.id', '=', id).executeTakeFirst();
	return row ? (await withMeasurements(db, [row]))[0] : undefined;
}

export async function findUpdateBySubmissionKey(
	db: Executor,
	authorId: number,
	key: string
): Promise<number | undefined> {
	const row = await db
		.selectFrom('progress_update')
		.select('id')
		.where('author_id', '=', authorId)
		.where('submission_key', '=', key)
		.executeTakeFirst();
	return row?.id;
}

/**
 * The organisation's open update of a fiche (draft, submitted or returned), if any: there is at
 * most one since the rule was introduced; of older duplicates, the newest.
 */
export async function findOpenUpdate(
	db: Executor,
	ficheId: number,
	organisationId: number
): Promise<ProgressUpdateRecord | undefined> {
	const row = await updateQuery(db)
		.where('u.fiche_id', '=', ficheId)
		.where('u.organisation_id', '=', organisationId)
		.where('u.state', 'in', ['draft', 'submitted', 'returned'])
		.orderBy('u.id', 'desc')
		.limit(1)
		.executeTakeFirst();
	return row ? (await withMeasurements(db, [row]))[0] : undefined;
}

/** Updates waiting for staff, oldest submission first. */
export async function listSubmittedUpdates(db: Executor): Promise<ProgressUpdateRecord[]> {
	const rows = await updateQuery(db)
		.where('u.state', '=', 'submitted')
		.orderBy('u.submitted_at')
		.orderBy('u.id')
		.execute();
	return withMeasurements(db, rows);
}

/** An update not yet published, with its fiche's organisations (`ficheOrganisations`). */
export type PendingUpdateRecord = ProgressUpdateRecord & { ficheOrganisationIds: number[] };

/**
 * An organisation's updates that are not yet published, newest first, each with its fiche's
 * organisations read in the same statement (`ficheOrganisations`, as `findFicheOrganisationIds`).
 */
export async function listOrganisationPendingUpdates(
	db: Executor,
	organisationId: number
): Promise<PendingUpdateRecord[]> {
	const rows = await updateQuery(db)
		.select((eb) => ficheOrganisations(eb).as('ficheOrganisations'))
		.where('u.organisation_id', '=', organisationId)
		.where('u.state', '!=', 'validated')
		.orderBy('u.id', 'desc')
		.limit(200)
		.execute();
	return withMeasurements(
		db,
		rows.map(({ ficheOrganisations, ...row }) => ({
			...row,
			ficheOrganisationIds: nested(ficheOrganisations).map((o) => o.organisationId)
		}))
	);
}

/**
 * An organisation's updates validated since `since` (an ISO instant), newest first: /espace tells
 * them, for a partner who receives no validation mail.
 */
export async function listOrganisationValidatedSince(
	db: Executor,
	organisationId: number,
	since: string
): Promise<{ id: number; ficheCode: string; reportedOn: string; validatedAt: string | null }[]> {
	return db
		.selectFrom('progress_update as u')
		.innerJoin('fiche', 'fiche.id', 'u.fiche_id')
		.select(['u.id', 'fiche.code as ficheCode', 'u.reported_on as reportedOn'])
		.select('u.validated_at as validatedAt')
		.where('u.organisation_id', '=', organisationId)
		.where('u.state', '=', 'validated')
		.where('u.validated_at', '>=', since)
		.orderBy('u.validated_at', 'desc')
		.orderBy('u.id', 'desc')
		.limit(50)
		.execute();
}

/**
 * The organisations the current `fiche` row works with, its owners and its partners, once each, as
 * a nested list (jsonArrayFrom; read it with nested()): what `update.create` is decided on, whether
 * a partner's organisation still carries the fiche. One update's page (`findFicheOrganisationIds`)
 * and the list of /espace (`listOrganisationPendingUpdates`) both read it here.
 */
function ficheOrganisations(eb: ExpressionBuilder<Database, 'fiche'>) {
	return jsonArrayFrom(
		eb
			.selectFrom('fiche_owner')
			.select('fiche_owner.organisation_id as organisationId')
			.whereRef('fiche_owner.fiche_id', '=', 'fiche.id')
			.union(
				eb
					.selectFrom('fiche_partner')
					.select('fiche_partner.organisation_id as organisationId')
					.whereRef('fiche_partner.fiche_id', '=', 'fiche.id')
			)
	);
}

/** The organisations fiche `ficheId` works with (`ficheOrganisations`); none for no fiche. */
export async function findFicheOrganisationIds(db: Executor, ficheId: number): Promise<number[]> {
	const row = await db
		.selectFrom('fiche')
		.select((eb) => ficheOrganisations(eb).as('organisations'))
		.where('fiche.id', '=', ficheId)
		.executeTakeFirst();
	return row ? nested(row.organisations).map((o) => o.organisationId) : [];
}

export async function findFicheForReporting(
	db: Executor,
	code: string
): Promise<
	| {
			id: number;
			code: string;
			title: string;
			status: FicheStatus;
			progress: number | null;
			retiredOn: string | null;
			retiredReason: string | null;
			indicators: { id: number; label: string; unit: string | null; kind: IndicatorKind }[];
			/** Retired from the plan: they keep their measurements and take no new ones. */
			retiredIndicators: { id: number; label: string; retiredAt: string }[];
	  }
	| undefined
> {
	const fiche = await db
		.selectFrom('fiche')
		.select([
			'id',
			'code',
			'title',
			'status',
			'progress',
			'retired_on as retiredOn',
			'retired_reason as retiredReason'
		])
		.where('code', '=', code)
		.executeTakeFirst();
	if (!fiche) return undefined;
	const all = await db
		.selectFrom('indicator')
		.select(['id', 'label', 'unit', 'kind', 'retired_at as retiredAt'])
		.where('fiche_id', '=', fiche.id)
		.orderBy('position')
		.execute();
	return {
		...fiche,
		indicators: all.filter((i) => i.retiredAt === null).map(({ retiredAt, ...i }) => i),
		retiredIndicators: all.flatMap(({ id, label, retiredAt }) =>
			retiredAt === null ? [] : [{ id, label, retiredAt }]
		)
	};
}

export interface OrganisationFiche {
	code: string;
	title: string;
	priority: number;
	status: FicheStatus;
	progress: number | null;
	lastUpdate: string | null;
	/** When it was added to the plan (UTC timestamp); null for the plan's first fiches. */
	addedAt: string | null;
	roles: ('porteur' | 'partenaire')[];
	indicatorCount: number;
	indicatorsWithoutValueThisYear: number;
}

/** The fiches an organisation carries or partners, with what is due. */
export async function listFichesForOrganisation(
	db: Executor,
	organisationId: number,
	year: number
): Promise<OrganisationFiche[]> {
	const yearStart = `${year}-01-01`;
	const rows = await db
		.selectFrom('fiche')
		.innerJoin('objective', 'objective.id', 'fiche.objective_id')
		.select((eb) => [
			'fiche.code',
			'fiche.title',
			'fiche.priority',
			'fiche.status',
			'fiche.progress',
			'fiche.last_update as lastUpdate',
			ficheAddedAt(eb.ref('fiche.id')).as('addedAt'),
			eb
				.exists(
					eb
						.selectFrom('fiche_owner')
						.select('fiche_owner.id')
						.whereRef('fiche_owner.fiche_id', '=', 'fiche.id')
						.where('fiche_owner.organisation_id', '=', organisationId)
				)
				.as('isOwner'),
			eb
				.exists(
					eb
						.selectFrom('fiche_partner')
						.select('fiche_partner.id')
						.whereRef('fiche_partner.fiche_id', '=', 'fiche.id')
						.where('fiche_partner.organisation_id', '=', organisationId)
				)
				.as('isPartner'),
			eb
				.selectFrom('indicator')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('indicator.fiche_id', '=', 'fiche.id')
				.as('indicatorCount'),
			countIndicatorsWithoutValue(eb, yearStart).as('missing')
		])
		.where((eb) =>
			eb.or([
				eb(
					'fiche.id',
					'in',
					eb
						.selectFrom('fiche_owner')
						.select('fiche_id')
						.where('organisation_id', '=', organisationId)
				),
				eb(
					'fiche.id',
					'in',
					eb
						.selectFrom('fiche_partner')
						.select('fiche_id')
						.where('organisation_id', '=', organisationId)
				)
			])
		)
		.$call(inPlanOrder)
		.execute();
	return rows.map(({ isOwner, isPartner, indicatorCount, missing, ...r }) => ({
		...r,
		roles: [
			...(isOwner ? (['porteur'] as const) : []),
			...(isPartner ? (['partenaire'] as const) : [])
		],
		indicatorCount: Number(indicatorCount ?? 0),
		indicatorsWithoutValueThisYear: Number(missing ?? 0)
	}));
}

/**
 * Subquery: how many indicators of the current `fiche` row have no published value since `since`
 * (up to `until`, when given: published by then, `measurementPublishedBy`, and validated by the
 * end of that day, `validatedBy`: a séance's signals do not change when an update is validated
 * after its day). A retired indicator takes no value and counts no more: now, or as of `until`
 * when it was retired by the end of that Paris day (`notRetired`: one retired after that day was
 * still asked for then). Nor, as of `until`, one added to the plan after that day
 * (`indicatorRowInPlanBy`): a séance's signals count only the indicators that existed on its day.
 */
export function countIndicatorsWithoutValue(
	eb: ExpressionBuilder<Database, 'fiche'>,
	since = '0000-01-01',
	until?: string
) {
	return eb
		.selectFrom('indicator')
		.select((e) => e.fn.countAll<number>().as('n'))
		.whereRef('indicator.fiche_id', '=', 'fiche.id')
		.where(({ ref }) => notRetired(ref('indicator.retired_at'), until))
		.$if(until !== undefined, (q) => q.where(indicatorRowInPlanBy(until!)))
		.where((e) =>
			e.not(
				e.exists(
					e
						.selectFrom('measurement')
						.innerJoin('progress_update', 'progress_update.id', 'measurement.progress_update_id')
						.select('measurement.id')
						.whereRef('measurement.indicator_id', '=', 'indicator.id')
						.where('progress_update.state', '=', 'validated')
						.where('measurement.measured_on', '>=', since)
						.$if(until !== undefined, (q) =>
							q.where(measurementPublishedBy(until!)).where(validatedBy(until!))
						)
				)
			)
		);
}

/** The measurements of an update become exactly these (a save replaces them all). */
export async function replaceMeasurements(
	db: Executor,
	updateId: number,
	measurements: { indicatorId: number; measuredOn: string; value: number; comment: string | null }[]
): Promise<void> {
	await db.deleteFrom('measurement').where('progress_update_id', '=', updateId).execute();
	if (measurements.length === 0) return;
	await db
		.insertInto('measurement')
		.values(
			measurements.map((m) => ({
				indicator_id: m.indicatorId,
				progress_update_id: updateId,
				measured_on: m.measuredOn,
				value: m.value,
				comment: m.comment
			}))
		)
		.execute();
}

/** What a person typed into an update, as stored. */
export interface UpdateFields {
	reportedOn: string;
	status: FicheStatus | null;
	progress: number | null;
	done: string;
	nextSteps: string;
	difficulties: string;
}

function fieldColumns(fields: UpdateFields) {
	return {
		reported_on: fields.reportedOn,
		status: fields.status,
		progress: fields.progress,
		done: fields.done,
		next_steps: fields.nextSteps,
		difficulties: fields.difficulties
	};
}

export async function insertProgressUpdate(
	db: Executor,
	update: UpdateFields & {
		ficheId: number;
		organisationId: number | null;
		authorId: number;
		submissionKey: string;
		state: UpdateState;
		at: string;
	}
): Promise<number> {
	const { id } = await db
		.insertInto('progress_update')
		.values({
			id: await freshUpdateId(db),
			...fieldColumns(update),
			fiche_id: update.ficheId,
			organisation_id: update.organisationId,
			author_id: update.authorId,
			submission_key: update.submissionKey,
			last_post_key: update.submissionKey,
			source: null,
			state: update.state,
			validated_at: null,
			review_comment: null,
			reviewed_by: null,
			updated_by: update.authorId,
			updated_at: update.at,
			submitted_at: update.state === 'submitted' ? update.at : null
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return id;
}

/**
 * A status Lot numérique sets itself (a commission's decision applied): an update validated as it
 * is written, by its author, with no organisation and its provenance in `source`.
 */
export async function insertStaffStatusUpdate(
	db: Executor,
	update: {
		ficheId: number;
		reportedOn: string;
		status: FicheStatus;
		reason: string;
		source: string;
		authorId: number;
		at: string;
	}
): Promise<number> {
	const { id } = await db
		.insertInto('progress_update')
		.values({
			id: await freshUpdateId(db),
			fiche_id: update.ficheId,
			organisation_id: null,
			reported_on: update.reportedOn,
			status: update.status,
			progress: null,
			done: update.reason,
			source: update.source,
			state: 'validated',
			validated_at: update.at,
			author_id: update.authorId,
			submission_key: null,
			last_post_key: null,
			review_comment: null,
			reviewed_by: update.authorId,
			updated_by: update.authorId,
			updated_at: update.at,
			submitted_at: update.at
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return id;
}

/**
 * Saves the fields over the version the person started from; false when another writer got
 * there first (optimistic concurrency: the version is checked in the UPDATE itself).
 */
export async function updateProgressFields(
	db: Executor,
	id: number,
	seenVersion: number,
	update: UpdateFields & { state: UpdateState; postKey: string; by: number; at: string }
): Promise<boolean> {
	const result = await db
		.updateTable('progress_update')
		.set({
			...fieldColumns(update),
			state: update.state,
			version: seenVersion + 1,
			last_post_key: update.postKey,
			updated_by: update.by,
			updated_at: update.at,
			submitted_at: update.state === 'submitted' ? update.at : null
		})
		.where('id', '=', id)
		.where('version', '=', seenVersion)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** A submitted update back to draft, over the version seen. */
export async function withdrawUpdate(
	db: Executor,
	id: number,
	seenVersion: number,
	by: number,
	at: string
): Promise<void> {
	await db
		.updateTable('progress_update')
		.set({
			state: 'draft',
			version: seenVersion + 1,
			submitted_at: null,
			updated_by: by,
			updated_at: at
		})
		.where('id', '=', id)
		.where('version', '=', seenVersion)
		.execute();
}

/** Staff decision: validated (with its date) or returned (with the comment). */
export async function recordReview(
	db: Executor,
	id: number,
	review: {
		state: 'validated' | 'returned';
		validatedAt: string | null;
		comment: string | null;
		reviewerId: number;
		version: number;
	}
): Promise<void> {
	await db
		.updateTable('progress_update')
		.set({
			state: review.state,
			validated_at: review.validatedAt,
			review_comment: review.comment,
			reviewed_by: review.reviewerId,
			version: review.version
		})
		.where('id', '=', id)
		.execute();
}

/**
 * The validated updates of a fiche that set its status and its advancement (the latest stating
 * each, by date then id): what refreshFicheState publishes, and what an older update submitted
 * since cannot change once validated. An update validated as « abandonnée » (partners could
 * propose it before) abandons nothing: the plan does, with its reason.
 */
export async function findStatingUpdates(db: Executor, ficheId: number) {
	const latest = (column: 'status' | 'progress') =>
		latestStatingUpdate(db, column, ficheId)
			.select(['id', 'reported_on as reportedOn', 'status', 'progress'])
			.executeTakeFirst();
	const [status, progress] = await Promise.all([latest('status'), latest('progress')]);
	// « À lancer » says nothing has begun: stated after an advancement (the commission takes a
	// fiche up again; an older update validated since), it stands for the advancement too, so that
	// the fiche never publishes « à lancer » at 10 %.
	const restarts = restartedAfterAdvancement(
		status?.status,
		status && updateRank(status),
		progress && updateRank(progress)
	);
	return { status, progress: restarts ? status : progress };
}

/** A fiche's published state, as journaled before and after a validation. */
export async function findPublishedState(db: Executor, ficheId: number) {
	return db
		.selectFrom('fiche')
		.select(['status', 'progress', 'last_update as lastUpdate'])
		.where('id', '=', ficheId)
		.executeTakeFirstOrThrow();
}

/**
 * The number the next update takes: past every update and every discarded draft, so that a
 * discarded draft's number (in a tab left open, a link, the journal) never names another update.
 */
async function freshUpdateId(db: Executor): Promise<number> {
	const [updates, discarded] = await Promise.all(
		(['progress_update', 'discarded_update'] as const).map((table) =>
			db
				.selectFrom(table)
				.select((eb) => eb.fn.max('id').as('last'))
				.executeTakeFirst()
		)
	);
	return Math.max(updates?.last ?? 0, discarded?.last ?? 0) + 1;
}

/**
 * Who last returned the update for correction, from the journal's row of that return (the account's
 * name today, or the journal's label of a deleted one): the staff's page names them even once
 * another person validated it (`reviewed_by` then names the validator). Null when the journal
 * has no return of it.
 */
export async function findReturnedByName(db: Executor, id: number): Promise<string | null> {
	const row = await db
		.selectFrom('audit_event')
		.leftJoin('user_account as actor', 'actor.id', 'audit_event.actor_id')
		.select(['actor.name as name', 'audit_event.actor_label as label'])
		.where('audit_event.action', '=', 'update.returned')
		.where('audit_event.target_type', '=', 'suivi')
		.where('audit_event.target_id', '=', String(id))
		.orderBy('audit_event.occurred_at', 'desc')
		.orderBy('audit_event.id', 'desc')
		.limit(1)
		.executeTakeFirst();
	return row ? (row.name ?? row.label) : null;
}

/**
 * Whether the update was ever sent to Lot numérique: submitted (and withdrawn since), returned or
 * in a digest mailed to staff. Such a draft is part of the exchange with Lot numérique: it is not
 * discarded.
 */
export async function wasSentToLotNumerique(db: Executor, id: number): Promise<boolean> {
	const row = await db
		.selectNoFrom((eb) => [
			eb
				.exists(
					eb
						.selectFrom('audit_event')
						.select('audit_event.id')
						.where('audit_event.target_type', '=', 'suivi')
						.where('audit_event.target_id', '=', String(id))
						.where('audit_event.action', 'in', [
							'update.submitted',
							'update.withdrawn',
							'update.returned',
							'update.validated'
						])
				)
				.as('journaled'),
			eb
				.exists(
					eb
						.selectFrom('notification_event')
						.select('notification_event.id')
						.where('notification_event.update_id', '=', id)
				)
				.as('notified')
		])
		.executeTakeFirstOrThrow();
	return Boolean(row.journaled) || Boolean(row.notified);
}

/**
 * Deletes a draft and its measurements, over the version seen, and keeps its number with who
 * discarded it: false when it is no longer that version of a draft (saved or submitted meanwhile),
 * and then nothing is deleted.
 */
export async function discardDraft(
	db: Executor,
	draft: { id: number; ficheId: number; organisationId: number; version: number },
	by: number,
	at: string
): Promise<boolean> {
	// Claimed over the version seen first: a save or a submission in between leaves it as it is.
	const claimed = await db
		.updateTable('progress_update')
		.set({ version: draft.version + 1 })
		.where('id', '=', draft.id)
		.where('version', '=', draft.version)
		.where('state', '=', 'draft')
		.executeTakeFirst();
	if (Number(claimed.numUpdatedRows) !== 1) return false;
	await db.deleteFrom('measurement').where('progress_update_id', '=', draft.id).execute();
	await db.deleteFrom('progress_update').where('id', '=', draft.id).execute();
	await db
		.insertInto('discarded_update')
		.values({
			id: draft.id,
			fiche_id: draft.ficheId,
			organisation_id: draft.organisationId,
			discarded_by: by,
			discarded_at: at
		})
		.execute();
	return true;
}

export interface DiscardedUpdate {
	id: number;
	ficheId: number;
	ficheCode: string;
	ficheTitle: string;
	organisationId: number;
	discardedByName: string | null;
	discardedAt: string;
}

/** A discarded draft: its fiche, its organisation, who discarded it and when. */
export async function findDiscardedUpdate(
	db: Executor,
	id: number
): Promise<DiscardedUpdate | undefined> {
	return db
		.selectFrom('discarded_update as d')
		.innerJoin('fiche', 'fiche.id', 'd.fiche_id')
		.leftJoin('user_account', 'user_account.id', 'd.discarded_by')
		.select([
			'd.id',
			'd.fiche_id as ficheId',
			'fiche.code as ficheCode',
			'fiche.title as ficheTitle',
			'd.organisation_id as organisationId',
			'user_account.name as discardedByName',
			'd.discarded_at as discardedAt'
		])
		.where('d.id', '=', id)
		.executeTakeFirst();
}

/** A published value of an indicator: its day, its value, when and in which update it was validated. */
export interface PublishedMeasurement {
	id: number;
	indicatorId: number;
	measuredOn: string;
	value: number;
	validatedAt: string | null;
	updateId: number;
}

/** Measurements whose update is validated, with when it was: what the public pages show. */
function publishedMeasurements(db: Executor) {
	return db
		.selectFrom('measurement')
		.innerJoin('progress_update', 'progress_update.id', 'measurement.progress_update_id')
		.select([
			'measurement.id',
			'measurement.indicator_id as indicatorId',
			'measurement.measured_on as measuredOn',
			'measurement.value',
			'progress_update.validated_at as validatedAt',
			'measurement.progress_update_id as updateId'
		])
		.where('progress_update.state', '=', 'validated');
}

/**
 * The published values of these indicators, newest day first (on one day, the one recorded last):
 * what the partner's form shows (the last one) and checks a typed day against (one value a day).
 */
export async function listValuesOfIndicators(
	db: Executor,
	indicatorIds: number[]
): Promise<ReplacedMeasurement[]> {
	if (indicatorIds.length === 0) return [];
	return attributedMeasurements(db)
		.where('measurement.indicator_id', 'in', indicatorIds)
		.orderBy('measurement.measured_on', 'desc')
		.orderBy('measurement.id', 'desc')
		.execute();
}

/**
 * A published value with the organisation whose update published it: one a validation replaces,
 * or one the partner's form says it would (public: the fiche's history names who reported each).
 */
export interface ReplacedMeasurement extends PublishedMeasurement {
	organisationId: number | null;
	organisationName: string | null;
}

/** Published measurements (`publishedMeasurements`) with the organisation of their update. */
function attributedMeasurements(db: Executor) {
	return publishedMeasurements(db)
		.leftJoin('organisation', 'organisation.id', 'progress_update.organisation_id')
		.select([
			'progress_update.organisation_id as organisationId',
			'organisation.name as organisationName'
		]);
}

/**
 * The published values that update `updateId`'s would replace once validated: of another validated
 * update, for the same indicator and the same day (one published value per indicator and day), with
 * the organisation that published each (the review page names another than the submitter's).
 */
export async function findReplacedMeasurements(
	db: Executor,
	updateId: number
): Promise<ReplacedMeasurement[]> {
	return attributedMeasurements(db)
		.where('measurement.progress_update_id', '!=', updateId)
		.where((eb) =>
			eb.exists(
				eb
					.selectFrom('measurement as proposed')
					.select('proposed.id')
					.where('proposed.progress_update_id', '=', updateId)
					.whereRef('proposed.indicator_id', '=', 'measurement.indicator_id')
					.whereRef('proposed.measured_on', '=', 'measurement.measured_on')
			)
		)
		.orderBy('measurement.indicator_id')
		.orderBy('measurement.id')
		.execute();
}

/**
 * Takes the published values a validation replaces (`findReplacedMeasurements`) out of what is
 * published, setting them aside with update `replacedBy`, the one validated: their own update's
 * page still shows them, as replaced (`listReplacedValues`).
 */
export async function setReplacedMeasurementsAside(
	db: Executor,
	ids: number[],
	replacedBy: number
): Promise<void> {
	if (ids.length === 0) return;
	await db
		.insertInto('replaced_measurement')
		.columns([
			'progress_update_id',
			'indicator_id',
			'measured_on',
			'value',
			'comment',
			'replaced_by'
		])
		.expression((eb) =>
			eb
				.selectFrom('measurement')
				.select([
					'progress_update_id',
					'indicator_id',
					'measured_on',
					'value',
					'comment',
					eb.val(replacedBy).as('replaced_by')
				])
				.where('id', 'in', ids)
				.orderBy('id')
		)
		.execute();
	await db.deleteFrom('measurement').where('id', 'in', ids).execute();
}

/** A value of an update that a later validated update replaced, as the update's page names it. */
export interface ReplacedValue extends UpdateMeasurement {
	/** The update whose validation replaced it, and its organisation (who may see it, its name). */
	replacedBy: number;
	replacedByOrganisationId: number | null;
	replacedByOrganisationName: string | null;
	/** When that update was validated. */
	replacedAt: string | null;
	/**
	 * The value that replaced it: still published (`measurement`) or, replaced in its turn since,
	 * set aside with its own update (`replaced_measurement`); null when neither holds it.
	 */
	replacement: number | null;
}

/** The values of update `updateId` that later validations replaced, in its indicators' order. */
export async function listReplacedValues(db: Executor, updateId: number): Promise<ReplacedValue[]> {
	return db
		.selectFrom('replaced_measurement as replaced')
		.innerJoin('indicator', 'indicator.id', 'replaced.indicator_id')
		.innerJoin('progress_update as later', 'later.id', 'replaced.replaced_by')
		.leftJoin('organisation as replacer', 'replacer.id', 'later.organisation_id')
		.leftJoin('measurement as next', (join) =>
			join
				.onRef('next.progress_update_id', '=', 'replaced.replaced_by')
				.onRef('next.indicator_id', '=', 'replaced.indicator_id')
				.onRef('next.measured_on', '=', 'replaced.measured_on')
		)
		.leftJoin('replaced_measurement as nextReplaced', (join) =>
			join
				.onRef('nextReplaced.progress_update_id', '=', 'replaced.replaced_by')
				.onRef('nextReplaced.indicator_id', '=', 'replaced.indicator_id')
				.onRef('nextReplaced.measured_on', '=', 'replaced.measured_on')
		)
		.select((eb) => [
			'replaced.indicator_id as indicatorId',
			'indicator.label as indicatorLabel',
			'indicator.kind as indicatorKind',
			'indicator.unit as indicatorUnit',
			'replaced.measured_on as measuredOn',
			'replaced.value',
			'replaced.comment',
			'replaced.replaced_by as replacedBy',
			'later.organisation_id as replacedByOrganisationId',
			'replacer.name as replacedByOrganisationName',
			'later.validated_at as replacedAt',
			eb.fn.coalesce('next.value', 'nextReplaced.value').as('replacement')
		])
		.where('replaced.progress_update_id', '=', updateId)
		.orderBy('indicator.position')
		.orderBy('replaced.measured_on')
		.orderBy('replaced.id')
		.execute();
}
