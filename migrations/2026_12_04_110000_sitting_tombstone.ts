import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// A séance created by mistake can be deleted (2026-12-04). Deleting its row let SQLite give its
// number to the next séance created (an INTEGER PRIMARY KEY without AUTOINCREMENT reuses the
// largest), so a tab left open on the deleted one, or a link to it, wrote into the new one and the
// journal's « séance 5 » named two séances. The row now stays, marked `deleted_at`, and every
// reading of séances leaves it out: a number is never given twice.

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE commission_session ADD COLUMN deleted_at TEXT`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DELETE FROM commission_session WHERE deleted_at IS NOT NULL`.execute(db);
	await sql`ALTER TABLE commission_session DROP COLUMN deleted_at`.execute(db);
}
