import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// A partner may discard a draft of their organisation that was never sent to Lot numérique
// (2026-12-15). Its row and its measurements are deleted; its number stays here, with its fiche,
// its organisation, who discarded it and when. Deleting the row would otherwise let SQLite give
// the number to the next update written (an INTEGER PRIMARY KEY without AUTOINCREMENT reuses the
// largest), so that a tab left open on the discarded draft, a link to it or the journal's « suivi
// 42 » would name another update: the portal now numbers new updates past both tables, and the
// trigger refuses an insert that would take a discarded number all the same.

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE TABLE discarded_update (
		id INTEGER PRIMARY KEY,
		fiche_id INTEGER NOT NULL REFERENCES fiche (id),
		organisation_id INTEGER NOT NULL REFERENCES organisation (id),
		discarded_by INTEGER REFERENCES user_account (id),
		discarded_at TEXT NOT NULL
	) STRICT`.execute(db);
	await sql`CREATE TRIGGER progress_update_not_discarded BEFORE INSERT ON progress_update
		WHEN EXISTS (SELECT 1 FROM discarded_update WHERE id = NEW.id)
		BEGIN SELECT RAISE(ABORT, 'progress_update: this number was a discarded draft''s'); END`.execute(
		db
	);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP TRIGGER progress_update_not_discarded`.execute(db);
	await sql`DROP TABLE discarded_update`.execute(db);
}
