import { sql, type ExpressionBuilder } from 'kysely';
import type { Executor } from '../db';
import type { Database, FicheStatus } from '../db/schema';
import {
	fichesInPlan,
	latestStatingUpdate,
	listAxes,
	listOrientations,
	updatePublishedBy,
	rankedMeasurements,
	validatedBy,
	inPlanOrder
} from '../plan/repository';
import { indicatorRowInPlanBy, inPlanBy } from '../authoring/revisions-repository';
import { priorityDecisions } from '../commission/repository';
import type { DashboardInput } from './figures';
import { INDICATOR_POINTS, restartedAfterAdvancement } from '../../utils/rules';

/** A validated update's place in a fiche's order, as updateRank writes it. */
const rankKey = sql<string>`printf('%s|%012d', ${sql.ref('progress_update.reported_on')}, ${sql.ref('progress_update.id')})`;

/**
 * The fiche's latest validated update stating `column` by the end of `day` (reported by then; with
 * `validatedByDay`, validated by then too: a closed séance's file), as the live state reads it.
 */
function latestValidated(
	db: Executor,
	eb: ExpressionBuilder<Database, 'fiche'>,
	column: 'status' | 'progress',
	day: string,
	validatedByDay = false
) {
	return latestStatingUpdate(db, column, eb.ref('fiche.id'))
		.where(updatePublishedBy(day))
		.$if(validatedByDay, (q) => q.where(validatedBy(day)));
}

/**
 * Every fiche with its current state and, as of the end of `day`, its status, advancement and
 * priority from validated updates and closed sittings (`*_then`). With `inPlanThen`, only the
 * fiches already in the plan at the end of `day`; with `code`, that fiche only; with
 * `validatedByDay`, only the updates validated by the end of `day` count.
 */
async function listFicheStates(
	db: Executor,
	day: string,
	inPlanThen: boolean,
	code?: string,
	validatedByDay = false
) {
	return fichesInPlan(db)
		.$if(inPlanThen, (q) => q.where(({ ref }) => inPlanBy('fiche', ref('fiche.id'), day)))
		.$if(code !== undefined, (q) => q.where('fiche.code', '=', code!))
		.select((eb) => [
			'fiche.code',
			'fiche.title',
			'axis.code as axis',
			'orientation.code as orientation',
			'fiche.priority as currentPriority',
			'fiche.adopted_priority as adoptedPriority',
			'fiche.status as currentStatus',
			'fiche.retired_on as retiredOn',
			'fiche.progress as currentProgress',
			latestValidated(db, eb, 'status', day, validatedByDay).select('status').as('statusThen'),
			latestValidated(db, eb, 'status', day, validatedByDay)
				.select(rankKey.as('rank'))
				.as('statusThenRank'),
			latestValidated(db, eb, 'progress', day, validatedByDay)
				.select('progress')
				.as('progressThen'),
			latestValidated(db, eb, 'progress', day, validatedByDay)
				.select(rankKey.as('rank'))
				.as('progressThenRank'),
			priorityDecisions(db, 'desc')
				.select('decision.new_priority')
				.where('agenda_item.fiche_id', '=', eb.ref('fiche.id'))
				.where('commission_session.held_on', '<=', day)
				.limit(1)
				.as('priorityThen')
		])
		.$call(inPlanOrder)
		.execute();
}

/**
 * A fiche's advancement at the end of `day`: the last validated update's that states one, unless
 * a later one said « à lancer » (nothing begun), as the live state reads it (findStatingUpdates).
 */
function progressThen(f: {
	statusThen: string | null;
	statusThenRank: string | null;
	progressThen: number | null;
	progressThenRank: string | null;
}): number | null {
	return restartedAfterAdvancement(f.statusThen, f.statusThenRank, f.progressThenRank)
		? null
		: f.progressThen;
}

/**
 * A fiche's status at the end of `day`: abandoned from the day an edit of the plan retired it,
 * otherwise the last validated update's, « à lancer » before any.
 */
function statusThen(
	f: { retiredOn: string | null; statusThen: string | null },
	day: string
): FicheStatus {
	if (f.retiredOn !== null && f.retiredOn <= day) return 'abandonnee';
	return (f.statusThen as FicheStatus | null) ?? 'a_lancer';
}

/**
 * Each fiche's status, advancement and priority as of the end of `day` (validated data only, reported
 * by then; with `validatedByDay`, validated by then too); with `code`, that fiche's only.
 */
export async function loadFicheStatesAsOf(
	db: Executor,
	day: string,
	code?: string,
	validatedByDay = false
): Promise<
	Pick<DashboardInput['fiches'][number], 'code' | 'title' | 'status' | 'progress' | 'priority'>[]
> {
	return (await listFicheStates(db, day, true, code, validatedByDay)).map((f) => ({
		code: f.code,
		title: f.title,
		priority: f.priorityThen ?? f.adoptedPriority,
		status: statusThen(f, day),
		progress: progressThen(f)
	}));
}

/**
 * The dashboard's input from validated data only. With `asOf`, the plan as it stood at the end of
 * that day (without what was added to it later), every fiche's status, advancement and priority
 * then in force, and only what was reported by then counts.
 */
export async function loadDashboardInput(db: Executor, asOf?: string): Promise<DashboardInput> {
	const day = asOf ?? '9999-12-31';
	const [axes, orientations] = [await listAxes(db, asOf), await listOrientations(db, asOf)];
	const fiches = await listFicheStates(db, day, asOf !== undefined);

	const month = sql<string>`substr(${sql.ref('progress_update.reported_on')}, 1, 7)`;
	const byMonth = await db
		.selectFrom('progress_update')
		.select((eb) => [month.as('month'), eb.fn.countAll<number>().as('count')])
		.where('state', '=', 'validated')
		// Reports of those who carry the fiches: not a status Lot numérique set itself (no
		// organisation), which the chart by organisation cannot count either.
		.where('organisation_id', 'is not', null)
		.where(updatePublishedBy(day))
		.$if(asOf !== undefined, (q) =>
			q.where(({ ref }) => inPlanBy('fiche', ref('progress_update.fiche_id'), day))
		)
		.groupBy(month)
		.execute();
	const byOrganisation = await db
		.selectFrom('progress_update')
		.innerJoin('organisation', 'organisation.id', 'progress_update.organisation_id')
		.select((eb) => ['organisation.name as organisation', eb.fn.countAll<number>().as('count')])
		.where('progress_update.state', '=', 'validated')
		.where(updatePublishedBy(day))
		.$if(asOf !== undefined, (q) =>
			q.where(({ ref }) => inPlanBy('fiche', ref('progress_update.fiche_id'), day))
		)
		.groupBy('organisation.name')
		.execute();
	// The latest values of each indicator only: what a chart can show, and a cost that does not
	// grow with years of measurements. The whole series is in the open data.
	const ranked = rankedMeasurements(db, { asOf: day });
	const measurements = await db
		.selectFrom(ranked.as('m'))
		.innerJoin('indicator', 'indicator.id', 'm.indicator_id')
		.innerJoin('fiche', 'fiche.id', 'indicator.fiche_id')
		.innerJoin('objective', 'objective.id', 'fiche.objective_id')
		.select([
			'fiche.code',
			'indicator.id',
			'indicator.label',
			'indicator.unit',
			'indicator.target',
			'indicator.kind',
			'indicator.target_date as targetDate',
			'indicator.baseline',
			'indicator.baseline_date as baselineDate',
			'm.measured_on as date',
			'm.value'
		])
		.where('m.rank', '<=', INDICATOR_POINTS)
		// An indicator added after that day is not in the edition's plan (plan.json, mesures.csv,
		// its frozen fiches: listIndicatorSummaries, publishedMeasurements): nor in its figures.
		.$if(asOf !== undefined, (q) =>
			q.where(({ ref }) => inPlanBy('fiche', ref('fiche.id'), day)).where(indicatorRowInPlanBy(day))
		)
		// The plan's order, which a fiche moved to another objective follows under its new code.
		.$call(inPlanOrder)
		.orderBy('indicator.position')
		.orderBy('m.measured_on')
		.execute();
	const indicators = new Map<number, DashboardInput['indicators'][number]>();
	for (const { id, code, date, value, ...indicator } of measurements) {
		const entry = indicators.get(id) ?? { fiche: code, ...indicator, points: [] };
		entry.points.push({ date, value });
		indicators.set(id, entry);
	}

	return {
		axes: axes.map((a) => ({ code: a.code, label: a.label, shortName: a.shortName })),
		orientations: orientations.map((o) => ({ code: o.code, axis: o.axis, label: o.label })),
		fiches: fiches.map((f) => ({
			code: f.code,
			title: f.title,
			axis: f.axis,
			orientation: f.orientation,
			priority: asOf ? (f.priorityThen ?? f.adoptedPriority) : f.currentPriority,
			status: asOf ? statusThen(f, day) : f.currentStatus,
			progress: asOf ? progressThen(f) : f.currentProgress
		})),
		updatesByMonth: byMonth.map((r) => ({ month: r.month, count: Number(r.count) })),
		updatesByOrganisation: byOrganisation.map((r) => ({ ...r, count: Number(r.count) })),
		indicators: [...indicators.values()]
	};
}
