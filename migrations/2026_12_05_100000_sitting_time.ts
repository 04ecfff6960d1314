import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// A séance's time of day (2026-12-05): its convocation said the day and the place, never when the
// commission meets. "HH:MM", Paris time; null for the séances of the register and those whose
// time was not given.

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE commission_session ADD COLUMN starts_at TEXT`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE commission_session DROP COLUMN starts_at`.execute(db);
}
