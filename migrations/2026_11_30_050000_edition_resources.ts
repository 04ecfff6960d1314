import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// Open data `sdusn/plan@2` has several files (plan.json, fiches.csv, mesures.csv, one
// mesures-YYYY.csv per year, mises-a-jour.csv, decisions.csv, datapackage.json). A published
// edition keeps each of them, as served, as it stood at the edition's date. Files are only ever
// added to a published edition, once, and never changed or removed.
export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE TABLE edition_resource (
		edition_id INTEGER NOT NULL REFERENCES edition (id),
		name TEXT NOT NULL,
		body BLOB NOT NULL,
		row_count INTEGER,
		last_change TEXT NOT NULL,
		PRIMARY KEY (edition_id, name)
	) STRICT`.execute(db);
	await sql`CREATE TRIGGER edition_resource_published_only BEFORE INSERT ON edition_resource
		WHEN (SELECT state FROM edition WHERE id = NEW.edition_id) IS NOT 'published'
		BEGIN SELECT RAISE(ABORT, 'open data belongs to a published edition'); END`.execute(db);
	await sql`CREATE TRIGGER edition_resource_is_frozen BEFORE UPDATE ON edition_resource
		BEGIN SELECT RAISE(ABORT, 'the open data of a published edition cannot change'); END`.execute(db);
	await sql`CREATE TRIGGER edition_resource_is_kept BEFORE DELETE ON edition_resource
		BEGIN SELECT RAISE(ABORT, 'the open data of a published edition cannot be deleted'); END`.execute(
		db
	);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropTable('edition_resource').execute();
}
