import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// The campaign a message was written for (its opening or a reminder): a campaign closed before its
// messages left cancels them. Null: any other message, or written before this column.

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE mail_outbox ADD COLUMN campaign_id INTEGER REFERENCES campaign (id)`.execute(
		db
	);
	await sql`CREATE INDEX mail_outbox_campaign ON mail_outbox (campaign_id, status)
		WHERE campaign_id IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP INDEX mail_outbox_campaign`.execute(db);
	await sql`ALTER TABLE mail_outbox DROP COLUMN campaign_id`.execute(db);
}
