import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// The fiches a campaign's message asked for (its opening or a reminder), as a JSON array of fiche
// ids: before it leaves, the message is judged on its own list, not on the fiches its recipient's
// organisation is asked today (a fiche joined or left since). Null: any other message, or written
// before this column (then judged on the organisation's fiches of the day, as before).

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE mail_outbox ADD COLUMN campaign_fiche_ids TEXT`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE mail_outbox DROP COLUMN campaign_fiche_ids`.execute(db);
}
