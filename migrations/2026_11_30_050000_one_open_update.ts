import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// One open update (draft, submitted or returned) per fiche and organisation: opening the form again
// resumes it, and a form posted twice cannot leave two pending updates behind. The rule is checked
// by the service with a French message; these triggers keep it whatever writes to the table. A
// trigger rather than a unique index: updates left open twice before this rule stay readable and
// can be finished, only new ones are refused.
//
// `last_post_key` is the one-time key of the last form accepted for the update (creation or edit):
// the same form posted again (Back then submit, a double click, a retry) is recognised as a repeat.
export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE progress_update ADD COLUMN last_post_key TEXT`.execute(db);
	await sql`UPDATE progress_update SET last_post_key = submission_key`.execute(db);
	await sql`CREATE INDEX progress_update_open ON progress_update (fiche_id, organisation_id)
		WHERE state IN ('draft', 'submitted', 'returned')`.execute(db);
	await sql`CREATE TRIGGER progress_update_one_open BEFORE INSERT ON progress_update
		WHEN NEW.state IN ('draft', 'submitted', 'returned') AND NEW.organisation_id IS NOT NULL
			AND EXISTS (SELECT 1 FROM progress_update
				WHERE fiche_id = NEW.fiche_id AND organisation_id = NEW.organisation_id
					AND state IN ('draft', 'submitted', 'returned'))
		BEGIN SELECT RAISE(ABORT, 'one open update per fiche and organisation'); END`.execute(db);
	await sql`CREATE TRIGGER progress_update_one_open_reopened BEFORE UPDATE OF state ON progress_update
		WHEN OLD.state = 'validated' AND NEW.state IN ('draft', 'submitted', 'returned')
			AND EXISTS (SELECT 1 FROM progress_update
				WHERE fiche_id = NEW.fiche_id AND organisation_id = NEW.organisation_id
					AND id != NEW.id AND state IN ('draft', 'submitted', 'returned'))
		BEGIN SELECT RAISE(ABORT, 'one open update per fiche and organisation'); END`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP TRIGGER progress_update_one_open_reopened`.execute(db);
	await sql`DROP TRIGGER progress_update_one_open`.execute(db);
	await sql`DROP INDEX progress_update_open`.execute(db);
	await sql`ALTER TABLE progress_update DROP COLUMN last_post_key`.execute(db);
}
