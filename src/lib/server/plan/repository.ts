import type { Executor } from '../db';
import type { ExpressionBuilder } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/sqlite';
import type { RichText } from '../../utils/rich-text';
import { flattenRichText } from '../../utils/rich-text';
import { compareFrench, foldForMatching } from '../../utils/text';
import { FICHE_PAGE_HISTORY, FICHE_PAGE_MEASUREMENTS } from '../../utils/rules';
import type { Database, FicheStatus, IndicatorKind, OrganisationKind } from '../db/schema';

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

export interface FicheOwner extends OrganisationRef {
	scope: string | null;
	note: string | null;
}
export interface FichePartner extends OrganisationRef {
	detail: string | null;
}

export interface Measurement {
	measuredOn: string;
	value: number;
	comment: string | null;
}
export interface Indicator {
	id: number;
	position: number;
	label: string;
	unit: string | null;
	target: number | null;
	kind: IndicatorKind;
	targetDate: string | null;
	baseline: number | null;
	baselineDate: string | null;
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
	linked: { code: string; title: string }[];
	citedBy: { code: string; title: string }[];
	indicators: Indicator[];
	/** The latest FICHE_PAGE_HISTORY validated updates, oldest first. */
	history: HistoryEntry[];
	historyYears: { year: number; count: number }[];
}

export interface PlanEvent {
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
	const row = await db.selectFrom('plan').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
	return {
		title: row.title,
		territory: row.territory,
		periodStart: row.period_start,
		periodEnd: row.period_end,
		adoptedOn: row.adopted_on,
		finalisedOn: row.finalised_on,
		source: row.source
	};
}

export async function listPlanEvents(db: Executor): Promise<PlanEvent[]> {
	const rows = await db
		.selectFrom('plan_event')
		.select(['occurred_on', 'title', 'body', 'source'])
		.orderBy('occurred_on')
		.orderBy('id')
		.execute();
	return rows.map((r) => ({
		occurredOn: r.occurred_on,
		title: r.title,
		body: r.body,
		source: r.source
	}));
}

export async function listAxes(db: Executor): Promise<AxisRef[]> {
	const rows = await db.selectFrom('axis').selectAll().orderBy('position').execute();
	return rows.map((r) => ({
		code: r.code,
		shortName: r.short_name,
		label: r.label,
		position: r.position
	}));
}

export async function listOrientations(db: Executor): Promise<OrientationRef[]> {
	const rows = await db
		.selectFrom('orientation')
		.innerJoin('axis', 'axis.id', 'orientation.axis_id')
		.select(['orientation.code', 'axis.code as axis', 'orientation.label', 'orientation.position'])
		.orderBy('orientation.position')
		.execute();
	return rows;
}

export async function listObjectives(db: Executor): Promise<ObjectiveRef[]> {
	const rows = await db
		.selectFrom('objective')
		.innerJoin('orientation', 'orientation.id', 'objective.orientation_id')
		.select([
			'objective.number',
			'orientation.code as orientation',
			'objective.label',
			'objective.synthesis_label'
		])
		.orderBy('objective.number')
		.execute();
	return rows.map((r) => ({
		number: r.number,
		orientation: r.orientation,
		label: r.label,
		synthesisLabel: r.synthesis_label
	}));
}

function ficheSummaryQuery(db: Executor) {
	return db
		.selectFrom('fiche')
		.innerJoin('objective', 'objective.id', 'fiche.objective_id')
		.innerJoin('orientation', 'orientation.id', 'objective.orientation_id')
		.innerJoin('axis', 'axis.id', 'orientation.axis_id')
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
		.orderBy('objective.number')
		.orderBy('fiche.number');
}

export interface FicheQuery {
	axis?: string;
	orientation?: string;
	objective?: number;
	priority?: number;
	status?: FicheStatus;
	organisation?: string;
	/** already folded with foldForMatching(): words separated by single spaces */
	text?: string;
}

/** Fiches matching every given criterion, in plan order. */
export async function listFiches(db: Executor, query: FicheQuery = {}): Promise<FicheSummary[]> {
	let q = ficheSummaryQuery(db);
	if (query.axis) q = q.where('axis.code', '=', query.axis);
	if (query.orientation) q = q.where('orientation.code', '=', query.orientation);
	if (query.objective !== undefined) q = q.where('objective.number', '=', query.objective);
	if (query.priority !== undefined) q = q.where('fiche.priority', '=', query.priority);
	if (query.status) q = q.where('fiche.status', '=', query.status);
	if (query.organisation) {
		const slug = query.organisation;
		q = q.where((eb) =>
			eb.or([
				eb(
					'fiche.id',
					'in',
					eb
						.selectFrom('fiche_owner')
						.innerJoin('organisation', 'organisation.id', 'fiche_owner.organisation_id')
						.select('fiche_owner.fiche_id')
						.where('organisation.slug', '=', slug)
				),
				eb(
					'fiche.id',
					'in',
					eb
						.selectFrom('fiche_partner')
						.innerJoin('organisation', 'organisation.id', 'fiche_partner.organisation_id')
						.select('fiche_partner.fiche_id')
						.where('organisation.slug', '=', slug)
				)
			])
		);
	}
	if (query.text) {
		// Every word of the search, in any order, anywhere in the fiche's texts.
		for (const word of query.text.split(' ').filter(Boolean))
			q = q.where((eb) => eb(eb.fn('instr', ['fiche.search_text', eb.val(word)]), '>', 0));
	}
	return q.execute();
}

/**
 * Writes each fiche's search text from every text of the fiche: code, titles, every section, the
 * owners' note, its indicators and the names of its owners and partners (with their roles), in
 * the form foldForMatching() gives. Run at each start (cheap: one row per fiche, written only when
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
	for (const r of await db.selectFrom('indicator').select(['fiche_id', 'label', 'unit']).execute())
		add(r.fiche_id, r.label, r.unit);

	let changed = 0;
	for (const f of fiches) {
		const rich = [f.context, f.existing, f.description, f.success_factors].map((json) =>
			flattenRichText(JSON.parse(json) as RichText)
		);
		const text = foldForMatching(
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
function nested<T>(value: T[] | string): T[] {
	return typeof value === 'string' ? (JSON.parse(value) as T[]) : value;
}

/**
 * The fiches a fiche links to (`linked`) or that link to it (`citedBy`), in plan order, as one
 * nested list of the fiche's row.
 */
function ficheLinks(eb: ExpressionBuilder<Database, 'fiche'>, direction: 'linked' | 'citedBy') {
	const [own, other] =
		direction === 'linked'
			? (['fiche_link.fiche_id', 'fiche_link.linked_fiche_id'] as const)
			: (['fiche_link.linked_fiche_id', 'fiche_link.fiche_id'] as const);
	return jsonArrayFrom(
		eb
			.selectFrom('fiche_link')
			.innerJoin('fiche as other', 'other.id', other)
			.innerJoin('objective as other_objective', 'other_objective.id', 'other.objective_id')
			.select(['other.code', 'other.title'])
			.whereRef(own, '=', 'fiche.id')
			.orderBy('other_objective.number')
			.orderBy('other.number')
	);
}

export async function findFicheByCode(
	db: Executor,
	code: string
): Promise<FicheDetail | undefined> {
	// One statement for the fiche, its place in the plan, owners, partners and links both ways:
	// nested lists (jsonArrayFrom) instead of a statement per list.
	const row = await ficheSummaryQuery(db)
		.select((eb) => [
			'fiche.context',
			'fiche.existing',
			'fiche.description',
			'fiche.success_factors',
			'fiche.owners_note',
			'objective.label as objectiveLabel',
			'objective.synthesis_label as objectiveSynthesisLabel',
			'orientation.label as orientationLabel',
			'axis.short_name as axisShortName',
			'axis.label as axisLabel',
			jsonArrayFrom(
				eb
					.selectFrom('fiche_owner')
					.innerJoin('organisation', 'organisation.id', 'fiche_owner.organisation_id')
					.select([
						'organisation.slug',
						'organisation.name',
						'fiche_owner.scope',
						'fiche_owner.note'
					])
					.whereRef('fiche_owner.fiche_id', '=', 'fiche.id')
					.orderBy('fiche_owner.position')
			).as('owners'),
			jsonArrayFrom(
				eb
					.selectFrom('fiche_partner')
					.innerJoin('organisation', 'organisation.id', 'fiche_partner.organisation_id')
					.select(['organisation.slug', 'organisation.name', 'fiche_partner.detail'])
					.whereRef('fiche_partner.fiche_id', '=', 'fiche.id')
					.orderBy('fiche_partner.position')
			).as('partners'),
			ficheLinks(eb, 'linked').as('linked'),
			ficheLinks(eb, 'citedBy').as('citedBy')
		])
		.where('fiche.code', '=', code)
		.executeTakeFirst();
	if (!row) return undefined;
	const {
		context,
		existing,
		description,
		success_factors,
		owners_note,
		objectiveLabel,
		objectiveSynthesisLabel,
		orientationLabel,
		axisShortName,
		axisLabel,
		owners,
		partners,
		linked,
		citedBy,
		...summary
	} = row;
	const ficheId = summary.id;
	const texts = {
		context,
		existing,
		description,
		success_factors,
		owners_note,
		objectiveLabel,
		objectiveSynthesisLabel,
		orientationLabel,
		axisShortName,
		axisLabel
	};
	const indicators = await listIndicatorsWithMeasurements(db, [ficheId], FICHE_PAGE_MEASUREMENTS);
	// The latest updates only: a fiche page costs the same after ten years; the rest is by year.
	const history = (
		await historyQuery(db, ficheId)
			.orderBy('progress_update.reported_on', 'desc')
			.orderBy('progress_update.id', 'desc')
			.limit(FICHE_PAGE_HISTORY)
			.execute()
	).reverse();
	const historyYears = await listHistoryYears(db, ficheId);

	return {
		...summary,
		placement: {
			objectiveLabel: texts.objectiveLabel,
			objectiveSynthesisLabel: texts.objectiveSynthesisLabel,
			orientationLabel: texts.orientationLabel,
			axisShortName: texts.axisShortName,
			axisLabel: texts.axisLabel
		},
		context: JSON.parse(texts.context) as RichText,
		existing: JSON.parse(texts.existing) as RichText,
		description: JSON.parse(texts.description) as RichText,
		successFactors: JSON.parse(texts.success_factors) as RichText,
		ownersNote: texts.owners_note,
		owners: nested(owners),
		partners: nested(partners),
		linked: nested(linked),
		citedBy: nested(citedBy),
		indicators: indicators.get(ficheId) ?? [],
		history: history.map(historyEntry),
		historyYears
	};
}

function historyQuery(db: Executor, ficheId: number) {
	return db
		.selectFrom('progress_update')
		.leftJoin('organisation', 'organisation.id', 'progress_update.organisation_id')
		.select([
			'progress_update.id',
			'progress_update.reported_on',
			'progress_update.status',
			'progress_update.progress',
			'progress_update.done',
			'progress_update.next_steps',
			'progress_update.difficulties',
			'progress_update.source',
			'organisation.slug',
			'organisation.name'
		])
		.where('progress_update.fiche_id', '=', ficheId)
		.where('progress_update.state', '=', 'validated');
}

function historyEntry(h: {
	id: number;
	reported_on: string;
	status: FicheStatus | null;
	progress: number | null;
	done: string;
	next_steps: string;
	difficulties: string;
	source: string | null;
	slug: string | null;
	name: string | null;
}): HistoryEntry {
	return {
		id: h.id,
		reportedOn: h.reported_on,
		status: h.status,
		progress: h.progress,
		done: h.done,
		nextSteps: h.next_steps,
		difficulties: h.difficulties,
		source: h.source,
		organisation: h.slug && h.name ? { slug: h.slug, name: h.name } : null
	};
}

/** The years that have validated updates of a fiche, with how many, oldest first. */
export async function listHistoryYears(
	db: Executor,
	ficheId: number
): Promise<{ year: number; count: number }[]> {
	const rows = await db
		.selectFrom('progress_update')
		.select((eb) => [
			eb.fn<string>('substr', ['progress_update.reported_on', eb.val(1), eb.val(4)]).as('year'),
			eb.fn.countAll<number>().as('count')
		])
		.where('progress_update.fiche_id', '=', ficheId)
		.where('progress_update.state', '=', 'validated')
		.groupBy('year')
		.orderBy('year')
		.execute();
	return rows.map((r) => ({ year: Number(r.year), count: r.count }));
}

/** The validated updates of a fiche reported during one year, oldest first. */
export async function listFicheHistoryOfYear(
	db: Executor,
	ficheId: number,
	year: number
): Promise<HistoryEntry[]> {
	const rows = await historyQuery(db, ficheId)
		.where('progress_update.reported_on', '>=', `${year}-01-01`)
		.where('progress_update.reported_on', '<=', `${year}-12-31`)
		.orderBy('progress_update.reported_on')
		.orderBy('progress_update.id')
		.execute();
	return rows.map(historyEntry);
}

/**
 * Published measurements, each with its rank among its indicator's values from the most recent
 * (rank 1): pages keep the latest few, a cost that does not grow with years of measurements.
 * Optionally only up to a date (editions, the dashboard as of a day) or for some fiches.
 */
export function rankedMeasurements(
	db: Executor,
	{ asOf, ficheIds }: { asOf?: string; ficheIds?: number[] } = {}
) {
	// Indicators first, then each one's measurements by index: SQLite keeps a CROSS JOIN's order.
	// Left to itself, it read every validated update's measurements (all 100,000 at ten years) to
	// keep those of one fiche: 300 ms a fiche page, 11 ms this way.
	let query = db
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
		.where('progress_update.state', '=', 'validated');
	if (asOf !== undefined) query = query.where('measurement.measured_on', '<=', asOf);
	if (ficheIds) query = query.where('indicator.fiche_id', 'in', ficheIds);
	return query;
}

/** Indicators of the given fiches with their published measurements (oldest first), by fiche id. */
async function listIndicatorsWithMeasurements(
	db: Executor,
	ficheIds?: number[],
	latest?: number
): Promise<Map<number, Indicator[]>> {
	let indicatorQuery = db
		.selectFrom('indicator')
		.select([
			'id',
			'fiche_id',
			'position',
			'label',
			'unit',
			'target',
			'kind',
			'target_date',
			'baseline',
			'baseline_date',
			'retired_at'
		])
		.orderBy('fiche_id')
		.orderBy('position');
	if (ficheIds) indicatorQuery = indicatorQuery.where('fiche_id', 'in', ficheIds);
	const published = rankedMeasurements(db, { ficheIds });
	let measurementQuery = db
		.selectFrom(published.as('m'))
		.select(['m.indicator_id', 'm.measured_on', 'm.value', 'm.comment'])
		.orderBy('m.measured_on')
		.orderBy('m.id');
	// `latest`: only the most recent values of each indicator (pages); the open data takes them all.
	if (latest !== undefined) measurementQuery = measurementQuery.where('m.rank', '<=', latest);
	const [indicators, measurements] = [
		await indicatorQuery.execute(),
		await measurementQuery.execute()
	];
	const byIndicator = new Map<number, Measurement[]>();
	for (const m of measurements) {
		const list = byIndicator.get(m.indicator_id) ?? [];
		list.push({ measuredOn: m.measured_on, value: m.value, comment: m.comment });
		byIndicator.set(m.indicator_id, list);
	}
	const byFiche = new Map<number, Indicator[]>();
	for (const i of indicators) {
		const list = byFiche.get(i.fiche_id) ?? [];
		list.push({
			id: i.id,
			position: i.position,
			label: i.label,
			unit: i.unit,
			target: i.target,
			kind: i.kind,
			targetDate: i.target_date,
			baseline: i.baseline,
			baselineDate: i.baseline_date,
			retiredAt: i.retired_at,
			measurements: byIndicator.get(i.id) ?? []
		});
		byFiche.set(i.fiche_id, list);
	}
	return byFiche;
}

export interface OrganisationWithCounts extends Organisation {
	owned: number;
	partnered: number;
}

export async function listOrganisations(db: Executor): Promise<OrganisationWithCounts[]> {
	const rows = await db
		.selectFrom('organisation')
		.select((eb) => [
			'organisation.id',
			'organisation.slug',
			'organisation.name',
			'organisation.full_name',
			'organisation.kind',
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
		.map((r) => ({
			id: r.id,
			slug: r.slug,
			name: r.name,
			fullName: r.full_name,
			kind: r.kind,
			owned: Number(r.owned ?? 0),
			partnered: Number(r.partnered ?? 0)
		}))
		.sort((a, b) => compareFrench(a.name, b.name));
}

export async function findOrganisationBySlug(
	db: Executor,
	slug: string
): Promise<
	| (Organisation & {
			owned: (FicheSummary & { scopes: string[] })[];
			partnered: (FicheSummary & { detail: string | null })[];
	  })
	| undefined
> {
	const org = await db
		.selectFrom('organisation')
		.select(['id', 'slug', 'name', 'full_name', 'kind'])
		.where('slug', '=', slug)
		.executeTakeFirst();
	if (!org) return undefined;
	const ownerRows = await db
		.selectFrom('fiche_owner')
		.select(['fiche_id', 'scope'])
		.where('organisation_id', '=', org.id)
		.execute();
	const partnerRows = await db
		.selectFrom('fiche_partner')
		.select(['fiche_id', 'detail'])
		.where('organisation_id', '=', org.id)
		.execute();
	const ids = [...new Set([...ownerRows, ...partnerRows].map((r) => r.fiche_id))];
	const fiches =
		ids.length > 0 ? await ficheSummaryQuery(db).where('fiche.id', 'in', ids).execute() : [];
	const owned = fiches
		.filter((f) => ownerRows.some((r) => r.fiche_id === f.id))
		.map((f) => ({
			...f,
			scopes: ownerRows.filter((r) => r.fiche_id === f.id && r.scope).map((r) => r.scope as string)
		}));
	const partnered = fiches
		.filter((f) => partnerRows.some((r) => r.fiche_id === f.id))
		.map((f) => ({ ...f, detail: partnerRows.find((r) => r.fiche_id === f.id)?.detail ?? null }));
	return {
		id: org.id,
		slug: org.slug,
		name: org.name,
		fullName: org.full_name,
		kind: org.kind,
		owned,
		partnered
	};
}

export async function listOrganisationRefs(db: Executor): Promise<OrganisationRef[]> {
	const rows = await db.selectFrom('organisation').select(['slug', 'name']).execute();
	return rows.sort((a, b) => compareFrench(a.name, b.name));
}
