import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// A decision, an agenda point or an attendee removed gave its number to the next one recorded (an
// INTEGER PRIMARY KEY without AUTOINCREMENT reuses the largest): a closing page read before « avis
// favorable » was withdrawn closed the séance with the priority change recorded after it under the
// same number, a stale « Enregistrer la décision » form wrote on the fiche added in place of the
// one removed, a stale « Retirer » removed the guest added in place of the one removed, and the
// journal's « décision 23 » named two decisions. Their rows are still deleted (an agenda point or a
// guest may come back: the UNIQUE keys stay as they were), but a number is never given twice:
// the three tables are made again with AUTOINCREMENT, their rows, indexes and triggers (those that
// bump the published-content revision) kept. The first number given is also past every one the
// journal names (a row deleted before this migration, whose page may still be open).
//
// SQLite drops a table's indexes and triggers with it: their SQL is read before and run again
// after. `decision` is referenced by `plan_revision`: dropping it with rows still pointing at it is
// allowed only with the foreign keys deferred to the commit (a PRAGMA a transaction honours), by
// which time the same rows are back under the same numbers; `foreign_key_check` makes sure.

type Rebuilt = { table: string; create: string; journal: string };

/** Parents first: created in this order, dropped in the reverse one. */
const REBUILT: Rebuilt[] = [
	{
		table: 'session_attendee',
		create: `CREATE TABLE session_attendee (
			id INTEGER PRIMARY KEY AUTOINCREMENT,
			session_id INTEGER NOT NULL REFERENCES commission_session (id),
			user_id INTEGER REFERENCES user_account (id),
			guest_name TEXT,
			CHECK ((user_id IS NULL) <> (guest_name IS NULL)),
			UNIQUE (session_id, user_id)
		) STRICT`,
		journal: `SELECT CAST(substr(summary, instr(summary, 'n° ') + 3) AS INTEGER) AS id
			FROM audit_event WHERE action = 'session.attendees' AND summary LIKE 'Présent retiré (n° %'`
	},
	{
		table: 'agenda_item',
		create: `CREATE TABLE agenda_item (
			id INTEGER PRIMARY KEY AUTOINCREMENT,
			session_id INTEGER NOT NULL REFERENCES commission_session (id),
			fiche_id INTEGER REFERENCES fiche (id),
			title TEXT,
			position INTEGER NOT NULL,
			CHECK ((fiche_id IS NULL) <> (title IS NULL)),
			UNIQUE (session_id, fiche_id)
		) STRICT`,
		journal: `SELECT CAST(substr(summary, instr(summary, 'n° ') + 3) AS INTEGER) AS id
			FROM audit_event WHERE action = 'session.agenda' AND summary LIKE 'Point retiré de l’ordre du jour (n° %'`
	},
	{
		table: 'decision',
		create: `CREATE TABLE decision (
			id INTEGER PRIMARY KEY AUTOINCREMENT,
			session_id INTEGER NOT NULL REFERENCES commission_session (id),
			agenda_item_id INTEGER NOT NULL REFERENCES agenda_item (id),
			kind TEXT NOT NULL CHECK (kind IN ('priority', 'opinion', 'free')),
			previous_priority INTEGER CHECK (previous_priority IN (1, 2)),
			new_priority INTEGER CHECK (new_priority IN (1, 2)),
			opinion TEXT CHECK (opinion IN ('favorable', 'reserve', 'defavorable', 'prise_acte')),
			text TEXT NOT NULL,
			recorded_by INTEGER REFERENCES user_account (id),
			recorded_at TEXT NOT NULL,
			CHECK ((kind = 'priority') = (new_priority IS NOT NULL)),
			CHECK ((kind = 'opinion') = (opinion IS NOT NULL))
		) STRICT`,
		journal: `SELECT CAST(target_id AS INTEGER) AS id FROM audit_event WHERE target_type = 'décision'`
	}
];

/** The same tables as before: INTEGER PRIMARY KEY without AUTOINCREMENT. */
const withoutAutoincrement = (create: string) => create.replace(' AUTOINCREMENT', '');

async function rebuild(
	db: Kysely<unknown>,
	tables: { table: string; create: string }[]
): Promise<void> {
	const names = tables.map(({ table }) => table);
	await sql`PRAGMA defer_foreign_keys = ON`.execute(db);
	const { rows: kept } = await sql<{ sql: string }>`SELECT sql FROM sqlite_schema
		WHERE type IN ('index', 'trigger') AND sql IS NOT NULL
			AND tbl_name IN (${sql.join(names)})`.execute(db);
	for (const table of names)
		await sql.raw(`CREATE TEMP TABLE ${table}_rows AS SELECT * FROM main.${table}`).execute(db);
	for (const table of [...names].reverse()) await sql.raw(`DROP TABLE main.${table}`).execute(db);
	for (const { table, create } of tables) {
		await sql.raw(create).execute(db);
		await sql.raw(`INSERT INTO main.${table} SELECT * FROM temp.${table}_rows`).execute(db);
		await sql.raw(`DROP TABLE temp.${table}_rows`).execute(db);
	}
	for (const { sql: statement } of kept) await sql.raw(statement).execute(db);
	const { rows: broken } = await sql<{ table: string }>`SELECT "table" FROM pragma_foreign_key_check
		WHERE "table" IN (${sql.join([...names, 'plan_revision'])})`.execute(db);
	if (broken.length > 0)
		throw new Error(`Clés étrangères rompues après la reconstruction : ${broken[0]!.table}`);
}

export async function up(db: Kysely<unknown>): Promise<void> {
	await rebuild(db, REBUILT);
	// The next number is past the largest kept and the largest the journal names.
	for (const { table, journal } of REBUILT) {
		await sql`DELETE FROM sqlite_sequence WHERE name = ${table}`.execute(db);
		await sql`INSERT INTO sqlite_sequence (name, seq)
			SELECT ${table}, MAX(id) FROM (
				SELECT id FROM ${sql.table(table)} UNION ALL ${sql.raw(journal)}
			) HAVING MAX(id) IS NOT NULL`.execute(db);
	}
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await rebuild(
		db,
		REBUILT.map(({ table, create }) => ({ table, create: withoutAutoincrement(create) }))
	);
}
