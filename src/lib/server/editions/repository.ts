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

/** A published edition's open data, as served by `/bilans/[year]/plan.json`. */
export async function findPublishedOpenData(
	db: Executor,
	year: number,
	version?: number
): Promise<{ year: number; version: number; json: string } | undefined> {
	const row = await publishedRow(db, year, version)
		.select(['year', 'version', 'open_data'])
		.executeTakeFirst();
	return row?.open_data ? { year: row.year, version: row.version, json: row.open_data } : undefined;
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
