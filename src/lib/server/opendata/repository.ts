import { sql } from 'kysely';
import type { Executor } from '../db';
import { closedDecisions } from '../commission/repository';
import {
	indicatorRowInPlanBy,
	inPlanBy,
	noFicheOrInPlanBy
} from '../authoring/revisions-repository';
import type { DecisionKind, FicheStatus, Opinion } from '../db/schema';
import type { IndicatorDefinition } from '../../utils/indicator-target';
import {
	ficheLinkedFiches,
	ficheOwners,
	fichePartners,
	INDICATOR_COLUMNS,
	nested,
	measurementPublishedBy,
	updatePublishedBy,
	rankedMeasurements,
	inPlanOrder
} from '../plan/repository';

/**
 * What the open data reads, published data only: validated updates and their measurements, closed
 * commission sittings. With `asOf` (an edition), only what was published by the end of that day
 * (`updatePublishedBy`: updates reported by then, with their measurements; sittings held by then), and
 * only for fiches already in the plan then.
 * Ordered as the files are: fiches by objective then number, indicators by rank, then by date.
 */

/**
 * Each fiche's owners, partners and the fiches it links to, by fiche id, in one statement; with
 * `asOf`, the links to fiches added to the plan after that day are left out.
 */
export async function listFicheRelations(db: Executor, asOf?: string) {
	const rows = await db
		.selectFrom('fiche')
		.select((eb) => [
			'fiche.id',
			ficheOwners(eb).as('owners'),
			fichePartners(eb).as('partners'),
			ficheLinkedFiches(eb, asOf).as('linked')
		])
		.execute();
	return new Map(
		rows.map((r) => [
			r.id,
			{ owners: nested(r.owners), partners: nested(r.partners), linked: nested(r.linked) }
		])
	);
}

export interface IndicatorSummary extends IndicatorDefinition {
	id: number;
	ficheId: number;
	position: number;
	retiredAt: string | null;
	count: number;
	latest: { date: string; value: number } | null;
}

/** Every indicator with its number of published measurements and the latest one (by date, then id). */
export async function listIndicatorSummaries(
	db: Executor,
	asOf?: string
): Promise<IndicatorSummary[]> {
	const ranked = rankedMeasurements(db, { asOf });
	const rows = await db
		.selectFrom('indicator')
		.leftJoin(
			db
				.selectFrom(ranked.as('m'))
				.select((eb) => [
					'm.indicator_id',
					eb.fn.countAll<number>().as('count'),
					eb.fn
						.max(eb.case().when('m.rank', '=', 1).then(eb.ref('m.measured_on')).end())
						.as('latest_date'),
					eb.fn
						.max(eb.case().when('m.rank', '=', 1).then(eb.ref('m.value')).end())
						.as('latest_value')
				])
				.groupBy('m.indicator_id')
				.as('s'),
			's.indicator_id',
			'indicator.id'
		)
		.select([
			'indicator.id',
			'indicator.fiche_id as ficheId',
			'indicator.position',
			...INDICATOR_COLUMNS,
			'indicator.retired_at as retiredAt',
			's.count',
			's.latest_date as latestDate',
			's.latest_value as latestValue'
		])
		.$if(asOf !== undefined, (q) => q.where(indicatorRowInPlanBy(asOf!)))
		.orderBy('indicator.fiche_id')
		.orderBy('indicator.position')
		.execute();
	return rows.map(({ count, latestDate, latestValue, ...indicator }) => ({
		...indicator,
		count: Number(count ?? 0),
		latest:
			latestDate === null || latestValue === null
				? null
				: { date: latestDate as string, value: Number(latestValue) }
	}));
}

/**
 * The date of each fiche's latest validated report of those who carry it up to `asOf`, by fiche
 * code: `last_update` as the live fiche has it (refreshFicheState). A status Lot numérique set
 * itself (« Changer le statut », no organisation) is in mises-a-jour.csv but is not a report.
 */
export async function listLastUpdateDates(db: Executor, asOf: string) {
	return db
		.selectFrom('progress_update')
		.innerJoin('fiche', 'fiche.id', 'progress_update.fiche_id')
		.select((eb) => ['fiche.code', eb.fn.max('progress_update.reported_on').as('last')])
		.where('progress_update.state', '=', 'validated')
		.where('progress_update.organisation_id', 'is not', null)
		.where(updatePublishedBy(asOf))
		.groupBy('fiche.code')
		.execute();
}

/** Published measurements; `indicator` is the indicator's id, described by listIndicatorSummaries. */
export interface MeasurementRow {
	indicator: number;
	date: string;
	value: number;
}

/**
 * With `asOf`, the rule of listIndicatorSummaries (indicatorRowInPlanBy): an indicator added to the
 * plan after that day is not in the edition's plan.json, so its measurements, even dated back
 * before it, are not in its mesures.csv either (every `indicateur` is an id of plan.json).
 */
function publishedMeasurements(db: Executor, asOf?: string) {
	return db
		.selectFrom('measurement')
		.innerJoin('progress_update', 'progress_update.id', 'measurement.progress_update_id')
		.innerJoin('indicator', 'indicator.id', 'measurement.indicator_id')
		.where('progress_update.state', '=', 'validated')
		.$if(asOf !== undefined, (q) =>
			q
				.where(measurementPublishedBy(asOf!))
				.where(({ ref }) => inPlanBy('fiche', ref('progress_update.fiche_id'), asOf!))
				.where(indicatorRowInPlanBy(asOf!))
		);
}

/**
 * Every published measurement, ordered as mesures.csv is: fiche, indicator, date. Three columns
 * only (100,000 rows at ten years): what describes the indicator is read once per indicator.
 */
export async function listPublishedMeasurements(
	db: Executor,
	asOf?: string
): Promise<MeasurementRow[]> {
	return publishedMeasurements(db, asOf)
		.innerJoin('fiche', 'fiche.id', 'indicator.fiche_id')
		.innerJoin('objective', 'objective.id', 'fiche.objective_id')
		.select([
			'measurement.indicator_id as indicator',
			'measurement.measured_on as date',
			'measurement.value'
		])
		.$call(inPlanOrder)
		.orderBy('indicator.position')
		.orderBy('measurement.measured_on')
		.orderBy('measurement.id')
		.execute();
}

/** What describes each indicator in mesures.csv, by indicator id. */
export async function listIndicatorLabels(db: Executor) {
	return db
		.selectFrom('indicator')
		.innerJoin('fiche', 'fiche.id', 'indicator.fiche_id')
		.select([
			'indicator.id',
			'fiche.code',
			'indicator.position',
			'indicator.label',
			'indicator.unit'
		])
		.execute();
}

/**
 * When the plan last changed each fiche (by code) and each organisation (by name): a fiche's code,
 * its indicators' labels and units, an organisation's name are written in the measurement, update
 * and decision files, whose rows' validations alone do not date them.
 */
export async function listPlanChanges(db: Executor) {
	const [fiches, organisations] = [
		await db
			.selectFrom('plan_revision')
			.innerJoin('fiche', 'fiche.id', 'plan_revision.fiche_id')
			.select((eb) => ['fiche.code as key', eb.fn.max('plan_revision.created_at').as('at')])
			.groupBy('fiche.code')
			.execute(),
		await db
			.selectFrom('plan_revision')
			.innerJoin('organisation', 'organisation.id', 'plan_revision.entity_id')
			.where('plan_revision.entity', '=', 'organisation')
			.select((eb) => ['organisation.name as key', eb.fn.max('plan_revision.created_at').as('at')])
			.groupBy('organisation.name')
			.execute()
	];
	const byKey = (rows: { key: string; at: string }[]) => new Map(rows.map((r) => [r.key, r.at]));
	return { fiches: byKey(fiches), organisations: byKey(organisations) };
}

/** For each year that has published measurements, when the latest of them was validated. */
export async function listMeasurementYears(db: Executor, asOf?: string) {
	const year = sql<string>`substr(${sql.ref('measurement.measured_on')}, 1, 4)`;
	return publishedMeasurements(db, asOf)
		.select((eb) => [year.as('year'), eb.fn.max('progress_update.validated_at').as('validatedAt')])
		.groupBy(year)
		.orderBy(year)
		.execute();
}

export interface UpdateRow {
	fiche: string;
	date: string;
	status: FicheStatus | null;
	progress: number | null;
	done: string;
	nextSteps: string;
	difficulties: string;
	organisation: string | null;
	validatedAt: string | null;
}

/** Validated updates only, without the person who wrote or reviewed them. */
export async function listValidatedUpdates(db: Executor, asOf?: string): Promise<UpdateRow[]> {
	return db
		.selectFrom('progress_update')
		.innerJoin('fiche', 'fiche.id', 'progress_update.fiche_id')
		.innerJoin('objective', 'objective.id', 'fiche.objective_id')
		.leftJoin('organisation', 'organisation.id', 'progress_update.organisation_id')
		.select([
			'fiche.code as fiche',
			'progress_update.reported_on as date',
			'progress_update.status',
			'progress_update.progress',
			'progress_update.done',
			'progress_update.next_steps as nextSteps',
			'progress_update.difficulties',
			'organisation.name as organisation',
			'progress_update.validated_at as validatedAt'
		])
		.where('progress_update.state', '=', 'validated')
		.$call(inPlanOrder)
		.orderBy('progress_update.reported_on')
		.orderBy('progress_update.id')
		.$if(asOf !== undefined, (q) =>
			q
				.where(updatePublishedBy(asOf!))
				.where(({ ref }) => inPlanBy('fiche', ref('fiche.id'), asOf!))
		)
		.execute();
}

export interface DecisionRow {
	sitting: number;
	heldOn: string;
	closedAt: string | null;
	fiche: string | null;
	itemTitle: string | null;
	kind: DecisionKind;
	opinion: Opinion | null;
	previousPriority: number | null;
	newPriority: number | null;
	text: string;
}

/**
 * Decisions of closed sittings only: those of a sitting being prepared or held are not public. Two
 * séances of one day in their hours' order (none given: first), then of closing: the order their
 * priority decisions took effect in, each one's « avant » the one before's « après ».
 */
export async function listClosedDecisions(db: Executor, asOf?: string): Promise<DecisionRow[]> {
	return closedDecisions(db)
		.select([
			'commission_session.id as sitting',
			'commission_session.held_on as heldOn',
			'commission_session.closed_at as closedAt',
			'decided_fiche.code as fiche',
			'agenda_item.title as itemTitle',
			'decision.kind',
			'decision.opinion',
			'decision.previous_priority as previousPriority',
			'decision.new_priority as newPriority',
			'decision.text'
		])
		.orderBy('commission_session.held_on')
		.orderBy('commission_session.starts_at')
		.orderBy('commission_session.closed_at')
		.orderBy('commission_session.id')
		.orderBy('agenda_item.position')
		.orderBy('decision.id')
		.$if(asOf !== undefined, (q) =>
			q
				.where('commission_session.held_on', '<=', asOf!)
				.where(({ ref }) => noFicheOrInPlanBy(ref('agenda_item.fiche_id'), asOf!))
		)
		.execute();
}
