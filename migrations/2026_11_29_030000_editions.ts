import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
export async function up(db: Kysely<unknown>): Promise<void> {
	// A yearly edition of the public report. Publishing freezes `snapshot` (everything the edition
	// shows); a correction is a new version of the same year, the previous one stays reachable.
	await sql`CREATE TABLE edition (
		id INTEGER PRIMARY KEY,
		year INTEGER NOT NULL CHECK (year BETWEEN 2018 AND 2100),
		version INTEGER NOT NULL CHECK (version >= 1),
		as_of TEXT NOT NULL,
		intro TEXT NOT NULL,
		axis_texts TEXT NOT NULL,
		change_note TEXT,
		state TEXT NOT NULL CHECK (state IN ('draft', 'published')),
		snapshot TEXT,
		created_by INTEGER REFERENCES user_account (id),
		created_at TEXT NOT NULL,
		published_by INTEGER REFERENCES user_account (id),
		published_at TEXT,
		UNIQUE (year, version),
		CHECK ((state = 'published') = (snapshot IS NOT NULL))
	) STRICT`.execute(db);
	await sql`CREATE TRIGGER edition_published_is_frozen BEFORE UPDATE ON edition
		WHEN OLD.state = 'published'
		BEGIN SELECT RAISE(ABORT, 'a published edition cannot change'); END`.execute(db);
	await sql`CREATE TRIGGER edition_published_is_kept BEFORE DELETE ON edition
		WHEN OLD.state = 'published'
		BEGIN SELECT RAISE(ABORT, 'a published edition cannot be deleted'); END`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropTable('edition').execute();
}
