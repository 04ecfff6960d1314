import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE TABLE user_account (
		id INTEGER PRIMARY KEY,
		email TEXT NOT NULL UNIQUE COLLATE NOCASE,
		name TEXT NOT NULL,
		role TEXT NOT NULL CHECK (role IN ('admin', 'commission', 'partenaire')),
		organisation_id INTEGER REFERENCES organisation (id),
		password_hash TEXT,
		disabled_at TEXT,
		created_at TEXT NOT NULL,
		updated_at TEXT NOT NULL,
		CHECK ((role = 'partenaire') = (organisation_id IS NOT NULL))
	) STRICT`.execute(db);
	await sql`CREATE INDEX user_account_organisation ON user_account (organisation_id)`.execute(db);

	// Lucia-guide sessions: the token is "<id>.<secret>"; only the SHA-256 of the secret is kept.
	await sql`CREATE TABLE user_session (
		id TEXT PRIMARY KEY,
		secret_hash BLOB NOT NULL,
		user_id INTEGER NOT NULL REFERENCES user_account (id),
		created_at INTEGER NOT NULL,
		expires_at INTEGER NOT NULL
	) STRICT`.execute(db);
	await sql`CREATE INDEX user_session_user ON user_session (user_id)`.execute(db);

	await sql`CREATE TABLE invitation (
		id TEXT PRIMARY KEY,
		secret_hash BLOB NOT NULL,
		user_id INTEGER NOT NULL REFERENCES user_account (id),
		created_by INTEGER REFERENCES user_account (id),
		created_at INTEGER NOT NULL,
		expires_at INTEGER NOT NULL,
		used_at INTEGER
	) STRICT`.execute(db);
	await sql`CREATE INDEX invitation_user ON invitation (user_id)`.execute(db);

	await sql`CREATE TABLE login_throttle (
		key TEXT PRIMARY KEY,
		failures INTEGER NOT NULL,
		last_failure_at INTEGER NOT NULL,
		blocked_until INTEGER NOT NULL
	) STRICT`.execute(db);

	await sql`CREATE TABLE audit_event (
		id INTEGER PRIMARY KEY,
		occurred_at TEXT NOT NULL,
		actor_id INTEGER REFERENCES user_account (id),
		actor_label TEXT NOT NULL,
		action TEXT NOT NULL,
		target_type TEXT,
		target_id TEXT,
		summary TEXT NOT NULL,
		before_state TEXT,
		after_state TEXT,
		client_address TEXT
	) STRICT`.execute(db);
	await sql`CREATE INDEX audit_event_time ON audit_event (occurred_at)`.execute(db);
	await sql`CREATE INDEX audit_event_action ON audit_event (action, occurred_at)`.execute(db);
	await sql`CREATE INDEX audit_event_actor ON audit_event (actor_id, occurred_at)`.execute(db);
	// Append-only: the journal cannot be rewritten, even by the application.
	await sql`CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
		BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END`.execute(db);
	await sql`CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
		BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END`.execute(db);

	await sql`ALTER TABLE progress_update ADD COLUMN author_id INTEGER REFERENCES user_account (id)`.execute(
		db
	);
	await sql`ALTER TABLE progress_update ADD COLUMN submission_key TEXT`.execute(db);
	await sql`ALTER TABLE progress_update ADD COLUMN version INTEGER NOT NULL DEFAULT 1`.execute(db);
	await sql`ALTER TABLE progress_update ADD COLUMN review_comment TEXT`.execute(db);
	await sql`ALTER TABLE progress_update ADD COLUMN reviewed_by INTEGER REFERENCES user_account (id)`.execute(
		db
	);
	await sql`ALTER TABLE progress_update ADD COLUMN updated_by INTEGER REFERENCES user_account (id)`.execute(
		db
	);
	await sql`ALTER TABLE progress_update ADD COLUMN updated_at TEXT`.execute(db);
	await sql`ALTER TABLE progress_update ADD COLUMN submitted_at TEXT`.execute(db);
	// A form posted twice (double click, retry after a timeout) creates one update, not two.
	await sql`CREATE UNIQUE INDEX progress_update_submission ON progress_update (author_id, submission_key)
		WHERE submission_key IS NOT NULL`.execute(db);
	await sql`CREATE INDEX progress_update_queue ON progress_update (state, submitted_at)`.execute(
		db
	);
	await sql`CREATE INDEX progress_update_organisation ON progress_update (organisation_id, state)`.execute(
		db
	);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP INDEX progress_update_organisation`.execute(db);
	await sql`DROP INDEX progress_update_queue`.execute(db);
	await sql`DROP INDEX progress_update_submission`.execute(db);
	for (const column of [
		'submitted_at',
		'updated_at',
		'updated_by',
		'reviewed_by',
		'review_comment',
		'version',
		'submission_key',
		'author_id'
	]) {
		await db.schema.alterTable('progress_update').dropColumn(column).execute();
	}
	for (const table of [
		'audit_event',
		'login_throttle',
		'invitation',
		'user_session',
		'user_account'
	]) {
		await db.schema.dropTable(table).execute();
	}
}
