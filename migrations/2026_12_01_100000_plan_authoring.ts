import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// What the syndicat needs to keep its plan true without a developer (#16):
// - `plan_revision`: every saved change to the plan, append-only (triggers refuse UPDATE and
//   DELETE): what was changed (entity and id, and the fiche it belongs to when there is one), the
//   fields before → after (JSON), who (null for the command-line import), when, the required
//   reason, the commission decision it applies, and whether it came from a form or an import.
// - fiches, organisations: a version for optimistic concurrency; a retired fiche keeps its reason.
// - indicators: a kind that decides which values are accepted, a target date, an optional
//   baseline, and a retired state that keeps the measurements.
// - organisations: retired, and the names they had before (still findable).

const PUBLIC = `UPDATE data_revision SET revision = revision + 1, work_revision = work_revision + 1,
	changed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1;`;

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE TABLE plan_revision (
		id INTEGER PRIMARY KEY,
		entity TEXT NOT NULL
			CHECK (entity IN ('plan', 'axis', 'orientation', 'objective', 'fiche', 'indicator', 'organisation')),
		entity_id INTEGER NOT NULL,
		fiche_id INTEGER REFERENCES fiche (id),
		action TEXT NOT NULL CHECK (action IN ('created', 'updated', 'moved', 'retired', 'merged')),
		changes TEXT NOT NULL CHECK (json_valid(changes) AND json_type(changes) = 'array'),
		reason TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 3 AND 500),
		decision_id INTEGER REFERENCES decision (id),
		origin TEXT NOT NULL CHECK (origin IN ('portal', 'import')),
		user_id INTEGER REFERENCES user_account (id),
		created_at TEXT NOT NULL
	) STRICT`.execute(db);
	await sql`CREATE INDEX plan_revision_fiche ON plan_revision (fiche_id, id)`.execute(db);
	await sql`CREATE INDEX plan_revision_entity ON plan_revision (entity, entity_id, id)`.execute(db);
	await sql`CREATE TRIGGER plan_revision_no_update BEFORE UPDATE ON plan_revision
		BEGIN SELECT RAISE(ABORT, 'plan_revision is append-only'); END`.execute(db);
	await sql`CREATE TRIGGER plan_revision_no_delete BEFORE DELETE ON plan_revision
		BEGIN SELECT RAISE(ABORT, 'plan_revision is append-only'); END`.execute(db);
	await sql
		.raw(
			`CREATE TRIGGER plan_revision_insert_published AFTER INSERT ON plan_revision BEGIN ${PUBLIC} END`
		)
		.execute(db);

	await sql`ALTER TABLE fiche ADD COLUMN version INTEGER NOT NULL DEFAULT 1`.execute(db);
	await sql`ALTER TABLE fiche ADD COLUMN retired_reason TEXT`.execute(db);
	await sql`ALTER TABLE fiche ADD COLUMN retired_on TEXT`.execute(db);

	await sql`ALTER TABLE indicator ADD COLUMN kind TEXT NOT NULL DEFAULT 'count'
		CHECK (kind IN ('count', 'percentage', 'amount', 'boolean'))`.execute(db);
	await sql`ALTER TABLE indicator ADD COLUMN target_date TEXT`.execute(db);
	await sql`ALTER TABLE indicator ADD COLUMN baseline REAL`.execute(db);
	await sql`ALTER TABLE indicator ADD COLUMN baseline_date TEXT`.execute(db);
	await sql`ALTER TABLE indicator ADD COLUMN retired_at TEXT`.execute(db);
	await sql`UPDATE indicator SET kind = 'percentage' WHERE unit = '%'`.execute(db);
	await sql`UPDATE indicator SET kind = 'amount' WHERE unit IN ('€', 'euros', 'EUR')`.execute(db);

	await sql`ALTER TABLE organisation ADD COLUMN version INTEGER NOT NULL DEFAULT 1`.execute(db);
	await sql`ALTER TABLE organisation ADD COLUMN retired_at TEXT`.execute(db);
	await sql`CREATE TABLE organisation_alias (
		id INTEGER PRIMARY KEY,
		organisation_id INTEGER NOT NULL REFERENCES organisation (id),
		name TEXT NOT NULL,
		created_at TEXT NOT NULL,
		UNIQUE (organisation_id, name)
	) STRICT`.execute(db);
	for (const event of ['INSERT', 'UPDATE', 'DELETE'])
		await sql
			.raw(
				`CREATE TRIGGER organisation_alias_${event.toLowerCase()}_published AFTER ${event} ON organisation_alias BEGIN ${PUBLIC} END`
			)
			.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP TABLE organisation_alias`.execute(db);
	await sql`DROP TABLE plan_revision`.execute(db);
	const added: [string, string][] = [
		['organisation', 'retired_at'],
		['organisation', 'version'],
		['indicator', 'retired_at'],
		['indicator', 'baseline_date'],
		['indicator', 'baseline'],
		['indicator', 'target_date'],
		['indicator', 'kind'],
		['fiche', 'retired_on'],
		['fiche', 'retired_reason'],
		['fiche', 'version']
	];
	for (const [table, column] of added)
		await sql`ALTER TABLE ${sql.table(table)} DROP COLUMN ${sql.ref(column)}`.execute(db);
}
