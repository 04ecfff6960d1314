import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// When a séance's convocation was last sent (2026-12-05, milliseconds): a séance deleted after it
// was convened tells those convened that it is cancelled. Null: never convened.

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE commission_session ADD COLUMN convened_at INTEGER`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE commission_session DROP COLUMN convened_at`.execute(db);
}
