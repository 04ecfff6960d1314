import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// Axes, orientations and objectives are edited in the portal (#16): each gets a version for
// optimistic concurrency, as fiches and organisations have (two admins editing the same record:
// the second is refused). Their changes already bump the published revision (triggers of
// 2026_11_30_060000_published_revision cover the three tables).

const TABLES = ['axis', 'orientation', 'objective'];

export async function up(db: Kysely<unknown>): Promise<void> {
	for (const table of TABLES)
		await sql`ALTER TABLE ${sql.table(table)} ADD COLUMN version INTEGER NOT NULL DEFAULT 1`.execute(
			db
		);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const table of TABLES)
		await sql`ALTER TABLE ${sql.table(table)} DROP COLUMN version`.execute(db);
}
