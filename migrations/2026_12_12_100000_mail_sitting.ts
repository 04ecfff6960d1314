import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// The commission's séance a message was written for (its convocation, its cancellation, its
// relevé): a séance deleted before its convocation left cancels it. Null: any other message, or
// written before this column.

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE mail_outbox ADD COLUMN sitting_id INTEGER REFERENCES commission_session (id)`.execute(
		db
	);
	await sql`CREATE INDEX mail_outbox_sitting ON mail_outbox (sitting_id, status)
		WHERE sitting_id IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP INDEX mail_outbox_sitting`.execute(db);
	await sql`ALTER TABLE mail_outbox DROP COLUMN sitting_id`.execute(db);
}
