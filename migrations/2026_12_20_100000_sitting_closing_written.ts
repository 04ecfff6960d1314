import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// What the closing of a séance wrote (JSON: who closed it, how many members and partners its relevé
// was written to, and the accounts it was not written to, by number and group, never by name), for
// the summary its closer reads on the relevé just after. Null: not closed, or closed before this
// column.

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE commission_session ADD COLUMN closing_written TEXT
		CHECK (closing_written IS NULL OR json_valid(closing_written))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE commission_session DROP COLUMN closing_written`.execute(db);
}
