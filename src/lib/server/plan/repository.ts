import type { Executor } from '../db';
import {
	type CompiledQuery,
	expressionBuilder,
	type Expression,
	type ExpressionBuilder,
	type RawBuilder,
	type SelectQueryBuilder,
	sql
} from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/sqlite';
import type { RichText } from '../../utils/rich-text';
import { flattenRichText } from '../../utils/rich-text';
import { compareFrench, foldSearchedText, searchAlternatives } from '../../utils/text';
import { FICHE_PAGE_HISTORY, FICHE_PAGE_MEASUREMENTS } from '../../utils/rules';
import type { Database, FicheStatus, OrganisationKind } from '../db/schema';
import type { IndicatorDefinition } from '../../utils/indicator-target';
import { indicatorRowInPlanBy, inPlanBy } from '../authoring/revisions-repository';
import { parisDayEnd } from '../../utils/dates';

export interface PlanInfo {
	title: string;
	territory: string;
	periodStart: number;
	periodEnd: number;
	adoptedOn: string;
	finalisedOn: string;
	source: string;
}

export interface AxisRef {
	code: string;
	shortName: string;
	label: string;
	position: number;
}
export interface OrientationRef {
	code: string;
	axis: string;
	label: string;
	position: number;
}
export interface ObjectiveRef {
	number: number;
	orientation: string;
	label: string;
	synthesisLabel: string | null;
}

export interface FicheSummary {
	id: number;
	code: string;
	objective: number;
	orientation: string;
	axis: string;
	title: string;
	shortTitle: string | null;
	priority: number;
	status: FicheStatus;
	progress: number | null;
	lastUpdate: string | null;
}

export interface OrganisationRef {
	slug: string;
	name: string;
}

/** One owner of a fiche: the organisation, the part of the action it carries and a note. */
export interface FicheOwner extends OrganisationRef {
	organisationId: number;
	/** The day the organisation was retired (the fiche page says so beside its name), or null. */
	retiredAt: string | null;
	scope: string | null;
	note: string | null;
}
/** One partner of a fiche: the organisation and what it may bring. */
export interface FichePartner extends OrganisationRef {
	organisationId: number;
	/** The day the organisation was retired, or null. */
	retiredAt: string | null;
	detail: string | null;
}

export interface Measurement {
	measuredOn: string;
	value: number;
	comment: string | null;
}
export interface Indicator extends IndicatorDefinition {
	id: number;
	position: number;
	/** A retired indicator keeps its measurements and takes no new ones. */
	retiredAt: string | null;
	measurements: Measurement[];
}

export interface HistoryEntry {
	id: number;
	reportedOn: string;
	status: FicheStatus | null;
	progress: number | null;
	done: string;
	nextSteps: string;
	difficulties: string;
	source: string | null;
	organisation: OrganisationRef | null;
}

export interface FicheDetail extends FicheSummary {
	placement: {
		objectiveLabel: string;
		objectiveSynthesisLabel: string | null;
		orientationLabel: string;
		axisShortName: string;
		axisLabel: string;
	};
	context: RichText;
	existing: RichText;
	description: RichText;
	successFactors: RichText;
	ownersNote: string | null;
	owners: FicheOwner[];
	partners: FichePartner[];
	/** The fiches it links to and those that link to it; an abandoned one is marked on its page. */
	linked: LinkedFiche[];
	citedBy: LinkedFiche[];
	indicators: Indicator[];
	/** The latest FICHE_PAGE_HISTORY validated updates, oldest first. */
	history: HistoryEntry[];
	historyYears: { year: number; count: number }[];
}

/** A stored event of the plan's history (`plan_event`); plan/history.ts makes the listed `PlanEvent`. */
export interface PlanEventRow {
	occurredOn: string;
	title: string;
	body: string;
	source: string;
}

export interface Organisation {
	id: number;
	slug: string;
	name: string;
	fullName: string | null;
	kind: OrganisationKind;
}

export async function findPlan(db: Executor): Promise<PlanInfo> {
	return planQuery(db).executeTakeFirstOrThrow();
}

/** The plan's own row (there is one, id 1, once the plan is loaded). */
export function planQuery(db: Executor) {
	return db
		.selectFrom('plan')
		.select([
			'title',
			'territory',
			'period_start as periodStart',
			'period_end as periodEnd',
			'adopted_on as adoptedOn',
			'finalised_on as finalisedOn',
			'source'
		])
		.where('id', '=', 1);
}

export async function listPlanEvents(db: Executor): Promise<PlanEventRow[]> {
	return db
		.selectFrom('plan_event')
		.select(['occurred_on as occurredOn', 'title', 'body', 'source'])
		.orderBy('occurred_on')
		.orderBy('id')
		.execute();
}

// With `asOf` (an edition prepared for a past year), the readers below leave out what was added
// to the plan after that day (`inPlanBy`). An axis, an orientation or an objective added later
// stays when something that was in the plan then now lies under it (an orientation of 2019 moved
// in 2020 under an axis added in 2020): no fiche of the edition is left without its place.
// An axis, an orientation or an objective withdrawn from the plan (`retired_at`) is left out from
// its withdrawal on: today's plan has none, a past year's has those withdrawn after its day.

/** Whether a `retired_at` column says the element was still in the plan (at the end of `day`). */
export function notRetired(column: Expression<string | null>, day?: string) {
	const eb = expressionBuilder<Database>();
	return day === undefined
		? eb(column, 'is', null)
		: eb.or([eb(column, 'is', null), eb(column, '>=', parisDayEnd(day))]);
}

function objectiveInPlanBy(id: Expression<number>, day: string) {
	const eb = expressionBuilder<Database>();
	return eb.or([
		inPlanBy('objective', id, day),
		eb.exists(
			eb
				.selectFrom('fiche as kept_fiche')
				.select('kept_fiche.id')
				.where('kept_fiche.objective_id', '=', id)
				.where(({ ref }) => inPlanBy('fiche', ref('kept_fiche.id'), day))
		)
	]);
}

function orientationInPlanBy(id: Expression<number>, day: string) {
	const eb = expressionBuilder<Database>();
	return eb.or([
		inPlanBy('orientation', id, day),
		eb.exists(
			eb
				.selectFrom('objective as kept_objective')
				.select('kept_objective.id')
				.where('kept_objective.orientation_id', '=', id)
				.where(({ ref }) => notRetired(ref('kept_objective.retired_at'), day))
				.where(({ ref }) => objectiveInPlanBy(ref('kept_objective.id'), day))
		)
	]);
}

function axisInPlanBy(id: Expression<number>, day: string) {
	const eb = expressionBuilder<Database>();
	return eb.or([
		inPlanBy('axis', id, day),
		eb.exists(
			eb
				.selectFrom('orientation as kept_orientation')
				.select('kept_orientation.id')
				.where('kept_orientation.axis_id', '=', id)
				.where(({ ref }) => notRetired(ref('kept_orientation.retired_at'), day))
				.where(({ ref }) => orientationInPlanBy(ref('kept_orientation.id'), day))
		)
	]);
}

export async function listAxes(db: Executor, asOf?: string): Promise<AxisRef[]> {
	return db
		.selectFrom('axis')
		.select(['code', 'short_name as shortName', 'label', 'position'])
		.where(({ ref }) => notRetired(ref('axis.retired_at'), asOf))
		.$if(asOf !== undefined, (q) => q.where(({ ref }) => axisInPlanBy(ref('axis.id'), asOf!)))
		.orderBy('position')
		.execute();
}

export async function listOrientations(db: Executor, asOf?: string): Promise<OrientationRef[]> {
	return (
		db
			.selectFrom('orientation')
			.innerJoin('axis', 'axis.id', 'orientation.axis_id')
			.select([
				'orientation.code',
				'axis.code as axis',
				'orientation.label',
				'orientation.position'
			])
			.where(({ ref }) => notRetired(ref('orientation.retired_at'), asOf))
			.$if(asOf !== undefined, (q) =>
				q.where(({ ref }) => orientationInPlanBy(ref('orientation.id'), asOf!))
			)
			// Under their axis, in its order: an axis moved before another takes its orientations along.
			.orderBy('axis.position')
			.orderBy('orientation.position')
			.execute()
	);
}

export async function listObjectives(db: Executor, asOf?: string): Promise<ObjectiveRef[]> {
	return db
		.selectFrom('objective')
		.innerJoin('orientation', 'orientation.id', 'objective.orientation_id')
		.select([
			'objective.number',
			'orientation.code as orientation',
			'objective.label',
			'objective.synthesis_label as synthesisLabel'
		])
		.where(({ ref }) => notRetired(ref('objective.retired_at'), asOf))
		.$if(asOf !== undefined, (q) =>
			q.where(({ ref }) => objectiveInPlanBy(ref('objective.id'), asOf!))
		)
		.orderBy('objective.number')
		.execute();
}

/** A fiche's texts as stored (RichText JSON, read with JSON.parse) and the note on its owners. */
export const FICHE_TEXT_COLUMNS = [
	'fiche.context',
	'fiche.existing',
	'fiche.description',
	'fiche.success_factors as successFactors',
	'fiche.owners_note as ownersNote'
] as const;

/** What describes an indicator: label, unit, the kind of its values, target and baseline with their dates. */
export const INDICATOR_COLUMNS = [
	'indicator.label',
	'indicator.unit',
	'indicator.kind',
	'indicator.target',
	'indicator.target_date as targetDate',
	'indicator.baseline',
	'indicator.baseline_date as baselineDate'
] as const;

/**
 * Fiches with their objective, orientation and axis: the join every query of a fiche's place in
 * the plan starts from.
 */
export function fichesInPlan(db: Executor) {
	return db
		.selectFrom('fiche')
		.innerJoin('objective', 'objective.id', 'fiche.objective_id')
		.innerJoin('orientation', 'orientation.id', 'objective.orientation_id')
		.innerJoin('axis', 'axis.id', 'orientation.axis_id');
}

/**
 * The plan's order of fiches: by objective, then the fiche's number in it (« 9-2 » before
 * « 10-1 »), the one order of every list of fiches (pages, files, open data, the workbook).
 * Called with `.$call(inPlanOrder)` on a query that has `fiche` and `objective` under those names;
 * a query without them does not compile. Further keys follow it (`.orderBy('indicator.position')`).
 */
export function inPlanOrder<DB, TB extends keyof DB, O>(
	query: SelectQueryBuilder<DB, TB, O> & (PlanTables extends TB ? unknown : never)
): SelectQueryBuilder<DB, TB, O> {
	// Kysely cannot check a column name against a generic set of tables: the signature above checks
	// that both tables are there, this line only orders by them.
	const inPlan = query as unknown as SelectQueryBuilder<Database, PlanTables, O>;
	return inPlan
		.orderBy('objective.number')
		.orderBy('fiche.number') as unknown as SelectQueryBuilder<DB, TB, O>;
}

type PlanTables = 'fiche' | 'objective';

function ficheSummaryQuery(db: Executor) {
	return fichesInPlan(db)
		.select([
			'fiche.id',
			'fiche.code',
			'objective.number as objective',
			'orientation.code as orientation',
			'axis.code as axis',
			'fiche.title',
			'fiche.short_title as shortTitle',
			'fiche.priority',
			'fiche.status',
			'fiche.progress',
			'fiche.last_update as lastUpdate'
		])
		.$call(inPlanOrder);
}

export interface FicheQuery {
	axis?: string;
	orientation?: string;
	objective?: number;
	priority?: number;
	status?: FicheStatus;
	organisation?: string;
	/** already folded with foldSearchQuery(): words separated by single spaces */
	text?: string;
	/** A fiche's code typed as the search (« 1-1 »): that fiche only. */
	code?: string;
	/** Only the fiches already in the plan at the end of that day (an edition's date). */
	asOf?: string;
}

/**
 * Where each value of a FicheQuery goes in listFiches' statement: an index into the request's
 * values. Which filters are set and how many forms each searched word has make the statement's
 * shape; the values themselves are its parameters.
 */
interface FicheListSlots {
	axis?: number;
	orientation?: number;
	objective?: number;
	priority?: number;
	status?: number;
	code?: number;
	organisation?: number;
	/** The search's ways to match (searchAlternatives): each word's forms, in each. */
	words: number[][][];
}

function ficheListSlots(query: FicheQuery): { slots: FicheListSlots; values: unknown[] } {
	const values: unknown[] = [];
	const slot = (value: unknown) => values.push(value) - 1;
	const given = <T>(value: T | undefined) => (value === undefined ? undefined : slot(value));
	// An empty string sets no filter, as `$if(Boolean(…))` read it.
	const text = (value: string | undefined) => (value ? slot(value) : undefined);
	const slots: FicheListSlots = {
		axis: text(query.axis),
		orientation: text(query.orientation),
		objective: given(query.objective),
		priority: given(query.priority),
		status: text(query.status),
		code: text(query.code),
		organisation: text(query.organisation),
		// Every word of the search, in any order, at the start of a word of the fiche's texts (or
		// two in a row joined: « cdg 46 » for « CDG46 »).
		words: query.text
			? searchAlternatives(query.text).map((words) => words.map((forms) => forms.map(slot)))
			: []
	};
	return { slots, values };
}

/** listFiches' statement for `slots`, each value written by `value` (the request's, or a slot's). */
function ficheListQuery(
	db: Executor,
	slots: FicheListSlots,
	value: <T>(slot: number) => T,
	asOf: string | undefined
) {
	const { axis, orientation, objective, priority, status, code, organisation, words } = slots;
	return ficheSummaryQuery(db)
		.$if(axis !== undefined, (q) => q.where('axis.code', '=', value<string>(axis!)))
		.$if(orientation !== undefined, (q) =>
			q.where('orientation.code', '=', value<string>(orientation!))
		)
		.$if(objective !== undefined, (q) =>
			q.where('objective.number', '=', value<number>(objective!))
		)
		.$if(priority !== undefined, (q) => q.where('fiche.priority', '=', value<number>(priority!)))
		.$if(status !== undefined, (q) => q.where('fiche.status', '=', value<FicheStatus>(status!)))
		.$if(code !== undefined, (q) => q.where('fiche.code', '=', value<string>(code!)))
		.$if(asOf !== undefined, (q) => q.where(({ ref }) => inPlanBy('fiche', ref('fiche.id'), asOf!)))
		.$if(organisation !== undefined, (q) =>
			q.where((eb) =>
				eb.or([
					eb(
						'fiche.id',
						'in',
						eb
							.selectFrom('fiche_owner')
							.innerJoin('organisation', 'organisation.id', 'fiche_owner.organisation_id')
							.select('fiche_owner.fiche_id')
							.where('organisation.slug', '=', value<string>(organisation!))
					),
					eb(
						'fiche.id',
						'in',
						eb
							.selectFrom('fiche_partner')
							.innerJoin('organisation', 'organisation.id', 'fiche_partner.organisation_id')
							.select('fiche_partner.fiche_id')
							.where('organisation.slug', '=', value<string>(organisation!))
					)
				])
			)
		)
		.$if(words.length > 0, (q) =>
			q.where((eb) =>
				eb.or(
					words.map((alternative) =>
						eb.and(
							alternative.map((forms) =>
								eb.or(
									forms.map((form) =>
										eb(eb.fn('instr', ['fiche.search_text', eb.val(value<string>(form))]), '>', 0)
									)
								)
							)
						)
					)
				)
			)
		)
		.compile();
}

/**
 * listFiches' statements compiled once per shape (the slots: which filters, how many forms per
 * word), each parameter either a slot of the request's values or a constant of the statement.
 * Kysely built and compiled the statement on every filtered request of `/fiches`, about a third of
 * its `load` (docs/performance.md, « 2026-12-06 (noon) »). Emptied past MAX_FICHE_LIST_SHAPES:
 * a search of many words makes a shape of its own.
 */
const ficheListStatements = new Map<
	string,
	{ query: CompiledQuery<FicheSummary>; parameters: ({ slot: number } | { constant: unknown })[] }
>();
const MAX_FICHE_LIST_SHAPES = 500;
// What a slot's value is compiled as: no value a filter reads can hold it (NUL).
const SLOT_MARK = '\u0000fiche-list-slot:';

function ficheListStatement(db: Executor, slots: FicheListSlots) {
	const shape = JSON.stringify(slots);
	let statement = ficheListStatements.get(shape);
	if (!statement) {
		const query = ficheListQuery(db, slots, (slot) => `${SLOT_MARK}${slot}` as never, undefined);
		const parameters = query.parameters.map((p) =>
			typeof p === 'string' && p.startsWith(SLOT_MARK)
				? { slot: Number(p.slice(SLOT_MARK.length)) }
				: { constant: p }
		);
		if (ficheListStatements.size >= MAX_FICHE_LIST_SHAPES) ficheListStatements.clear();
		statement = { query, parameters };
		ficheListStatements.set(shape, statement);
	}
	return statement;
}

/** Fiches matching every given criterion, in plan order. */
export async function listFiches(db: Executor, query: FicheQuery = {}): Promise<FicheSummary[]> {
	const { slots, values } = ficheListSlots(query);
	// As of an edition's date (the open data of an edition, rare): built and compiled as it comes.
	if (query.asOf !== undefined) {
		const statement = ficheListQuery(db, slots, (slot) => values[slot] as never, query.asOf);
		return (await db.executeQuery(statement)).rows;
	}
	const { query: compiled, parameters } = ficheListStatement(db, slots);
	const withValues = parameters.map((p) => ('slot' in p ? values[p.slot] : p.constant));
	return (await db.executeQuery<FicheSummary>({ ...compiled, parameters: withValues })).rows;
}

/**
 * Writes each fiche's search text from every text of the fiche: code, titles, every section, the
 * owners' note, its indicators and the names of its owners and partners (with their roles), in
 * the form foldSearchedText() gives. Run at each start (cheap: one row per fiche, written only when
 * it changed), so a change of the texts or of the folding reaches the search.
 */
export async function refreshSearchText(db: Executor): Promise<number> {
	const fiches = await db
		.selectFrom('fiche')
		.select([
			'id',
			'code',
			'title',
			'short_title',
			'context',
			'existing',
			'description',
			'success_factors',
			'owners_note',
			'search_text'
		])
		.execute();
	const extra = new Map<number, string[]>();
	const add = (ficheId: number, ...texts: (string | null)[]) => {
		const list = extra.get(ficheId) ?? [];
		for (const text of texts) if (text) list.push(text);
		extra.set(ficheId, list);
	};
	const organisations = db
		.selectFrom('fiche_owner')
		.innerJoin('organisation', 'organisation.id', 'fiche_owner.organisation_id')
		.select(['fiche_owner.fiche_id as fiche_id', 'organisation.name', 'organisation.full_name'])
		.select('fiche_owner.scope as role')
		.unionAll(
			db
				.selectFrom('fiche_partner')
				.innerJoin('organisation', 'organisation.id', 'fiche_partner.organisation_id')
				.select([
					'fiche_partner.fiche_id as fiche_id',
					'organisation.name',
					'organisation.full_name'
				])
				.select('fiche_partner.detail as role')
		);
	for (const r of await organisations.execute()) add(r.fiche_id, r.name, r.full_name, r.role);
	// An organisation's former names find its fiches too (a renamed CDG46 is still « CDG46 »).
	const formerNames = db
		.selectFrom('organisation_alias as a')
		.innerJoin('fiche_owner as o', 'o.organisation_id', 'a.organisation_id')
		.select(['o.fiche_id as fiche_id', 'a.name'])
		.unionAll(
			db
				.selectFrom('organisation_alias as a')
				.innerJoin('fiche_partner as p', 'p.organisation_id', 'a.organisation_id')
				.select(['p.fiche_id as fiche_id', 'a.name'])
		);
	for (const r of await formerNames.execute()) add(r.fiche_id, r.name);
	for (const r of await db.selectFrom('indicator').select(['fiche_id', 'label', 'unit']).execute())
		add(r.fiche_id, r.label, r.unit);

	let changed = 0;
	for (const f of fiches) {
		const rich = [f.context, f.existing, f.description, f.success_factors].map((json) =>
			flattenRichText(JSON.parse(json) as RichText)
		);
		const text = foldSearchedText(
			[f.code, f.title, f.short_title, ...rich, f.owners_note, ...(extra.get(f.id) ?? [])]
				.filter(Boolean)
				.join(' ')
		);
		if (text === f.search_text) continue;
		await db.updateTable('fiche').set({ search_text: text }).where('id', '=', f.id).execute();
		changed++;
	}
	return changed;
}

export async function findFicheSummaryByCode(
	db: Executor,
	code: string
): Promise<FicheSummary | undefined> {
	return ficheSummaryQuery(db).where('fiche.code', '=', code).executeTakeFirst();
}

/** SQLite gives a nested list as JSON text (jsonArrayFrom); other drivers may parse it already. */
export function nested<T>(value: T[] | string): T[] {
	return typeof value === 'string' ? (JSON.parse(value) as T[]) : value;
}

/** The two lists of organisations of a fiche, each table with the columns of its own. */
const ROSTER_COLUMNS = {
	fiche_owner: ['scope', 'note'],
	fiche_partner: ['detail']
} as const;
type Roster = keyof typeof ROSTER_COLUMNS;

/**
 * A fiche's owners or partners (by `table`) in their order, as a nested list of a query of
 * fiches (jsonArrayFrom; read it with nested()): every list of them, on the fiche page, the edit
 * form, the frozen plan and the open data, is this one.
 */
function ficheRoster(
	eb: ExpressionBuilder<Database, 'fiche'>,
	table: 'fiche_owner'
): RawBuilder<FicheOwner[]>;
function ficheRoster(
	eb: ExpressionBuilder<Database, 'fiche'>,
	table: 'fiche_partner'
): RawBuilder<FichePartner[]>;
function ficheRoster(
	eb: ExpressionBuilder<Database, 'fiche'>,
	table: Roster
): RawBuilder<FicheOwner[]> | RawBuilder<FichePartner[]> {
	// Kysely types a query over one table: both tables share the columns named here, under the
	// alias `link`, and the columns of their own come from ROSTER_COLUMNS (the overloads above
	// give each list its type).
	const link = `${table} as link` as 'fiche_owner as link';
	const own = ROSTER_COLUMNS[table].map(
		(column) => `link.${column}`
	) as `link.${'scope' | 'note'}`[];
	return jsonArrayFrom(
		eb
			.selectFrom(link)
			.innerJoin('organisation', 'organisation.id', 'link.organisation_id')
			.select([
				'link.organisation_id as organisationId',
				'organisation.slug',
				'organisation.name',
				'organisation.retired_at as retiredAt'
			])
			.select(own)
			.whereRef('link.fiche_id', '=', 'fiche.id')
			.orderBy('link.position')
	);
}

/** A fiche's owners in their order (organisation, scope, note): see ficheRoster. */
export const ficheOwners = (eb: ExpressionBuilder<Database, 'fiche'>) =>
	ficheRoster(eb, 'fiche_owner');

/** A fiche's partners in their order (organisation, detail): see ficheRoster. */
export const fichePartners = (eb: ExpressionBuilder<Database, 'fiche'>) =>
	ficheRoster(eb, 'fiche_partner');

/** The fiches a fiche links to, in the order it names them (the plan's own order of links). */
export function ficheLinkedFiches(eb: ExpressionBuilder<Database, 'fiche'>, asOf?: string) {
	return jsonArrayFrom(
		eb
			.selectFrom('fiche_link')
			.innerJoin('fiche as linked', 'linked.id', 'fiche_link.linked_fiche_id')
			.select(['linked.id as ficheId', 'linked.code'])
			.whereRef('fiche_link.fiche_id', '=', 'fiche.id')
			.$if(asOf !== undefined, (q) =>
				q.where(({ ref }) => inPlanBy('fiche', ref('linked.id'), asOf!))
			)
			.orderBy('fiche_link.position')
	);
}

/** A fiche another one links to, or that links to it, with its status (« Abandonnée »). */
interface LinkedFiche {
	code: string;
	title: string;
	status: FicheStatus;
}

/**
 * The fiches a fiche links to and those that link to it, as one nested list of the fiche's row,
 * in plan order, each with its direction.
 */
function ficheLinks(eb: ExpressionBuilder<Database, 'fiche'>) {
	return jsonArrayFrom(
		eb
			.selectFrom('fiche_link')
			.innerJoin('fiche as other', (join) =>
				join.on((on) =>
					on.or([
						on.and([
							on('fiche_link.fiche_id', '=', on.ref('fiche.id')),
							on('other.id', '=', on.ref('fiche_link.linked_fiche_id'))
						]),
						on.and([
							on('fiche_link.linked_fiche_id', '=', on.ref('fiche.id')),
							on('other.id', '=', on.ref('fiche_link.fiche_id'))
						])
					])
				)
			)
			.innerJoin('objective as other_objective', 'other_objective.id', 'other.objective_id')
			.select((link) => [
				link
					.case()
					.when('fiche_link.fiche_id', '=', link.ref('fiche.id'))
					.then('linked' as const)
					.else('citedBy' as const)
					.end()
					.as('direction'),
				'other.code',
				'other.title',
				'other.status'
			])
			.orderBy('other_objective.number')
			.orderBy('other.number')
	);
}

/**
 * The fiche's indicators in their order, each with its latest published values (newest first, at
 * most `latest`): read indicator by indicator through the (indicator_id, measured_on) index, so
 * the cost does not grow with years of measurements.
 */
function ficheIndicators(eb: ExpressionBuilder<Database, 'fiche'>, latest: number) {
	return jsonArrayFrom(
		eb
			.selectFrom('indicator')
			.select((i) => [
				'indicator.id',
				'indicator.position',
				...INDICATOR_COLUMNS,
				'indicator.retired_at as retiredAt',
				jsonArrayFrom(
					i
						.selectFrom('measurement')
						.innerJoin('progress_update', 'progress_update.id', 'measurement.progress_update_id')
						.select([
							'measurement.measured_on as measuredOn',
							'measurement.value',
							'measurement.comment'
						])
						.whereRef('measurement.indicator_id', '=', 'indicator.id')
						.where('progress_update.state', '=', 'validated')
						.orderBy('measurement.measured_on', 'desc')
						.orderBy('measurement.id', 'desc')
						.limit(latest)
				).as('measurements')
			])
			.whereRef('indicator.fiche_id', '=', 'fiche.id')
			.orderBy('indicator.position')
	);
}

/** A fiche's validated updates with their organisation, as every history list reads them. */
function historyQuery(db: Executor) {
	return db
		.selectFrom('progress_update')
		.leftJoin('organisation', 'organisation.id', 'progress_update.organisation_id')
		.select([
			'progress_update.id',
			'progress_update.reported_on as reportedOn',
			'progress_update.status',
			'progress_update.progress',
			'progress_update.done',
			'progress_update.next_steps as nextSteps',
			'progress_update.difficulties',
			'progress_update.source',
			'organisation.slug',
			'organisation.name'
		])
		.where('progress_update.state', '=', 'validated');
}

type HistoryRow = Omit<HistoryEntry, 'organisation'> & { slug: string | null; name: string | null };

function historyEntry({ slug, name, ...entry }: HistoryRow): HistoryEntry {
	return { ...entry, organisation: slug && name ? { slug, name } : null };
}

/**
 * Everything a fiche page shows of the fiche, in one statement: the fiche and its place in the
 * plan, owners, partners, links both ways, indicators with their latest values, the latest
 * updates and the count of updates per year (nested lists, jsonArrayFrom).
 */
export async function findFicheByCode(
	db: Executor,
	code: string
): Promise<FicheDetail | undefined> {
	const row = await ficheSummaryQuery(db)
		.select((eb) => [
			...FICHE_TEXT_COLUMNS,
			'objective.label as objectiveLabel',
			'objective.synthesis_label as objectiveSynthesisLabel',
			'orientation.label as orientationLabel',
			'axis.short_name as axisShortName',
			'axis.label as axisLabel',
			ficheOwners(eb).as('owners'),
			fichePartners(eb).as('partners'),
			ficheLinks(eb).as('links'),
			ficheIndicators(eb, FICHE_PAGE_MEASUREMENTS).as('indicators'),
			// The latest updates only: a fiche page costs the same after ten years; the rest is by year.
			jsonArrayFrom(
				historyQuery(db)
					.where('progress_update.fiche_id', '=', eb.ref('fiche.id'))
					.orderBy('progress_update.reported_on', 'desc')
					.orderBy('progress_update.id', 'desc')
					.limit(FICHE_PAGE_HISTORY)
			).as('history'),
			jsonArrayFrom(
				historyYearsQuery(db).where('progress_update.fiche_id', '=', eb.ref('fiche.id'))
			).as('historyYears')
		])
		.where('fiche.code', '=', code)
		.executeTakeFirst();
	if (!row) return undefined;
	const {
		context,
		existing,
		description,
		successFactors,
		objectiveLabel,
		objectiveSynthesisLabel,
		orientationLabel,
		axisShortName,
		axisLabel,
		owners,
		partners,
		links,
		indicators,
		history,
		historyYears,
		...summary
	} = row;
	const allLinks = nested(links);
	const linkList = (direction: 'linked' | 'citedBy') =>
		allLinks
			.filter((l) => l.direction === direction)
			.map(({ code, title, status }) => ({ code, title, status }));
	return {
		...summary,
		placement: {
			objectiveLabel,
			objectiveSynthesisLabel,
			orientationLabel,
			axisShortName,
			axisLabel
		},
		context: JSON.parse(context) as RichText,
		existing: JSON.parse(existing) as RichText,
		description: JSON.parse(description) as RichText,
		successFactors: JSON.parse(successFactors) as RichText,
		owners: nested(owners),
		partners: nested(partners),
		linked: linkList('linked'),
		citedBy: linkList('citedBy'),
		// Values oldest first; SQLite gives a list nested twice as JSON text inside the JSON.
		indicators: nested(indicators).map((indicator) => ({
			...indicator,
			measurements: nested(indicator.measurements).reverse()
		})),
		history: nested(history).reverse().map(historyEntry),
		historyYears: nested(historyYears)
	};
}

/** The years that have validated updates (of the fiche it is narrowed to), with how many, oldest first. */
function historyYearsQuery(db: Executor) {
	return db
		.selectFrom('progress_update')
		.select((eb) => [
			eb
				.cast<number>(
					eb.fn<string>('substr', ['progress_update.reported_on', eb.val(1), eb.val(4)]),
					'integer'
				)
				.as('year'),
			eb.fn.countAll<number>().as('count')
		])
		.where('progress_update.state', '=', 'validated')
		.groupBy('year')
		.orderBy('year');
}

/** The years that have validated updates of a fiche, with how many, oldest first. */
export async function listHistoryYears(
	db: Executor,
	ficheId: number
): Promise<{ year: number; count: number }[]> {
	return historyYearsQuery(db).where('progress_update.fiche_id', '=', ficheId).execute();
}

/** The validated updates of a fiche reported during one year, oldest first. */
export async function listFicheHistoryOfYear(
	db: Executor,
	ficheId: number,
	year: number
): Promise<HistoryEntry[]> {
	const rows = await historyQuery(db)
		.where('progress_update.fiche_id', '=', ficheId)
		.where('progress_update.reported_on', '>=', `${year}-01-01`)
		.where('progress_update.reported_on', '<=', `${year}-12-31`)
		.orderBy('progress_update.reported_on')
		.orderBy('progress_update.id')
		.execute();
	return rows.map(historyEntry);
}

/** When an update was validated (one validated before that was kept, by its report date). */
function validatedAt() {
	return expressionBuilder<Database, 'progress_update'>().fn.coalesce(
		'progress_update.validated_at',
		'progress_update.reported_on'
	);
}

/**
 * An update validated by the end of `day` in Paris: what a closed séance's file reads as known on
 * its day, its list of updates (`ofPeriod`) and its « État à la date de la séance » alike.
 */
export function validatedBy(day: string) {
	return expressionBuilder<Database, 'progress_update'>()(validatedAt(), '<', parisDayEnd(day));
}

/**
 * The fiche's latest validated update stating `column`, by report day then id: the update its
 * status or advancement comes from. An update validated as « abandonnée » (partners could propose
 * it before) states no status: only the plan abandons a fiche, with its reason. One rule for the
 * live state (findStatingUpdates) and the state as of a day (dashboard, bilans, a séance's file),
 * which add their day's bounds. `ficheId` is a number, or a reference to the outer query's fiche.
 */
export function latestStatingUpdate(
	db: Executor,
	column: 'status' | 'progress',
	ficheId: number | Expression<number>
) {
	return db
		.selectFrom('progress_update')
		.where('progress_update.fiche_id', '=', ficheId)
		.where('progress_update.state', '=', 'validated')
		.where(`progress_update.${column}`, 'is not', null)
		.$if(column === 'status', (q) => q.where('progress_update.status', '!=', 'abandonnee'))
		.orderBy('progress_update.reported_on', 'desc')
		.orderBy('progress_update.id', 'desc')
		.limit(1);
}

/**
 * Whether a validated update (or a value of it), dated `dated` (its report or measure day), is of
 * the period after the day `after` (null: from the start) up to the day `until`, as the
 * commission's files read it: dated and validated by the end of `until` (Paris), and not both by
 * the end of `after` (the previous séance's file showed it). Reported before the previous séance
 * but validated after its day, it is this period's. An update with no validation moment recorded
 * counts as validated on its report day.
 */
function ofPeriod(dated: Expression<string>, after: string | null, until: string) {
	const eb = expressionBuilder<Database, 'progress_update'>();
	const validated = validatedAt();
	return eb.and([
		eb(dated, '<=', until),
		validatedBy(until),
		...(after === null
			? []
			: [eb.or([eb(dated, '>', after), eb(validated, '>=', parisDayEnd(after))])])
	]);
}

/**
 * What a fiche reported in a period — after the day `after` (null: from the start) up to and
 * including the day `until`, validated by the end of that day (`ofPeriod`) — oldest first: its
 * validated updates, and each indicator's published values (the indicators it had by the end of
 * `until`); and the advancement it started from. Every one of them, unlike the fiche page's
 * latest few: a period between two séances is short. The commission's file of a séance reads it.
 */
export async function findFichePeriod(
	db: Executor,
	ficheId: number,
	after: string | null,
	until: string
) {
	const from = after ?? '0000-01-01';
	const row = await db
		.selectFrom('fiche')
		.select((eb) => [
			// The advancement it started from: the last one stated and validated by the end of `after`.
			latestStatingUpdate(db, 'progress', eb.ref('fiche.id'))
				.select('progress_update.progress')
				.where(({ ref }) => ofPeriod(ref('progress_update.reported_on'), null, from))
				.as('progressAtStart'),
			jsonArrayFrom(
				historyQuery(db)
					.where('progress_update.fiche_id', '=', eb.ref('fiche.id'))
					.where(({ ref }) => ofPeriod(ref('progress_update.reported_on'), after, until))
					.orderBy('progress_update.reported_on')
					.orderBy('progress_update.id')
			).as('updates'),
			jsonArrayFrom(
				eb
					.selectFrom('indicator')
					.select((i) => [
						...INDICATOR_COLUMNS,
						// Told beside its values: a retired indicator is asked for no more. Only when
						// retired by the end of the séance's day: the file reads as of that day.
						i
							.case()
							.when('indicator.retired_at', '<', parisDayEnd(until))
							.then(i.ref('indicator.retired_at'))
							.else(null)
							.end()
							.as('retiredAt'),
						jsonArrayFrom(
							i
								.selectFrom('measurement')
								.innerJoin(
									'progress_update',
									'progress_update.id',
									'measurement.progress_update_id'
								)
								.select(['measurement.measured_on as measuredOn', 'measurement.value'])
								.whereRef('measurement.indicator_id', '=', 'indicator.id')
								.where('progress_update.state', '=', 'validated')
								.where(({ ref }) => ofPeriod(ref('measurement.measured_on'), after, until))
								.orderBy('measurement.measured_on')
								.orderBy('measurement.id')
						).as('values')
					])
					.whereRef('indicator.fiche_id', '=', 'fiche.id')
					.where(indicatorRowInPlanBy(until))
					.orderBy('indicator.position')
			).as('indicators')
		])
		.where('fiche.id', '=', ficheId)
		.executeTakeFirstOrThrow();
	return {
		progressAtStart: row.progressAtStart,
		updates: nested(row.updates).map(historyEntry),
		indicators: nested(row.indicators).map((indicator) => ({
			...indicator,
			values: nested(indicator.values)
		}))
	};
}

/**
 * An update published by the end of the day `asOf` (an edition's cut-off, the dashboard as of a
 * day): a validated update reported by then. Its measurements are read by a day with
 * `measurementPublishedBy`, which adds their own date. One rule for an edition's statuses, figures
 * and open data, so that none shows a value of an update the others leave out (a value measured
 * before the cut-off but reported after it is in the next edition). Live, where `asOf` is today,
 * it is every validated update.
 */
export function updatePublishedBy(asOf: string) {
	return expressionBuilder<Database, 'progress_update'>()(
		'progress_update.reported_on',
		'<=',
		asOf
	);
}

/**
 * A measurement published by the end of the day `asOf`: its update reported by then
 * (`updatePublishedBy`) and the measurement itself dated by then too (a report may be dated before
 * a value it carries: that value waits for the next edition). Wherever measurements are read by a
 * day: an edition's figures, open data, the indicators without a value by then.
 */
export function measurementPublishedBy(asOf: string) {
	const eb = expressionBuilder<Database, 'progress_update' | 'measurement'>();
	return eb.and([updatePublishedBy(asOf), eb('measurement.measured_on', '<=', asOf)]);
}

/**
 * Published measurements, each with its rank among its indicator's values from the most recent
 * (rank 1): pages keep the latest few, a cost that does not grow with years of measurements.
 * Optionally only what was published by a day (`updatePublishedBy`: editions, the dashboard as of a day).
 */
export function rankedMeasurements(db: Executor, { asOf }: { asOf?: string } = {}) {
	// Indicators first, then each one's measurements by index: SQLite keeps a CROSS JOIN's order.
	// Left to itself, it read every validated update's measurements (all of them, at ten years) to
	// keep those of one fiche (docs/performance.md, « What each design choice bought »).
	return db
		.selectFrom('indicator')
		.crossJoin('measurement')
		.innerJoin('progress_update', 'progress_update.id', 'measurement.progress_update_id')
		.whereRef('measurement.indicator_id', '=', 'indicator.id')
		.select((eb) => [
			'measurement.id',
			'measurement.indicator_id',
			'measurement.measured_on',
			'measurement.value',
			'measurement.comment',
			eb.fn
				.agg<number>('row_number')
				.over((ob) =>
					ob
						.partitionBy('measurement.indicator_id')
						.orderBy('measurement.measured_on', 'desc')
						.orderBy('measurement.id', 'desc')
				)
				.as('rank')
		])
		.where('progress_update.state', '=', 'validated')
		.$if(asOf !== undefined, (q) => q.where(measurementPublishedBy(asOf!)));
}

export interface OrganisationWithCounts extends Organisation {
	/** The day it was retired (it stays listed for the fiches that name it), or null. */
	retiredAt: string | null;
	owned: number;
	partnered: number;
}

/**
 * The organisation a retired one was merged into (its name is among that one's former names): its
 * slug or its name; null for any other. That one may have been retired since: the merge stays one.
 */
export function mergedInto(
	eb: ExpressionBuilder<Database, 'organisation'>,
	column: 'kept.slug' | 'kept.name' = 'kept.slug'
) {
	return eb
		.selectFrom('organisation_alias as alias')
		.innerJoin('organisation as kept', 'kept.id', 'alias.organisation_id')
		.select(column)
		.whereRef('alias.name', '=', 'organisation.name')
		.whereRef('kept.id', '!=', 'organisation.id')
		.where('organisation.retired_at', 'is not', null)
		.limit(1);
}

/** The organisations of the plan with their counts; one merged into another is that other now. */
export async function listOrganisations(db: Executor): Promise<OrganisationWithCounts[]> {
	const rows = await db
		.selectFrom('organisation')
		.where((eb) => eb.not(eb.exists(mergedInto(eb))))
		.select((eb) => [
			'organisation.id',
			'organisation.slug',
			'organisation.name',
			'organisation.full_name as fullName',
			'organisation.kind',
			'organisation.retired_at as retiredAt',
			eb
				.selectFrom('fiche_owner')
				.select((e) => e.fn.count<number>('fiche_owner.fiche_id').distinct().as('n'))
				.whereRef('fiche_owner.organisation_id', '=', 'organisation.id')
				.as('owned'),
			eb
				.selectFrom('fiche_partner')
				.select((e) => e.fn.count<number>('fiche_partner.fiche_id').as('n'))
				.whereRef('fiche_partner.organisation_id', '=', 'organisation.id')
				.as('partnered')
		])
		.execute();
	return rows
		.map((r) => ({ ...r, owned: Number(r.owned ?? 0), partnered: Number(r.partnered ?? 0) }))
		.sort((a, b) => compareFrench(a.name, b.name));
}

/** A name an organisation had; merged: the organisation of that name was merged into it. */
export interface FormerName {
	name: string;
	/** The day of the merge (the merged organisation's retirement), or null for a rename. */
	mergedOn: string | null;
	/**
	 * The organisation it was merged into, named as the merge's revision names it: this one, or
	 * one merged into this one since (A into B, then B into C: on C's page, A's merge names B).
	 */
	mergedInto: string | null;
	/** The merge's reason, as its revision gives it (published with it), or null. */
	mergeReason: string | null;
	/**
	 * When the portal changed this name (its revision, by the form or the plan's workbook), or null:
	 * a merge, or a name the plan came with, whose day nobody recorded.
	 */
	renamedAt: string | null;
	/** That change's reason (published with it), or null. */
	renameReason: string | null;
}

/**
 * An organisation's former names, as a nested list of its row (jsonArrayFrom): each with, when an
 * organisation of that name was merged into it, the day, the organisation it went into and the
 * reason of the merge (its « merged » revision, whose one change reads the absorbed name before
 * the kept one); when the portal renamed it, the revision that changed the name: this
 * organisation's, or that of one merged into it, never another's that bore the name (an import
 * may give a former name to another organisation).
 */
function formerNames(eb: ExpressionBuilder<Database, 'organisation'>) {
	return jsonArrayFrom(
		eb
			.selectFrom('organisation_alias as alias')
			.leftJoin('organisation as merged', (join) =>
				join
					.onRef('merged.name', '=', 'alias.name')
					.onRef('merged.id', '!=', 'alias.organisation_id')
					.on('merged.retired_at', 'is not', null)
			)
			.leftJoin('plan_revision as merge', (join) =>
				join.on('merged.id', 'is not', null).on((jb) =>
					jb(
						'merge.id',
						'=',
						jb
							.selectFrom('plan_revision as m')
							.select((mb) => mb.fn.max('m.id').as('id'))
							.where('m.entity', '=', 'organisation')
							.where('m.action', '=', 'merged')
							.where(
								(mb) => mb.fn('json_extract', ['m.changes', mb.val('$[0].before')]),
								'=',
								jb.ref('alias.name')
							)
					)
				)
			)
			.leftJoin('plan_revision as rename', (join) =>
				join.on((jb) =>
					jb(
						'rename.id',
						'=',
						jb
							.selectFrom('plan_revision as n')
							.select((nb) => nb.fn.max('n.id').as('id'))
							.where('n.entity', '=', 'organisation')
							.where('n.action', '=', 'updated')
							.where((nb) =>
								nb.or([
									nb('n.entity_id', '=', nb.ref('alias.organisation_id')),
									// Or one merged into it since (retired under one of its former
									// names, as `mergedInto` reads a merge): its former names came along.
									nb(
										'n.entity_id',
										'in',
										nb
											.selectFrom('organisation as absorbed')
											.innerJoin(
												'organisation_alias as absorbed_name',
												'absorbed_name.name',
												'absorbed.name'
											)
											.select('absorbed.id')
											.whereRef('absorbed_name.organisation_id', '=', 'alias.organisation_id')
											.where('absorbed.retired_at', 'is not', null)
									)
								])
							)
							.where(
								sql<boolean>`exists (select 1 from json_each(${sql.ref('n.changes')}) as c where json_extract(c.value, '$.field') = 'name' and json_extract(c.value, '$.before') = ${sql.ref('alias.name')})`
							)
					)
				)
			)
			.select((ab) => [
				'alias.name',
				'merged.retired_at as mergedOn',
				ab
					.fn<string | null>('json_extract', ['merge.changes', ab.val('$[0].after')])
					.as('mergedInto'),
				'merge.reason as mergeReason',
				'rename.created_at as renamedAt',
				'rename.reason as renameReason'
			])
			.whereRef('alias.organisation_id', '=', 'organisation.id')
			.orderBy('alias.id')
	);
}

export async function findOrganisationBySlug(
	db: Executor,
	slug: string
): Promise<
	| (Organisation & {
			/** The organisation it was merged into (its page leads there), or null. */
			mergedInto: string | null;
			/** The day it was retired (its page says so), or null. */
			retiredAt: string | null;
			/** Why it was retired, as its retirement's revision gives it (published with it), or null. */
			retiredReason: string | null;
			/** Its former names, oldest first: renamed, or merged into it (when, and why). */
			formerNames: FormerName[];
			owned: (FicheSummary & { scopes: string[] })[];
			partnered: (FicheSummary & { detail: string | null })[];
	  })
	| undefined
> {
	// Two statements: the organisation with its owner and partner rows nested (jsonArrayFrom),
	// then the summaries of the fiches they name.
	const row = await db
		.selectFrom('organisation')
		.select((eb) => [
			'organisation.id',
			'organisation.slug',
			'organisation.name',
			'organisation.full_name as fullName',
			'organisation.kind',
			'organisation.retired_at as retiredAt',
			mergedInto(eb).as('mergedInto'),
			eb
				.selectFrom('plan_revision')
				.select('plan_revision.reason')
				.where('plan_revision.entity', '=', 'organisation')
				.where('plan_revision.action', '=', 'retired')
				.whereRef('plan_revision.entity_id', '=', 'organisation.id')
				.where('organisation.retired_at', 'is not', null)
				.orderBy('plan_revision.id', 'desc')
				.limit(1)
				.as('retiredReason'),
			formerNames(eb).as('formerNames'),
			jsonArrayFrom(
				eb
					.selectFrom('fiche_owner')
					.select(['fiche_owner.fiche_id as ficheId', 'fiche_owner.scope'])
					.whereRef('fiche_owner.organisation_id', '=', 'organisation.id')
			).as('ownerRows'),
			jsonArrayFrom(
				eb
					.selectFrom('fiche_partner')
					.select(['fiche_partner.fiche_id as ficheId', 'fiche_partner.detail'])
					.whereRef('fiche_partner.organisation_id', '=', 'organisation.id')
			).as('partnerRows')
		])
		.where('organisation.slug', '=', slug)
		.executeTakeFirst();
	if (!row) return undefined;
	const { ownerRows: ownerJson, partnerRows: partnerJson, formerNames: formerJson, ...org } = row;
	const ownerRows = nested(ownerJson);
	const partnerRows = nested(partnerJson);
	const ids = [...new Set([...ownerRows, ...partnerRows].map((r) => r.ficheId))];
	const fiches =
		ids.length > 0 ? await ficheSummaryQuery(db).where('fiche.id', 'in', ids).execute() : [];
	const owned = fiches
		.filter((f) => ownerRows.some((r) => r.ficheId === f.id))
		.map((f) => ({
			...f,
			scopes: ownerRows.filter((r) => r.ficheId === f.id && r.scope).map((r) => r.scope as string)
		}));
	const partnered = fiches
		.filter((f) => partnerRows.some((r) => r.ficheId === f.id))
		.map((f) => ({ ...f, detail: partnerRows.find((r) => r.ficheId === f.id)?.detail ?? null }));
	return { ...org, formerNames: nested(formerJson), owned, partnered };
}

/**
 * The organisations to choose from (the /fiches filter, an account's organisation), retired ones
 * too unless `activeOnly`; one merged into another never: it is that other now, as on
 * /organisations (listMergedSlugs leads its old address there).
 */
export async function listOrganisationRefs(
	db: Executor,
	{ activeOnly = false } = {}
): Promise<OrganisationRef[]> {
	const rows = await db
		.selectFrom('organisation')
		.select(['organisation.slug', 'organisation.name'])
		.where((eb) => eb.not(eb.exists(mergedInto(eb))))
		.$if(activeOnly, (q) => q.where('organisation.retired_at', 'is', null))
		.execute();
	return rows.sort((a, b) => compareFrench(a.name, b.name));
}

/** Every former name of an organisation, with the organisation that had it (its slug and name now). */
export async function listFormerNames(
	db: Executor
): Promise<{ former: string; slug: string; name: string }[]> {
	return db
		.selectFrom('organisation_alias as alias')
		.innerJoin('organisation', 'organisation.id', 'alias.organisation_id')
		.select(['alias.name as former', 'organisation.slug', 'organisation.name'])
		.orderBy('alias.id')
		.execute();
}

/** Each organisation merged into another: its slug → the slug of the one it was merged into. */
export async function listMergedSlugs(db: Executor): Promise<Map<string, string>> {
	const rows = await db
		.selectFrom('organisation')
		.select((eb) => ['organisation.slug', mergedInto(eb).as('into')])
		.where('organisation.retired_at', 'is not', null)
		.execute();
	return new Map(rows.flatMap((r) => (r.into ? [[r.slug, r.into] as const] : [])));
}
