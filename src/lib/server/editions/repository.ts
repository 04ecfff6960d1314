import { jsonArrayFrom } from 'kysely/helpers/sqlite';
import type { Executor } from '../db';
import { closedDecisions, inDecisionOrder } from '../commission/repository';
import {
	FICHE_TEXT_COLUMNS,
	ficheLinkedFiches,
	ficheOwners,
	fichePartners,
	INDICATOR_COLUMNS,
	listAxes,
	listObjectives,
	listOrientations,
	nested,
	updatePublishedBy,
	inPlanOrder
} from '../plan/repository';
import {
	indicatorRowInPlanBy,
	inPlanBy,
	noFicheOrInPlanBy
} from '../authoring/revisions-repository';
import type { IndicatorKind } from '../../utils/indicator-kinds';
import type { RichText } from '../../utils/rich-text';
import type { FrozenFiche, FrozenFicheTexts, FrozenPlan, FrozenTexts } from './frozen-plan';
import type { EditionSnapshot } from './snapshot';

export interface EditionSummary {
	id: number;
	year: number;
	version: number;
	asOf: string;
	state: 'draft' | 'published';
	publishedAt: string | null;
	changeNote: string | null;
}

const SUMMARY = [
	'edition.id',
	'edition.year',
	'edition.version',
	'edition.as_of as asOf',
	'edition.state',
	'edition.published_at as publishedAt',
	'edition.change_note as changeNote'
] as const;

export async function listEditions(
	db: Executor,
	{ publishedOnly }: { publishedOnly: boolean }
): Promise<EditionSummary[]> {
	return db
		.selectFrom('edition')
		.select(SUMMARY)
		.$if(publishedOnly, (q) => q.where('state', '=', 'published'))
		.orderBy('year', 'desc')
		.orderBy('version', 'desc')
		.execute();
}

/** The published row of a year: its latest version, or the one asked for. */
function publishedRow(db: Executor, year: number, version?: number) {
	const query = db.selectFrom('edition').where('year', '=', year).where('state', '=', 'published');
	return version === undefined
		? query.orderBy('version', 'desc').limit(1)
		: query.where('version', '=', version);
}

/** What a published edition's page shows. */
export async function findPublishedSnapshot(
	db: Executor,
	year: number,
	version?: number
): Promise<EditionSnapshot | undefined> {
	const row = await publishedRow(db, year, version).select('snapshot').executeTakeFirst();
	return row?.snapshot ? (JSON.parse(row.snapshot) as EditionSnapshot) : undefined;
}

/** One open-data file of a published edition, frozen at publication (`/bilans/[year]/plan.json`…). */
export async function findPublishedFile(
	db: Executor,
	year: number,
	name: string,
	version?: number
): Promise<{ year: number; version: number; body: Uint8Array; publishedAt: string } | undefined> {
	const edition = publishedRow(db, year, version)
		.select(['id', 'year', 'version', 'published_at'])
		.as('e');
	const row = await db
		.selectFrom(edition)
		.innerJoin('edition_resource', 'edition_resource.edition_id', 'e.id')
		.select(['e.year', 'e.version', 'e.published_at as publishedAt', 'edition_resource.body'])
		.where('edition_resource.name', '=', name)
		.executeTakeFirst();
	// A published edition has its day of publication (the state says so; the column allows null).
	return row && { ...row, publishedAt: row.publishedAt ?? new Date(0).toISOString() };
}

/** Freezes the open-data files of an edition that has just been published (the database refuses any later change). */
export async function insertEditionFiles(
	db: Executor,
	editionId: number,
	files: { name: string; body: Uint8Array; count: number; lastChange: string }[]
): Promise<void> {
	for (const f of files)
		await db
			.insertInto('edition_resource')
			.values({
				edition_id: editionId,
				name: f.name,
				body: f.body,
				row_count: f.count,
				last_change: f.lastChange
			})
			.execute();
}

/** Published editions that have no open-data file (published before `sdusn/plan@2`). */
export async function listEditionsWithoutFiles(db: Executor) {
	return db
		.selectFrom('edition')
		.select([
			'edition.id',
			'edition.year',
			'edition.version',
			'edition.as_of as asOf',
			'edition.published_at as publishedAt',
			'edition.created_at as createdAt'
		])
		.where('state', '=', 'published')
		.where(({ not, exists, selectFrom }) =>
			not(
				exists(
					selectFrom('edition_resource')
						.select('edition_resource.name')
						.whereRef('edition_resource.edition_id', '=', 'edition.id')
				)
			)
		)
		.orderBy('year')
		.orderBy('version')
		.execute();
}

/** An edition with its texts: its summary, introduction and axis texts (by axis code). */
const WITH_TEXTS = [...SUMMARY, 'edition.intro', 'edition.axis_texts as axisTexts'] as const;

function withTexts<R extends { axisTexts: string }>(row: R | undefined) {
	return row && { ...row, axisTexts: JSON.parse(row.axisTexts) as Record<string, string> };
}

export async function findEdition(db: Executor, id: number) {
	return withTexts(
		await db.selectFrom('edition').select(WITH_TEXTS).where('id', '=', id).executeTakeFirst()
	);
}

/** The latest published version of a year, with its texts: what a correction starts from. */
export async function findLatestPublished(db: Executor, year: number) {
	return withTexts(await publishedRow(db, year).select(WITH_TEXTS).executeTakeFirst());
}

/** The year's draft, if one is being prepared. */
export async function findDraftOfYear(db: Executor, year: number) {
	return withTexts(
		await db
			.selectFrom('edition')
			.select(WITH_TEXTS)
			.where('year', '=', year)
			.where('state', '=', 'draft')
			.executeTakeFirst()
	);
}

export async function listVersions(db: Executor, year: number): Promise<EditionSummary[]> {
	return db
		.selectFrom('edition')
		.select(SUMMARY)
		.where('year', '=', year)
		.where('state', '=', 'published')
		.orderBy('version', 'desc')
		.execute();
}

/** The highest published version of a year (0 when none). */
export async function lastPublishedVersion(db: Executor, year: number): Promise<number> {
	const row = await db
		.selectFrom('edition')
		.select((eb) => eb.fn.max('version').as('v'))
		.where('year', '=', year)
		.where('state', '=', 'published')
		.executeTakeFirst();
	return Number(row?.v ?? 0);
}

export interface DraftFields {
	asOf: string;
	intro: string;
	axisTexts: Record<string, string>;
	changeNote: string | null;
}

function draftColumns(fields: DraftFields) {
	return {
		as_of: fields.asOf,
		intro: fields.intro,
		axis_texts: JSON.stringify(fields.axisTexts),
		change_note: fields.changeNote
	};
}

/**
 * The year's draft is rewritten (`existing`, as the caller read it with findDraftOfYear in the same
 * transaction), or created as the next version; returns its id.
 */
export async function upsertDraft(
	db: Executor,
	draft: DraftFields & { year: number; version: number; createdBy: number | null; at: string },
	existing: { id: number } | undefined
): Promise<number> {
	if (existing) {
		await db
			.updateTable('edition')
			.set(draftColumns(draft))
			.where('id', '=', existing.id)
			.execute();
		return existing.id;
	}
	const { id } = await db
		.insertInto('edition')
		.values({
			year: draft.year,
			version: draft.version,
			state: 'draft',
			snapshot: null,
			created_by: draft.createdBy,
			created_at: draft.at,
			published_by: null,
			published_at: null,
			...draftColumns(draft)
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return id;
}

export async function markPublished(
	db: Executor,
	id: number,
	publication: { snapshot: string; texts: string; publishedBy: number | null; at: string }
): Promise<void> {
	await db
		.updateTable('edition')
		.set({
			state: 'published',
			snapshot: publication.snapshot,
			frozen_texts: publication.texts,
			published_by: publication.publishedBy,
			published_at: publication.at
		})
		.where('id', '=', id)
		.execute();
}

/** The validated updates reported between two dates (inclusive), for an edition's year. */
export async function listValidatedUpdatesBetween(db: Executor, from: string, to: string) {
	return db
		.selectFrom('progress_update')
		.innerJoin('fiche', 'fiche.id', 'progress_update.fiche_id')
		.leftJoin('organisation', 'organisation.id', 'progress_update.organisation_id')
		.select([
			'fiche.code',
			'progress_update.reported_on as date',
			'organisation.name as organisation',
			'progress_update.status',
			'progress_update.progress',
			'progress_update.done'
		])
		.where('progress_update.state', '=', 'validated')
		.where('progress_update.reported_on', '>=', from)
		.where(updatePublishedBy(to))
		.orderBy('progress_update.reported_on')
		.orderBy('progress_update.id')
		.execute();
}

/**
 * The decisions of the sittings closed between two dates (inclusive), but those on a fiche added
 * to the plan after `to` (an edition's date: the fiche is not in it), in the order of the séance
 * and fiche pages (`inDecisionOrder`).
 */
export async function listClosedDecisionsBetween(db: Executor, from: string, to: string) {
	return closedDecisions(db)
		.select([
			'commission_session.id as sessionId',
			'commission_session.held_on as sessionDate',
			'commission_session.starts_at as sittingStartsAt',
			'decided_fiche.code as fiche',
			'agenda_item.title as itemTitle',
			'decision.kind',
			'decision.opinion',
			'decision.previous_priority as previousPriority',
			'decision.new_priority as newPriority',
			'decision.text'
		])
		.where('commission_session.held_on', '>=', from)
		.where('commission_session.held_on', '<=', to)
		.where(({ ref }) => noFicheOrInPlanBy(ref('agenda_item.fiche_id'), to))
		.$call(inDecisionOrder)
		.execute();
}

/**
 * The sittings held between `from` and `to` (an edition's year) but closed after `after` (its
 * publication): their decisions are not in the edition. Each with how many decisions it took.
 */
export async function listSittingsClosedAfter(
	db: Executor,
	from: string,
	to: string,
	after: string
): Promise<{ sittingId: number; heldOn: string; decisions: number }[]> {
	return closedDecisions(db)
		.select((eb) => [
			'commission_session.id as sittingId',
			'commission_session.held_on as heldOn',
			eb.fn.countAll<number>().as('decisions')
		])
		.where('commission_session.held_on', '>=', from)
		.where('commission_session.held_on', '<=', to)
		.where('commission_session.closed_at', '>', after)
		.groupBy('commission_session.id')
		.orderBy('commission_session.held_on')
		.execute();
}

/**
 * The updates of an edition's period (reported between `from` and `to`, inclusive, as
 * listValidatedUpdatesBetween reads them) validated after `after`, its publication: the edition
 * leaves them out. Counted by fiche; only the fiche `code`'s when given.
 */
export async function countUpdatesValidatedAfter(
	db: Executor,
	period: { from: string; to: string; after: string; code?: string }
): Promise<{ code: string; updates: number }[]> {
	return db
		.selectFrom('progress_update')
		.innerJoin('fiche', 'fiche.id', 'progress_update.fiche_id')
		.select((eb) => ['fiche.code', eb.fn.countAll<number>().as('updates')])
		.where('progress_update.state', '=', 'validated')
		.where('progress_update.reported_on', '>=', period.from)
		.where(updatePublishedBy(period.to))
		.where('progress_update.validated_at', '>', period.after)
		.$if(period.code !== undefined, (q) => q.where('fiche.code', '=', period.code!))
		.groupBy('fiche.code')
		.execute();
}

/** The last edition published for an earlier year, with its frozen snapshot. */
export async function findPreviousPublished(db: Executor, year: number) {
	return db
		.selectFrom('edition')
		.select(['year', 'version', 'as_of as asOf', 'snapshot'])
		.where('state', '=', 'published')
		.where('year', '<', year)
		.orderBy('year', 'desc')
		.orderBy('version', 'desc')
		.limit(1)
		.executeTakeFirst();
}

/**
 * The live plan as an edition freezes it: structure, and each fiche with its owners, partners,
 * links and indicators (nested lists: one statement for the fiches), and its texts apart; without
 * what was added to the plan after `asOf`, the edition's date.
 */
export async function loadPlanToFreeze(
	db: Executor,
	asOf: string
): Promise<{ plan: FrozenPlan; texts: FrozenTexts }> {
	const axes = (await listAxes(db, asOf)).map(({ code, shortName, label }) => ({
		code,
		shortName,
		label
	}));
	const orientations = (await listOrientations(db, asOf)).map(({ code, axis, label }) => ({
		code,
		axis,
		label
	}));
	const objectives = (await listObjectives(db, asOf)).map(({ number, orientation, label }) => ({
		number,
		orientation,
		label
	}));
	const rows = await db
		.selectFrom('fiche')
		.innerJoin('objective', 'objective.id', 'fiche.objective_id')
		.select((eb) => [
			'fiche.code',
			'objective.number as objective',
			'fiche.title',
			'fiche.short_title as shortTitle',
			...FICHE_TEXT_COLUMNS,
			ficheOwners(eb).as('owners'),
			fichePartners(eb).as('partners'),
			ficheLinkedFiches(eb, asOf).as('linked'),
			jsonArrayFrom(
				eb
					.selectFrom('indicator')
					.select((ib) => [
						...INDICATOR_COLUMNS,
						ib('indicator.retired_at', 'is not', null).as('retired')
					])
					.whereRef('indicator.fiche_id', '=', 'fiche.id')
					.where(indicatorRowInPlanBy(asOf))
					.orderBy('indicator.position')
			).as('indicators')
		])
		.where(({ ref }) => inPlanBy('fiche', ref('fiche.id'), asOf))
		.$call(inPlanOrder)
		.execute();
	const fiches: FrozenFiche[] = rows.map((r) => ({
		code: r.code,
		objective: r.objective,
		title: r.title,
		shortTitle: r.shortTitle,
		owners: nested(r.owners).map((o) => ({
			organisation: o.name,
			scope: o.scope,
			note: o.note
		})),
		partners: nested(r.partners).map((p) => ({ organisation: p.name, detail: p.detail })),
		linked: nested(r.linked).map((l) => l.code),
		indicators: nested(r.indicators).map((i) => ({
			...i,
			kind: i.kind as IndicatorKind,
			retired: Boolean(i.retired)
		}))
	}));
	const texts: FrozenTexts = Object.fromEntries(
		rows.map((r) => [
			r.code,
			{
				context: JSON.parse(r.context) as RichText,
				existing: JSON.parse(r.existing) as RichText,
				description: JSON.parse(r.description) as RichText,
				successFactors: JSON.parse(r.successFactors) as RichText,
				ownersNote: r.ownersNote
			}
		])
	);
	return { plan: { axes, orientations, objectives, fiches }, texts };
}

/**
 * One fiche as a published edition froze it: the edition's plan (structure and fiches, without
 * the rest of its snapshot) and that fiche's texts, in one statement.
 */
export async function findFrozenFiche(db: Executor, year: number, code: string, version?: number) {
	const row = await publishedRow(db, year, version)
		.select((eb) => [
			'year',
			'version',
			'as_of as asOf',
			'published_at as publishedAt',
			eb.fn<string | null>('json_extract', ['snapshot', eb.val('$.frozenPlan')]).as('plan'),
			eb.fn<string | null>('json_extract', ['frozen_texts', eb.val(`$."${code}"`)]).as('texts'),
			eb.fn<string>('json_extract', ['snapshot', eb.val('$.axes')]).as('axes')
		])
		.executeTakeFirst();
	if (!row) return undefined;
	const { plan, texts, axes, ...edition } = row;
	return {
		...edition,
		plan: plan ? (JSON.parse(plan) as FrozenPlan) : undefined,
		texts: texts ? (JSON.parse(texts) as FrozenFicheTexts) : undefined,
		/** The fiche's year in the edition: its status, advancement and validated updates. */
		ficheYear: (JSON.parse(axes) as EditionSnapshot['axes'])
			.flatMap((axis) => axis.fiches)
			.find((fiche) => fiche.code === code)
	};
}
