import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// The state of the mail relay itself, one row: when a failure is the relay's own (unreachable,
// refusing the connection, the login or the portal's sender address), no message is tried until
// `paused_until` (ms), and no message spends an attempt on it; `failing_since` is when the relay
// last stopped answering, `failures` how many tries in a row failed, `last_error` the last reason
// in French. Kept in the database so that the admins' page shows it and a restart knows it.
export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`
		CREATE TABLE mail_relay (
			id INTEGER PRIMARY KEY CHECK (id = 1),
			failing_since INTEGER,
			failures INTEGER NOT NULL DEFAULT 0,
			paused_until INTEGER,
			last_error TEXT
		) STRICT
	`.execute(db);
	await sql`INSERT INTO mail_relay (id) VALUES (1)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP TABLE mail_relay`.execute(db);
}
