import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// A one-time link (invitation: 7 days, password reset: 30 minutes) could reach its recipient
// after it had expired, when the relay was down for longer than the link's life: the sender did
// not know the link's expiry. `link_expires_at` (milliseconds since the epoch) is that expiry; the
// sender does not send a message whose link has expired. Messages written before this column
// have none and are sent as before.
export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE mail_outbox ADD COLUMN link_expires_at INTEGER`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE mail_outbox DROP COLUMN link_expires_at`.execute(db);
}
