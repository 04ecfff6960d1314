import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// The journal's search read every row's summary and author through a JavaScript function: a word
// found nowhere made SQLite fold 200,000 rows, about two seconds during which the server answered
// nobody. `search_text` holds both, folded once (lower case, no accents, plain spaces; written by
// recordAudit, and filled for older rows at start-up). The journal stays append-only: the only
// change a row accepts is giving a row without it its search text, once, every other column (its
// id, which is its rowid, included) unchanged. A column added later must be added to the list.
const RECORDED_COLUMNS = [
	'id',
	'occurred_at',
	'actor_id',
	'actor_label',
	'action',
	'target_type',
	'target_id',
	'summary',
	'before_state',
	'after_state',
	'client_address'
];

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE audit_event ADD COLUMN search_text TEXT`.execute(db);
	await sql`DROP TRIGGER audit_event_no_update`.execute(db);
	const unchanged = sql.join(
		RECORDED_COLUMNS.map((c) => sql`NEW.${sql.ref(c)} IS OLD.${sql.ref(c)}`),
		sql` AND `
	);
	await sql`CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
		WHEN NOT (OLD.search_text IS NULL AND ${unchanged})
		BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP TRIGGER audit_event_no_update`.execute(db);
	await sql`ALTER TABLE audit_event DROP COLUMN search_text`.execute(db);
	await sql`CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
		BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END`.execute(db);
}
