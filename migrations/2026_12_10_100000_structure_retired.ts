import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// An axis, an orientation or an objective added by mistake, or left empty once its fiches moved,
// can be withdrawn from the plan (retired) rather than left as a bare heading. The row stays, so
// that its revisions, its code and its number keep meaning what they meant (an objective's number
// is never given again: fiche codes follow it); `retired_at` (a UTC timestamp) says since when it
// is out of the plan. Changes already bump the published revision (triggers of
// 2026_11_30_060000_published_revision cover the three tables).

const TABLES = ['axis', 'orientation', 'objective'];

export async function up(db: Kysely<unknown>): Promise<void> {
	for (const table of TABLES)
		await sql`ALTER TABLE ${sql.table(table)} ADD COLUMN retired_at TEXT`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const table of TABLES)
		await sql`ALTER TABLE ${sql.table(table)} DROP COLUMN retired_at`.execute(db);
}
