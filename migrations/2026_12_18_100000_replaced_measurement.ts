import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// Since 2026-12-07 a value validated for an indicator and a day that already has a published one
// replaces it: the older value's row was deleted, kept in the journal alone (`update.validated`,
// `replacedMeasurements` in its before state), and the older update's own page showed no value
// for that indicator any more. The replaced value is now set aside here, with the update that
// replaced it (whose validation gives the day); the public pages and the open data, which read
// `measurement`, do not see it. The values replaced before this migration are taken back from the
// journal (their comment was not kept there).

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE TABLE replaced_measurement (
		id INTEGER PRIMARY KEY,
		progress_update_id INTEGER NOT NULL REFERENCES progress_update (id),
		indicator_id INTEGER NOT NULL REFERENCES indicator (id),
		measured_on TEXT NOT NULL,
		value REAL NOT NULL,
		comment TEXT,
		replaced_by INTEGER NOT NULL REFERENCES progress_update (id)
	) STRICT`.execute(db);
	await sql`CREATE INDEX replaced_measurement_update
		ON replaced_measurement (progress_update_id)`.execute(db);
	await sql`INSERT INTO replaced_measurement
		(progress_update_id, indicator_id, measured_on, value, comment, replaced_by)
		SELECT json_extract(r.value, '$.updateId'), json_extract(r.value, '$.indicatorId'),
			json_extract(r.value, '$.measuredOn'), json_extract(r.value, '$.value'), NULL,
			CAST(e.target_id AS INTEGER)
		FROM audit_event e, json_each(e.before_state, '$.replacedMeasurements') r
		WHERE e.action = 'update.validated' AND e.before_state IS NOT NULL
			AND json_valid(e.before_state)
			AND EXISTS (SELECT 1 FROM progress_update u WHERE u.id = json_extract(r.value, '$.updateId'))
			AND EXISTS (SELECT 1 FROM progress_update u WHERE u.id = CAST(e.target_id AS INTEGER))
			AND EXISTS (SELECT 1 FROM indicator i WHERE i.id = json_extract(r.value, '$.indicatorId'))
		ORDER BY e.id, r.key`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP TABLE replaced_measurement`.execute(db);
}
