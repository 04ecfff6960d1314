import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// A published edition kept its open data (every measurement up to its date) inside `snapshot`, so
// showing the edition page read and parsed megabytes. The open data moves to its own column, as
// the exact text `/bilans/[year]/plan.json` serves; the snapshot keeps what the page shows. The
// content of a published edition does not change: it is split in two. The freeze trigger is lifted
// for this one statement and put back as it was.
export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE edition ADD COLUMN open_data TEXT`.execute(db);
	await sql`DROP TRIGGER edition_published_is_frozen`.execute(db);
	await sql`UPDATE edition
		SET open_data = json_extract(snapshot, '$.plan') || char(10),
			snapshot = json_remove(snapshot, '$.plan')
		WHERE snapshot IS NOT NULL AND json_type(snapshot, '$.plan') = 'object'`.execute(db);
	await createFreezeTrigger(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP TRIGGER edition_published_is_frozen`.execute(db);
	await sql`UPDATE edition SET snapshot = json_set(snapshot, '$.plan', json(open_data))
		WHERE snapshot IS NOT NULL AND open_data IS NOT NULL`.execute(db);
	await createFreezeTrigger(db);
	await sql`ALTER TABLE edition DROP COLUMN open_data`.execute(db);
}

async function createFreezeTrigger(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE TRIGGER edition_published_is_frozen BEFORE UPDATE ON edition
		WHEN OLD.state = 'published'
		BEGIN SELECT RAISE(ABORT, 'a published edition cannot change'); END`.execute(db);
}
