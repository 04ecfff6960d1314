import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// When a message stopped for good (failed, cancelled, interrupted), in milliseconds: what a
// restore reads as a write of the database (db:restore's lastWritten). It read `next_attempt_at`,
// which for a message cancelled while waiting for a retry is a moment still to come: a copy then
// looked newer than it was. Null: a message still waiting, or sent.
//
// The messages already stopped have no such date: they take their `next_attempt_at` when it is
// past at the migration (the last moment they were due, or the date a restore gave them), else
// their `created_at` (a retry still to come: the one moment known to be past).

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE mail_outbox ADD COLUMN stopped_at INTEGER`.execute(db);
	const now = Date.now();
	await sql`UPDATE mail_outbox
		SET stopped_at = CASE WHEN next_attempt_at <= ${now} THEN next_attempt_at ELSE created_at END
		WHERE status IN ('failed', 'cancelled', 'interrupted')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE mail_outbox DROP COLUMN stopped_at`.execute(db);
}
