import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE TABLE commission_session (
		id INTEGER PRIMARY KEY,
		held_on TEXT NOT NULL,
		place TEXT NOT NULL,
		title TEXT NOT NULL,
		state TEXT NOT NULL CHECK (state IN ('preparation', 'held', 'closed')),
		source TEXT,
		created_by INTEGER REFERENCES user_account (id),
		created_at TEXT NOT NULL,
		closed_by INTEGER REFERENCES user_account (id),
		closed_at TEXT
	) STRICT`.execute(db);
	await sql`CREATE INDEX commission_session_date ON commission_session (held_on)`.execute(db);

	await sql`CREATE TABLE session_attendee (
		id INTEGER PRIMARY KEY,
		session_id INTEGER NOT NULL REFERENCES commission_session (id),
		user_id INTEGER REFERENCES user_account (id),
		guest_name TEXT,
		CHECK ((user_id IS NULL) <> (guest_name IS NULL)),
		UNIQUE (session_id, user_id)
	) STRICT`.execute(db);

	await sql`CREATE TABLE agenda_item (
		id INTEGER PRIMARY KEY,
		session_id INTEGER NOT NULL REFERENCES commission_session (id),
		fiche_id INTEGER REFERENCES fiche (id),
		title TEXT,
		position INTEGER NOT NULL,
		CHECK ((fiche_id IS NULL) <> (title IS NULL)),
		UNIQUE (session_id, fiche_id)
	) STRICT`.execute(db);
	await sql`CREATE INDEX agenda_item_fiche ON agenda_item (fiche_id)`.execute(db);

	// A decision takes effect when its session is closed; a closed session is never changed.
	await sql`CREATE TABLE decision (
		id INTEGER PRIMARY KEY,
		session_id INTEGER NOT NULL REFERENCES commission_session (id),
		agenda_item_id INTEGER NOT NULL REFERENCES agenda_item (id),
		kind TEXT NOT NULL CHECK (kind IN ('priority', 'opinion', 'free')),
		previous_priority INTEGER CHECK (previous_priority IN (1, 2)),
		new_priority INTEGER CHECK (new_priority IN (1, 2)),
		opinion TEXT CHECK (opinion IN ('favorable', 'reserve', 'defavorable', 'prise_acte')),
		text TEXT NOT NULL,
		recorded_by INTEGER REFERENCES user_account (id),
		recorded_at TEXT NOT NULL,
		CHECK ((kind = 'priority') = (new_priority IS NOT NULL)),
		CHECK ((kind = 'opinion') = (opinion IS NOT NULL))
	) STRICT`.execute(db);
	await sql`CREATE INDEX decision_session ON decision (session_id)`.execute(db);
	await sql`CREATE INDEX decision_item ON decision (agenda_item_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const table of ['decision', 'agenda_item', 'session_attendee', 'commission_session']) {
		await db.schema.dropTable(table).execute();
	}
}
