import type { Executor } from '../db';
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

const summary = (r: {
	id: number;
	year: number;
	version: number;
	as_of: string;
	state: 'draft' | 'published';
	published_at: string | null;
	change_note: string | null;
}): EditionSummary => ({
	id: r.id,
	year: r.year,
	version: r.version,
	asOf: r.as_of,
	state: r.state,
	publishedAt: r.published_at,
	changeNote: r.change_note
});

export async function listEditions(
	db: Executor,
	{ publishedOnly }: { publishedOnly: boolean }
): Promise<EditionSummary[]> {
	let query = db
		.selectFrom('edition')
		.select(['id', 'year', 'version', 'as_of', 'state', 'published_at', 'change_note'])
		.orderBy('year', 'desc')
		.orderBy('version', 'desc');
	if (publishedOnly) query = query.where('state', '=', 'published');
	return (await query.execute()).map(summary);
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
): Promise<{ year: number; version: number; body: Uint8Array } | undefined> {
	const edition = publishedRow(db, year, version).select(['id', 'year', 'version']).as('e');
	return db
		.selectFrom(edition)
		.innerJoin('edition_resource', 'edition_resource.edition_id', 'e.id')
		.select(['e.year', 'e.version', 'edition_resource.body'])
		.where('edition_resource.name', '=', name)
		.executeTakeFirst();
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
		.selectAll()
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

export async function findEdition(db: Executor, id: number) {
	const row = await db.selectFrom('edition').selectAll().where('id', '=', id).executeTakeFirst();
	if (!row) return undefined;
	return {
		...summary(row),
		intro: row.intro,
		axisTexts: JSON.parse(row.axis_texts) as Record<string, string>
	};
}

export async function listVersions(db: Executor, year: number): Promise<EditionSummary[]> {
	const rows = await db
		.selectFrom('edition')
		.select(['id', 'year', 'version', 'as_of', 'state', 'published_at', 'change_note'])
		.where('year', '=', year)
		.where('state', '=', 'published')
		.orderBy('version', 'desc')
		.execute();
	return rows.map(summary);
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

/** The year's draft is rewritten, or created as the next version; returns its id. */
export async function upsertDraft(
	db: Executor,
	draft: DraftFields & { year: number; version: number; createdBy: number | null; at: string }
): Promise<number> {
	const existing = await db
		.selectFrom('edition')
		.select('id')
		.where('year', '=', draft.year)
		.where('state', '=', 'draft')
		.executeTakeFirst();
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
	publication: { snapshot: string; publishedBy: number | null; at: string }
): Promise<void> {
	await db
		.updateTable('edition')
		.set({
			state: 'published',
			snapshot: publication.snapshot,
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
			'progress_update.reported_on',
			'organisation.name',
			'progress_update.status',
			'progress_update.progress',
			'progress_update.done'
		])
		.where('progress_update.state', '=', 'validated')
		.where('progress_update.reported_on', '>=', from)
		.where('progress_update.reported_on', '<=', to)
		.orderBy('progress_update.reported_on')
		.orderBy('progress_update.id')
		.execute();
}

/** The decisions of the sittings closed between two dates (inclusive). */
export async function listClosedDecisionsBetween(db: Executor, from: string, to: string) {
	return db
		.selectFrom('decision')
		.innerJoin('commission_session', 'commission_session.id', 'decision.session_id')
		.innerJoin('agenda_item', 'agenda_item.id', 'decision.agenda_item_id')
		.leftJoin('fiche', 'fiche.id', 'agenda_item.fiche_id')
		.select([
			'commission_session.id',
			'commission_session.held_on',
			'fiche.code',
			'agenda_item.title',
			'decision.kind',
			'decision.opinion',
			'decision.previous_priority',
			'decision.new_priority',
			'decision.text'
		])
		.where('commission_session.state', '=', 'closed')
		.where('commission_session.held_on', '>=', from)
		.where('commission_session.held_on', '<=', to)
		.orderBy('commission_session.held_on')
		.orderBy('decision.id')
		.execute();
}

/** The last edition published for an earlier year, with its frozen snapshot. */
export async function findPreviousPublished(db: Executor, year: number) {
	return db
		.selectFrom('edition')
		.select(['year', 'version', 'as_of', 'snapshot'])
		.where('state', '=', 'published')
		.where('year', '<', year)
		.orderBy('year', 'desc')
		.orderBy('version', 'desc')
		.limit(1)
		.executeTakeFirst();
}
