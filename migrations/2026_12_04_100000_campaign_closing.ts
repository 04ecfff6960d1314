import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// A campaign opened by mistake, or whose answers are all in, can be closed before its deadline:
// its reminders stop and partners no longer see it in their workspace. `closed_at` (milliseconds)
// and `closed_by` say when and by whom; a campaign never closed ends with its last reminder day.
// A partner's /espace is cached on work_revision, which the insert trigger of 2026_12_01 bumps: an
// update of a campaign (its closing) bumps it too.

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE campaign ADD COLUMN closed_at INTEGER`.execute(db);
	await sql`ALTER TABLE campaign ADD COLUMN closed_by INTEGER REFERENCES user_account (id)`.execute(
		db
	);
	await sql`CREATE TRIGGER campaign_update_work_revision AFTER UPDATE ON campaign
		BEGIN UPDATE data_revision SET work_revision = work_revision + 1 WHERE id = 1; END`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP TRIGGER campaign_update_work_revision`.execute(db);
	await sql`ALTER TABLE campaign DROP COLUMN closed_by`.execute(db);
	await sql`ALTER TABLE campaign DROP COLUMN closed_at`.execute(db);
}
