import { sortByName } from '../../utils/text';
import type { Expression, QueryCreator, SelectQueryBuilder } from 'kysely';
import type { Executor } from '../db';
import { parisDate, parisDayEnd } from '../../utils/dates';
import { countIndicatorsWithoutValue } from '../progress/repository';
import { fichesInPlan, validatedBy, inPlanOrder } from '../plan/repository';
import {
	apartFromPlanLoad,
	ficheAddedAt,
	findFicheCodesAt
} from '../authoring/revisions-repository';
import type {
	Database,
	DecisionKind,
	FicheStatus,
	Opinion,
	SittingFacts,
	SittingState
} from '../db/schema';

/**
 * Decisions of closed sittings, with their sitting, agenda item and fiche (if any): the only
 * decisions shown or cited outside the commission (open data, editions, changes of the plan).
 */
export function closedDecisions(db: QueryCreator<Database>) {
	return (
		db
			.selectFrom('decision')
			.innerJoin('commission_session', 'commission_session.id', 'decision.session_id')
			.innerJoin('agenda_item', 'agenda_item.id', 'decision.agenda_item_id')
			// Named apart: a subquery of a query that reads `fiche` refers to the outer one.
			.leftJoin('fiche as decided_fiche', 'decided_fiche.id', 'agenda_item.fiche_id')
			.where('commission_session.state', '=', 'closed')
	);
}

/** `closedDecisions`, whatever it selects. */
type ClosedDecisions<O> =
	ReturnType<typeof closedDecisions> extends SelectQueryBuilder<infer DB, infer TB, object>
		? SelectQueryBuilder<DB, TB, O>
		: never;

/**
 * Decisions of closed séances in the order they took effect (`asc`), or the latest first
 * (`desc`): by the séance's day, then hour (a séance whose hour was not given first of its day),
 * then closing, then within a séance the agenda's order (as its relevé and decisions.csv list
 * them), then the decision's own order. The one order of decisions: a fiche's page, the séance's,
 * the dashboard, a bilan. A fiche has one point on an agenda and one priority decision on it: « the
 * latest priority decision » does not depend on the agenda's order.
 */
export function inDecisionOrder<O>(query: ClosedDecisions<O>, order: 'asc' | 'desc' = 'asc') {
	return query
		.orderBy('commission_session.held_on', order)
		.orderBy('commission_session.starts_at', order)
		.orderBy('commission_session.closed_at', order)
		.orderBy('agenda_item.position', order)
		.orderBy('decision.id', order);
}

/**
 * The priority decisions of closed séances, in `inDecisionOrder`: the one order of « the latest
 * priority decision » (history, dashboard, the séance's page).
 */
export function priorityDecisions(db: QueryCreator<Database>, order: 'asc' | 'desc') {
	return inDecisionOrder(closedDecisions(db).where('decision.kind', '=', 'priority'), order);
}

export interface SittingSummary {
	id: number;
	heldOn: string;
	startsAt: string | null;
	place: string;
	title: string;
	state: SittingState;
	/** When it was closed (a timestamp), null while it is not. */
	closedAt: string | null;
	itemCount: number;
	decisionCount: number;
}

export interface DecisionRecord {
	id: number;
	kind: DecisionKind;
	previousPriority: number | null;
	newPriority: number | null;
	opinion: Opinion | null;
	text: string;
	recordedBy: string | null;
	recordedAt: string;
}

export interface AgendaItemRecord {
	id: number;
	position: number;
	fiche: {
		id: number;
		code: string;
		/**
		 * Of a closed séance, the code the fiche had on the séance's day (when it was held, not
		 * closed), when it moved to another objective since (9-1 then, 10-3 now); null otherwise.
		 */
		codeThen: string | null;
		title: string;
		priority: number;
		status: FicheStatus;
		organisationIds: number[];
	} | null;
	title: string | null;
	decisions: DecisionRecord[];
}

export interface SittingRecord {
	id: number;
	heldOn: string;
	/** "HH:MM", or null when not given. */
	startsAt: string | null;
	place: string;
	title: string;
	state: SittingState;
	source: string | null;
	closedAt: string | null;
	closedBy: string | null;
	/** When its convocation last left (ms), null before any. */
	convenedAt: number | null;
	attendees: { id: number; name: string; guest: boolean }[];
	items: AgendaItemRecord[];
}

/**
 * The séances still there, as `s`: a deleted séance keeps its row, so that its number is never
 * given to another, and no reading of séances sees it.
 */
export function fromLiveSittings(db: Executor) {
	return db.selectFrom('commission_session as s').where('s.deleted_at', 'is', null);
}

export async function listSittings(
	db: Executor,
	{ closedOnly }: { closedOnly: boolean }
): Promise<SittingSummary[]> {
	const rows = await fromLiveSittings(db)
		.select((eb) => [
			's.id',
			's.held_on as heldOn',
			's.starts_at as startsAt',
			's.place',
			's.title',
			's.state',
			's.closed_at as closedAt',
			eb
				.selectFrom('agenda_item')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('agenda_item.session_id', '=', 's.id')
				.as('itemCount'),
			eb
				.selectFrom('decision')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('decision.session_id', '=', 's.id')
				.as('decisionCount')
		])
		.$if(closedOnly, (q) => q.where('s.state', '=', 'closed'))
		.orderBy('s.held_on', 'desc')
		.orderBy('s.id', 'desc')
		.execute();
	return rows.map((r) => ({
		...r,
		itemCount: Number(r.itemCount ?? 0),
		decisionCount: Number(r.decisionCount ?? 0)
	}));
}

/**
 * Until when a closed séance's record names the plan as it was: the end of the day it was held, or
 * its closing when that came first (closed on its day, its relevé named the codes of that moment).
 */
function recordedUntil(heldOn: string, closedAt: string | null): string {
	const dayEnd = parisDayEnd(heldOn);
	return closedAt !== null && closedAt < dayEnd ? closedAt : dayEnd;
}

export async function findSitting(db: Executor, id: number): Promise<SittingRecord | undefined> {
	const sitting = await fromLiveSittings(db)
		.leftJoin('user_account as closer', 'closer.id', 's.closed_by')
		.select([
			's.id',
			's.held_on as heldOn',
			's.starts_at as startsAt',
			's.place',
			's.title',
			's.state',
			's.source',
			's.closed_at as closedAt',
			'closer.name as closedBy',
			's.convened_at as convenedAt'
		])
		.where('s.id', '=', id)
		.executeTakeFirst();
	if (!sitting) return undefined;
	const attendees = await listSittingAttendees(db, id);
	const items = await listSittingItems(db, id);
	const decisions = await listSittingDecisions(db, id);
	const ficheIds = items.map((i) => i.ficheId).filter((v): v is number => v !== null);
	const links = await listFicheOrganisationLinks(db, ficheIds);
	// A closed séance is a record of its day (held_on, the day it was held, not its closing, which
	// may come days later): a fiche moved since that day is named as it was then too — or since its
	// closing, when it was closed on that day (its relevé, sent at closing, named the code then).
	const codesThen =
		sitting.state === 'closed'
			? await findFicheCodesAt(db, ficheIds, recordedUntil(sitting.heldOn, sitting.closedAt))
			: new Map<number, string>();
	return {
		...sitting,
		attendees: attendees.map((a) => ({
			id: a.id,
			name: a.guestName ?? a.name ?? '—',
			guest: a.guestName !== null
		})),
		items: items.map(({ ficheId, code, ficheTitle, priority, status, ...i }) => ({
			...i,
			fiche:
				ficheId !== null && code && ficheTitle && priority !== null && status
					? {
							id: ficheId,
							code,
							codeThen: codesThen.get(ficheId) ?? null,
							title: ficheTitle,
							priority,
							status,
							organisationIds: [
								...new Set(links.filter((l) => l.ficheId === ficheId).map((l) => l.organisationId))
							]
						}
					: null,
			decisions: decisions.filter((d) => d.itemId === i.id).map(({ itemId, ...d }) => d)
		}))
	};
}

/** A séance's attendees: members first, then guests, each in the order they were added. */
function listSittingAttendees(db: Executor, id: number) {
	return db
		.selectFrom('session_attendee as a')
		.leftJoin('user_account as u', 'u.id', 'a.user_id')
		.select(['a.id', 'a.guest_name as guestName', 'u.name'])
		.where('a.session_id', '=', id)
		.orderBy((eb) => eb('a.guest_name', 'is not', null))
		.orderBy('a.id')
		.execute();
}

/** A séance's agenda in its order, each point with its fiche's badges (none for a free point). */
function listSittingItems(db: Executor, id: number) {
	return db
		.selectFrom('agenda_item as i')
		.leftJoin('fiche as f', 'f.id', 'i.fiche_id')
		.select([
			'i.id',
			'i.position',
			'i.title',
			'f.id as ficheId',
			'f.code',
			'f.title as ficheTitle',
			'f.priority',
			'f.status'
		])
		.where('i.session_id', '=', id)
		.orderBy('i.position')
		.orderBy('i.id')
		.execute();
}

/** A séance's decisions in the order they were recorded, each with its point and who recorded it. */
function listSittingDecisions(db: Executor, id: number) {
	return db
		.selectFrom('decision as d')
		.leftJoin('user_account as u', 'u.id', 'd.recorded_by')
		.select([
			'd.id',
			'd.agenda_item_id as itemId',
			'd.kind',
			'd.previous_priority as previousPriority',
			'd.new_priority as newPriority',
			'd.opinion',
			'd.text',
			'u.name as recordedBy',
			'd.recorded_at as recordedAt'
		])
		.where('d.session_id', '=', id)
		.orderBy('d.id')
		.execute();
}

/** The organisations that carry or partner each of `ficheIds`, one line per fiche and organisation. */
async function listFicheOrganisationLinks(
	db: Executor,
	ficheIds: number[]
): Promise<{ ficheId: number; organisationId: number }[]> {
	if (ficheIds.length === 0) return [];
	return [
		...(await db
			.selectFrom('fiche_owner')
			.select(['fiche_id as ficheId', 'organisation_id as organisationId'])
			.where('fiche_id', 'in', ficheIds)
			.execute()),
		...(await db
			.selectFrom('fiche_partner')
			.select(['fiche_id as ficheId', 'organisation_id as organisationId'])
			.where('fiche_id', 'in', ficheIds)
			.execute())
	];
}

export interface PriorityStep {
	priority: number;
	since: string;
	sittingId: number | null;
	sittingDate: string | null;
	/** The séance's hour, to tell apart two séances of one day. */
	sittingStartsAt: string | null;
	rationale: string;
}

/**
 * Priority history of a fiche, oldest first: its first priority (at the plan's adoption, or on the
 * day the fiche was added to the plan afterwards), then each closed sitting's decision, by day,
 * hour (none given: first of its day) and closing.
 */
export async function listPriorityHistory(db: Executor, ficheId: number): Promise<PriorityStep[]> {
	const [fiche, plan] = [
		await db
			.selectFrom('fiche')
			.select((eb) => [
				'adopted_priority as adoptedPriority',
				eb
					.selectFrom('plan_revision as r')
					.select('r.created_at')
					.where('r.entity', '=', 'fiche')
					.whereRef('r.entity_id', '=', 'fiche.id')
					.where('r.action', '=', 'created')
					// The fiches of the plan's own first load date from its adoption.
					.where(({ ref }) => apartFromPlanLoad(ref('r.created_at')))
					.orderBy('r.id')
					.limit(1)
					.as('addedAt')
			])
			.where('id', '=', ficheId)
			.executeTakeFirstOrThrow(),
		await db
			.selectFrom('plan')
			.select('adopted_on as adoptedOn')
			.where('id', '=', 1)
			.executeTakeFirstOrThrow()
	];
	const decisions = await priorityDecisions(db, 'asc')
		.select([
			'decision.new_priority as newPriority',
			'decision.text',
			'commission_session.id',
			'commission_session.held_on as heldOn',
			'commission_session.starts_at as startsAt'
		])
		.where('agenda_item.fiche_id', '=', ficheId)
		.execute();
	return [
		{
			priority: fiche.adoptedPriority,
			since: fiche.addedAt ? parisDate(new Date(fiche.addedAt)) : plan.adoptedOn,
			sittingId: null,
			sittingDate: null,
			sittingStartsAt: null,
			rationale: fiche.addedAt
				? 'Priorité fixée à l’ajout de la fiche au plan.'
				: 'Priorité fixée à l’adoption du plan d’actions par le comité syndical.'
		},
		...decisions.map((d) => ({
			priority: d.newPriority!,
			since: d.heldOn,
			sittingId: d.id,
			sittingDate: d.heldOn,
			sittingStartsAt: d.startsAt,
			rationale: d.text
		}))
	];
}

/**
 * Each fiche's priority at the adoption and now, with how many priority decisions closed séances
 * took on it (a priority changed and changed back reads « inchangée » otherwise).
 */
export async function listPriorityComparison(db: Executor, axis?: string) {
	const rows = await fichesInPlan(db)
		.select((eb) => [
			'fiche.code',
			'fiche.title',
			'fiche.adopted_priority as adopted',
			'fiche.priority as current',
			'fiche.status',
			'axis.code as axis',
			// A fiche added since the adoption had no priority then: its first one is its own.
			ficheAddedAt(eb.ref('fiche.id')).as('addedAt'),
			closedDecisions(db)
				.select((e) => e.fn.countAll<number>().as('n'))
				.where('agenda_item.fiche_id', '=', eb.ref('fiche.id'))
				.where('decision.kind', '=', 'priority')
				.as('decisions')
		])
		.$if(Boolean(axis), (q) => q.where('axis.code', '=', axis!))
		.$call(inPlanOrder)
		.execute();
	return rows.map((r) => ({
		...r,
		decisions: Number(r.decisions ?? 0),
		moved: r.adopted !== r.current
	}));
}

/** The closed sitting before `heldOn` (the reference point of a review file). */
export async function findPreviousClosedSitting(db: Executor, heldOn: string, excludeId: number) {
	return db
		.selectFrom('commission_session')
		.select(['id', 'held_on as heldOn'])
		.where('state', '=', 'closed')
		.where('held_on', '<', heldOn)
		.where('id', '!=', excludeId)
		.orderBy('held_on', 'desc')
		.limit(1)
		.executeTakeFirst();
}

/**
 * What a fiche's review flags are read from, today: its state, when it was added to the plan, its
 * indicators without a value. Of the fiche `code` when given (its preparation file), whatever its
 * status; else of every fiche an agenda may take up: not an abandoned one, of which nothing more
 * is expected. The flags themselves are the service's (reviewFlags).
 */
export async function listFicheActivity(db: Executor, code?: string) {
	return db
		.selectFrom('fiche')
		.innerJoin('objective', 'objective.id', 'fiche.objective_id')
		.select((eb) => [
			'fiche.code',
			'fiche.title',
			'fiche.priority',
			'fiche.status',
			'fiche.last_update as lastUpdate',
			ficheAddedAt(eb.ref('fiche.id')).as('addedAt'),
			countIndicatorsWithoutValue(eb).as('neverMeasured')
		])
		.$if(code !== undefined, (q) => q.where('fiche.code', '=', code!))
		.$if(code === undefined, (q) => q.where('fiche.status', '!=', 'abandonnee'))
		.$call(inPlanOrder)
		.execute();
}

/**
 * What a fiche's review flags read of its validated data at the end of `day`: when it was added
 * to the plan, its owners' last update reported and validated by then, its indicators without a
 * value by then.
 */
export async function findFicheActivityAsOf(db: Executor, code: string, day: string) {
	return db
		.selectFrom('fiche')
		.select((eb) => [
			ficheAddedAt(eb.ref('fiche.id')).as('addedAt'),
			eb
				.selectFrom('progress_update')
				.select((u) => u.fn.max('progress_update.reported_on').as('day'))
				.whereRef('progress_update.fiche_id', '=', 'fiche.id')
				.where('progress_update.state', '=', 'validated')
				// A report of those who carry it, as the live date (refreshFicheState) and the
				// editions read it: not a status Lot numérique set itself (no organisation).
				.where('progress_update.organisation_id', 'is not', null)
				.where('progress_update.reported_on', '<=', day)
				.where(validatedBy(day))
				.as('lastUpdate'),
			countIndicatorsWithoutValue(eb, '0000-01-01', day).as('neverMeasured')
		])
		.where('fiche.code', '=', code)
		.executeTakeFirstOrThrow();
}

/** The members and staff who may be marked present at a sitting and are not yet. */
export async function listAttendeeCandidates(db: Executor, sittingId: number) {
	return db
		.selectFrom('user_account')
		.select(['id', 'name', 'role'])
		.where('role', 'in', ['commission', 'admin'])
		.where('disabled_at', 'is', null)
		.where(({ not, exists, selectFrom }) =>
			not(
				exists(
					selectFrom('session_attendee')
						.select('session_attendee.id')
						.whereRef('session_attendee.user_id', '=', 'user_account.id')
						.where('session_attendee.session_id', '=', sittingId)
				)
			)
		)
		.execute()
		.then(sortByName);
}

/** Decisions of closed sittings about a fiche, oldest first (`inDecisionOrder`; public). */
export async function listFicheDecisions(db: Executor, ficheId: number) {
	return closedDecisions(db)
		.select([
			'decision.id',
			'decision.kind',
			'decision.opinion',
			'decision.new_priority as newPriority',
			'decision.text',
			'commission_session.id as sittingId',
			'commission_session.held_on as sittingDate',
			'commission_session.starts_at as sittingStartsAt',
			'commission_session.title as sittingTitle'
		])
		.where('agenda_item.fiche_id', '=', ficheId)
		.$call(inDecisionOrder)
		.execute();
}

// — Writes of the commission's sittings (séances), called by the service in its transaction. —

/** The sitting's row as stored (state and date, deleted or not), for the service's decisions. */
export async function findSittingRow(db: Executor, id: number) {
	return db
		.selectFrom('commission_session')
		.select([
			'id',
			'state',
			'held_on as heldOn',
			'starts_at as startsAt',
			'place',
			'title',
			'deleted_at as deletedAt',
			'convened_at as convenedAt',
			'convened_as as convenedAs'
		])
		.where('id', '=', id)
		.executeTakeFirst();
}

/** The day the plan was adopted: no séance of its commission can come before. */
export async function findAdoptionDay(db: Executor): Promise<string> {
	const plan = await db
		.selectFrom('plan')
		.select('adopted_on as adoptedOn')
		.where('id', '=', 1)
		.executeTakeFirstOrThrow();
	return plan.adoptedOn;
}

/**
 * A séance convened before its convocation's facts were recorded (`convened_as`, 2026-12-10): the
 * facts it holds before a first correction are taken for what that convocation announced, so that
 * the correction is told as a move, lastingly. Nothing for a séance not convened, or recorded.
 */
export async function keepLegacyConvocationFacts(
	db: Executor,
	id: number,
	facts: SittingFacts
): Promise<void> {
	await db
		.updateTable('commission_session')
		.set({ convened_as: JSON.stringify(facts) })
		.where('id', '=', id)
		.where('convened_at', 'is not', null)
		.where('convened_as', 'is', null)
		.execute();
}

export async function updateSittingDetails(
	db: Executor,
	id: number,
	details: SittingFacts
): Promise<void> {
	await db
		.updateTable('commission_session')
		.set({
			held_on: details.heldOn,
			starts_at: details.startsAt,
			place: details.place,
			title: details.title
		})
		.where('id', '=', id)
		.execute();
}

/** The séances (not deleted) of a day: their place and title, to refuse the same one twice. */
/**
 * The séances (not deleted) of a day at an hour — `startsAt` null: those without an hour —, but
 * `exceptId`: those a séance of that moment may repeat (`sameSittingRefusal`).
 */
export async function listSittingsAt(
	db: Executor,
	{ heldOn, startsAt }: { heldOn: string; startsAt: string | null },
	exceptId: number | null = null
) {
	return fromLiveSittings(db)
		.select(['id', 'held_on as heldOn', 'starts_at as startsAt', 'place', 'title'])
		.where('held_on', '=', heldOn)
		.where('starts_at', 'is', startsAt)
		.$if(exceptId !== null, (q) => q.where('id', '!=', exceptId!))
		.orderBy('id')
		.execute();
}

export async function insertSitting(
	db: Executor,
	sitting: {
		heldOn: string;
		startsAt: string | null;
		place: string;
		title: string;
		createdBy: number;
		at: string;
	}
): Promise<number> {
	const { id } = await db
		.insertInto('commission_session')
		.values({
			held_on: sitting.heldOn,
			starts_at: sitting.startsAt,
			place: sitting.place,
			title: sitting.title,
			state: 'preparation',
			source: null,
			created_by: sitting.createdBy,
			created_at: sitting.at,
			closed_by: null,
			closed_at: null
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return id;
}

export async function setSittingState(
	db: Executor,
	id: number,
	change: { state: 'held' } | { state: 'closed'; closedBy: number; at: string }
): Promise<void> {
	await db
		.updateTable('commission_session')
		.set(
			change.state === 'closed'
				? { state: 'closed', closed_by: change.closedBy, closed_at: change.at }
				: { state: 'held' }
		)
		.where('id', '=', id)
		.execute();
}

/**
 * The fiches of these codes (id, code), in the plan's order (2-1 before 10-1), as an agenda lists
 * them, with when each was added to the plan (`addedAt`, null: adopted with it).
 */
export async function listFichesWithAddedAt(db: Executor, codes: string[]) {
	if (codes.length === 0) return [];
	return db
		.selectFrom('fiche')
		.innerJoin('objective', 'objective.id', 'fiche.objective_id')
		.select((eb) => [
			'fiche.id',
			'fiche.code',
			'fiche.status',
			ficheAddedAt(eb.ref('fiche.id')).as('addedAt')
		])
		.where('fiche.code', 'in', codes)
		.$call(inPlanOrder)
		.execute();
}

/** The fiches on a sitting's agenda that were added to the plan after it was adopted, and when. */
export async function listAgendaFicheAdditions(
	db: Executor,
	sittingId: number
): Promise<{ code: string; addedAt: string }[]> {
	const rows = await db
		.selectFrom('agenda_item')
		.innerJoin('fiche', 'fiche.id', 'agenda_item.fiche_id')
		.select((eb) => ['fiche.code', ficheAddedAt(eb.ref('fiche.id')).as('addedAt')])
		.where('agenda_item.session_id', '=', sittingId)
		.execute();
	return rows.flatMap((r) => (r.addedAt === null ? [] : [{ code: r.code, addedAt: r.addedAt }]));
}

export async function listAgendaFicheIds(db: Executor, sittingId: number): Promise<Set<number>> {
	const rows = await db
		.selectFrom('agenda_item')
		.select('fiche_id as ficheId')
		.where('session_id', '=', sittingId)
		.execute();
	return new Set(rows.map((r) => r.ficheId).filter((id): id is number => id !== null));
}

/** Appends a point to the agenda, after the last one. */
export async function appendAgendaItem(
	db: Executor,
	sittingId: number,
	item: { ficheId: number } | { title: string }
): Promise<void> {
	const last = await db
		.selectFrom('agenda_item')
		.select((eb) => eb.fn.max('position').as('p'))
		.where('session_id', '=', sittingId)
		.executeTakeFirst();
	await db
		.insertInto('agenda_item')
		.values({
			session_id: sittingId,
			fiche_id: 'ficheId' in item ? item.ficheId : null,
			title: 'title' in item ? item.title : null,
			position: Number(last?.p ?? 0) + 1
		})
		.execute();
}

/** A point of the sitting's agenda, with its fiche if it has one. */
export async function findAgendaItem(db: Executor, sittingId: number, itemId: number) {
	return db
		.selectFrom('agenda_item')
		.leftJoin('fiche', 'fiche.id', 'agenda_item.fiche_id')
		.select([
			'agenda_item.id',
			'agenda_item.fiche_id as ficheId',
			'agenda_item.title',
			'fiche.code',
			'fiche.priority',
			'fiche.status'
		])
		.where('agenda_item.id', '=', itemId)
		.where('agenda_item.session_id', '=', sittingId)
		.executeTakeFirst();
}

/** Whether the point carries a decision (of that kind, when given). */
export async function agendaItemHasDecision(
	db: Executor,
	itemId: number,
	kind?: DecisionKind
): Promise<boolean> {
	const row = await db
		.selectFrom('decision')
		.select('id')
		.where('agenda_item_id', '=', itemId)
		.$if(kind !== undefined, (q) => q.where('kind', '=', kind!))
		.executeTakeFirst();
	return row !== undefined;
}

export async function deleteAgendaItem(db: Executor, itemId: number): Promise<void> {
	await db.deleteFrom('agenda_item').where('id', '=', itemId).execute();
}

/** A member of the commission or of the staff, who may be listed as present: not disabled. */
export async function findCommissionMember(db: Executor, userId: number) {
	return db
		.selectFrom('user_account')
		.select(['id', 'name'])
		.where('id', '=', userId)
		.where('role', 'in', ['commission', 'admin'])
		.where('disabled_at', 'is', null)
		.executeTakeFirst();
}

/** The guests' names of a sitting (to refuse one given twice). */
export async function listAttendeeNames(
	db: Executor,
	sittingId: number
): Promise<{ name: string; guest: boolean }[]> {
	const attendees = await db
		.selectFrom('session_attendee as a')
		.leftJoin('user_account as u', 'u.id', 'a.user_id')
		.select(['a.guest_name as guestName', 'u.name as memberName'])
		.where('a.session_id', '=', sittingId)
		.execute();
	return attendees.map((a) => ({
		name: a.guestName ?? a.memberName ?? '',
		guest: a.guestName !== null
	}));
}

/** The free points' titles of a sitting's agenda (to refuse one given twice). */
export async function listFreeItemTitles(db: Executor, sittingId: number): Promise<string[]> {
	const items = await db
		.selectFrom('agenda_item')
		.select('title')
		.where('session_id', '=', sittingId)
		.where('title', 'is not', null)
		.execute();
	return items.map((i) => i.title!);
}

/** Whether a point already carries this very decision (same kind, priority, opinion and text). */
export async function hasSameDecision(
	db: Executor,
	itemId: number,
	decision: {
		kind: DecisionKind;
		newPriority: number | null;
		opinion: Opinion | null;
		text: string;
	}
): Promise<boolean> {
	const row = await db
		.selectFrom('decision')
		.select('id')
		.where('agenda_item_id', '=', itemId)
		.where('kind', '=', decision.kind)
		.where('new_priority', 'is', decision.newPriority)
		.where('opinion', 'is', decision.opinion)
		.where('text', '=', decision.text)
		.executeTakeFirst();
	return row !== undefined;
}

export async function isAttending(db: Executor, sittingId: number, userId: number) {
	const row = await db
		.selectFrom('session_attendee')
		.select('id')
		.where('session_id', '=', sittingId)
		.where('user_id', '=', userId)
		.executeTakeFirst();
	return row !== undefined;
}

export async function insertAttendee(
	db: Executor,
	sittingId: number,
	attendee: { userId: number } | { guestName: string }
): Promise<void> {
	await db
		.insertInto('session_attendee')
		.values({
			session_id: sittingId,
			user_id: 'userId' in attendee ? attendee.userId : null,
			guest_name: 'guestName' in attendee ? attendee.guestName : null
		})
		.execute();
}

/** False when there was no such attendee in that sitting. */
export async function deleteAttendee(
	db: Executor,
	sittingId: number,
	attendeeId: number
): Promise<boolean> {
	const result = await db
		.deleteFrom('session_attendee')
		.where('id', '=', attendeeId)
		.where('session_id', '=', sittingId)
		.executeTakeFirst();
	return Number(result.numDeletedRows) > 0;
}

export async function insertDecision(
	db: Executor,
	decision: {
		sittingId: number;
		itemId: number;
		kind: DecisionKind;
		previousPriority: number | null;
		newPriority: number | null;
		opinion: Opinion | null;
		text: string;
		recordedBy: number;
		at: string;
	}
): Promise<number> {
	const { id } = await db
		.insertInto('decision')
		.values({
			session_id: decision.sittingId,
			agenda_item_id: decision.itemId,
			kind: decision.kind,
			previous_priority: decision.previousPriority,
			new_priority: decision.newPriority,
			opinion: decision.opinion,
			text: decision.text,
			recorded_by: decision.recordedBy,
			recorded_at: decision.at
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return id;
}

/** One decision of a sitting, with the point it is about (a fiche's code or a free point). */
export async function findSittingDecision(db: Executor, sittingId: number, decisionId: number) {
	return db
		.selectFrom('decision')
		.innerJoin('agenda_item', 'agenda_item.id', 'decision.agenda_item_id')
		.leftJoin('fiche', 'fiche.id', 'agenda_item.fiche_id')
		.select([
			'decision.id',
			'decision.kind',
			'decision.new_priority as newPriority',
			'decision.opinion',
			'decision.text',
			'fiche.code'
		])
		.where('decision.session_id', '=', sittingId)
		.where('decision.id', '=', decisionId)
		.executeTakeFirst();
}

export async function deleteDecision(db: Executor, decisionId: number): Promise<void> {
	await db.deleteFrom('decision').where('id', '=', decisionId).execute();
}

/** The title of a campaign still running (not closed, deadline not past) that prepares this sitting. */
export async function findPreparingCampaign(db: Executor, sittingId: number, today: string) {
	return db
		.selectFrom('campaign')
		.select('title')
		.where('session_id', '=', sittingId)
		.where('closed_at', 'is', null)
		.where('deadline', '>=', today)
		.executeTakeFirst();
}

/**
 * Deletes a sitting without decisions: its agenda and attendees go, its row stays marked (its
 * number is never given again); a campaign over that prepared it keeps its fiches and answers,
 * without the link to a séance that no longer exists.
 */
export async function deleteSittingRows(
	db: Executor,
	sittingId: number,
	at: string
): Promise<void> {
	await db
		.updateTable('campaign')
		.set({ session_id: null })
		.where('session_id', '=', sittingId)
		.execute();
	await db.deleteFrom('session_attendee').where('session_id', '=', sittingId).execute();
	await db.deleteFrom('agenda_item').where('session_id', '=', sittingId).execute();
	await db
		.updateTable('commission_session')
		.set({ deleted_at: at })
		.where('id', '=', sittingId)
		.execute();
}

/** How many points the sitting's agenda holds. */
export async function countAgendaItems(db: Executor, sittingId: number): Promise<number> {
	const row = await db
		.selectFrom('agenda_item')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('session_id', '=', sittingId)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Every decision of a sitting, as the ids the closing page showed (ascending). */
export async function listDecisionIds(db: Executor, sittingId: number): Promise<number[]> {
	const rows = await db
		.selectFrom('decision')
		.select('id')
		.where('session_id', '=', sittingId)
		.orderBy('id')
		.execute();
	return rows.map((r) => r.id);
}

/**
 * The sitting's priority decisions, each with its fiche's priority and status now and the day and
 * hour of the latest closed sitting that decided that fiche's priority (null when none has).
 */
export async function listPriorityDecisions(db: Executor, sittingId: number) {
	return db
		.selectFrom('decision as d')
		.innerJoin('agenda_item as i', 'i.id', 'd.agenda_item_id')
		.innerJoin('fiche as f', 'f.id', 'i.fiche_id')
		.select((eb) => [
			'd.id as decisionId',
			'f.id',
			'f.code',
			'f.priority',
			'f.status',
			'd.previous_priority as previousPriority',
			'd.new_priority as newPriority',
			lastPriorityDecision(db, eb.ref('f.id'), 'held_on').as('lastDecidedOn'),
			lastPriorityDecision(db, eb.ref('f.id'), 'starts_at').as('lastDecidedAt')
		])
		.where('d.session_id', '=', sittingId)
		.where('d.kind', '=', 'priority')
		.orderBy('d.id')
		.execute();
}

/**
 * The day (`held_on`) or hour (`starts_at`) of the latest closed sitting that decided the fiche's
 * priority (`priorityDecisions`' order).
 */
function lastPriorityDecision(
	db: Executor,
	ficheId: Expression<number>,
	column: 'held_on' | 'starts_at'
) {
	return priorityDecisions(db, 'desc')
		.select(`commission_session.${column}`)
		.where('agenda_item.fiche_id', '=', ficheId)
		.limit(1)
		.$asScalar();
}

/** The day and hour of the latest closed sitting that decided this fiche's priority, or null. */
export async function findLastPriorityDecision(
	db: Executor,
	ficheId: number
): Promise<{ heldOn: string; startsAt: string | null } | null> {
	const row = await db
		.selectFrom('fiche as f')
		.select((eb) => [
			lastPriorityDecision(db, eb.ref('f.id'), 'held_on').as('heldOn'),
			lastPriorityDecision(db, eb.ref('f.id'), 'starts_at').as('startsAt')
		])
		.where('f.id', '=', ficheId)
		.executeTakeFirst();
	return row?.heldOn ? { heldOn: row.heldOn, startsAt: row.startsAt ?? null } : null;
}

export async function setFichePriority(
	db: Executor,
	ficheId: number,
	priority: number
): Promise<void> {
	await db.updateTable('fiche').set({ priority }).where('id', '=', ficheId).execute();
}
