import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE TABLE plan (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		title TEXT NOT NULL,
		territory TEXT NOT NULL,
		period_start INTEGER NOT NULL,
		period_end INTEGER NOT NULL,
		adopted_on TEXT NOT NULL,
		finalised_on TEXT NOT NULL,
		source TEXT NOT NULL
	) STRICT`.execute(db);

	// One row: bumped by every change of published data, so open data carries a stable
	// generated_at and public pages an ETag.
	await sql`CREATE TABLE data_revision (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		revision INTEGER NOT NULL,
		changed_at TEXT NOT NULL
	) STRICT`.execute(db);

	await sql`CREATE TABLE plan_event (
		id INTEGER PRIMARY KEY,
		occurred_on TEXT NOT NULL,
		title TEXT NOT NULL,
		body TEXT NOT NULL,
		source TEXT NOT NULL
	) STRICT`.execute(db);

	await sql`CREATE TABLE axis (
		id INTEGER PRIMARY KEY,
		code TEXT NOT NULL UNIQUE,
		short_name TEXT NOT NULL,
		label TEXT NOT NULL,
		position INTEGER NOT NULL UNIQUE
	) STRICT`.execute(db);

	await sql`CREATE TABLE orientation (
		id INTEGER PRIMARY KEY,
		code TEXT NOT NULL UNIQUE,
		axis_id INTEGER NOT NULL REFERENCES axis (id),
		label TEXT NOT NULL,
		position INTEGER NOT NULL UNIQUE
	) STRICT`.execute(db);

	await sql`CREATE TABLE objective (
		id INTEGER PRIMARY KEY,
		number INTEGER NOT NULL UNIQUE,
		orientation_id INTEGER NOT NULL REFERENCES orientation (id),
		label TEXT NOT NULL,
		synthesis_label TEXT
	) STRICT`.execute(db);

	await sql`CREATE TABLE organisation (
		id INTEGER PRIMARY KEY,
		slug TEXT NOT NULL UNIQUE,
		name TEXT NOT NULL UNIQUE,
		full_name TEXT,
		kind TEXT NOT NULL CHECK (kind IN ('syndicat_mixte', 'departement', 'region', 'state', 'epci',
			'commune', 'public_body', 'association', 'chamber', 'company', 'training', 'fund'))
	) STRICT`.execute(db);

	// status, progress and last_update are the published state, rewritten whenever a progress
	// update is validated, so that pages never aggregate the whole history to show them.
	await sql`CREATE TABLE fiche (
		id INTEGER PRIMARY KEY,
		code TEXT NOT NULL UNIQUE,
		objective_id INTEGER NOT NULL REFERENCES objective (id),
		number INTEGER NOT NULL,
		title TEXT NOT NULL,
		short_title TEXT,
		context TEXT NOT NULL,
		existing TEXT NOT NULL,
		description TEXT NOT NULL,
		success_factors TEXT NOT NULL,
		owners_note TEXT,
		priority INTEGER NOT NULL CHECK (priority IN (1, 2)),
		adopted_priority INTEGER NOT NULL CHECK (adopted_priority IN (1, 2)),
		status TEXT NOT NULL DEFAULT 'a_lancer'
			CHECK (status IN ('a_lancer', 'en_cours', 'realisee', 'suspendue', 'abandonnee')),
		progress INTEGER CHECK (progress BETWEEN 0 AND 100),
		last_update TEXT,
		search_text TEXT NOT NULL,
		UNIQUE (objective_id, number)
	) STRICT`.execute(db);

	await sql`CREATE TABLE fiche_owner (
		id INTEGER PRIMARY KEY,
		fiche_id INTEGER NOT NULL REFERENCES fiche (id),
		organisation_id INTEGER NOT NULL REFERENCES organisation (id),
		scope TEXT,
		note TEXT,
		position INTEGER NOT NULL,
		UNIQUE (fiche_id, organisation_id, scope)
	) STRICT`.execute(db);
	await sql`CREATE INDEX fiche_owner_organisation ON fiche_owner (organisation_id)`.execute(db);

	await sql`CREATE TABLE fiche_partner (
		id INTEGER PRIMARY KEY,
		fiche_id INTEGER NOT NULL REFERENCES fiche (id),
		organisation_id INTEGER NOT NULL REFERENCES organisation (id),
		detail TEXT,
		position INTEGER NOT NULL,
		UNIQUE (fiche_id, organisation_id)
	) STRICT`.execute(db);
	await sql`CREATE INDEX fiche_partner_organisation ON fiche_partner (organisation_id)`.execute(db);

	await sql`CREATE TABLE fiche_link (
		fiche_id INTEGER NOT NULL REFERENCES fiche (id),
		linked_fiche_id INTEGER NOT NULL REFERENCES fiche (id),
		position INTEGER NOT NULL,
		PRIMARY KEY (fiche_id, linked_fiche_id),
		CHECK (fiche_id <> linked_fiche_id)
	) STRICT`.execute(db);
	await sql`CREATE INDEX fiche_link_linked ON fiche_link (linked_fiche_id)`.execute(db);

	await sql`CREATE TABLE indicator (
		id INTEGER PRIMARY KEY,
		fiche_id INTEGER NOT NULL REFERENCES fiche (id),
		label TEXT NOT NULL,
		unit TEXT,
		target REAL,
		position INTEGER NOT NULL,
		UNIQUE (fiche_id, position)
	) STRICT`.execute(db);

	await sql`CREATE TABLE progress_update (
		id INTEGER PRIMARY KEY,
		fiche_id INTEGER NOT NULL REFERENCES fiche (id),
		organisation_id INTEGER REFERENCES organisation (id),
		reported_on TEXT NOT NULL,
		status TEXT CHECK (status IN ('a_lancer', 'en_cours', 'realisee', 'suspendue', 'abandonnee')),
		progress INTEGER CHECK (progress BETWEEN 0 AND 100),
		done TEXT NOT NULL DEFAULT '',
		next_steps TEXT NOT NULL DEFAULT '',
		difficulties TEXT NOT NULL DEFAULT '',
		source TEXT,
		state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'validated')),
		validated_at TEXT
	) STRICT`.execute(db);
	await sql`CREATE INDEX progress_update_fiche ON progress_update (fiche_id, state, reported_on)`.execute(
		db
	);

	await sql`CREATE TABLE measurement (
		id INTEGER PRIMARY KEY,
		indicator_id INTEGER NOT NULL REFERENCES indicator (id),
		progress_update_id INTEGER NOT NULL REFERENCES progress_update (id),
		measured_on TEXT NOT NULL,
		value REAL NOT NULL,
		comment TEXT
	) STRICT`.execute(db);
	await sql`CREATE INDEX measurement_indicator ON measurement (indicator_id, measured_on)`.execute(
		db
	);
	await sql`CREATE INDEX measurement_update ON measurement (progress_update_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const table of [
		'measurement',
		'progress_update',
		'indicator',
		'fiche_link',
		'fiche_partner',
		'fiche_owner',
		'fiche',
		'organisation',
		'objective',
		'orientation',
		'axis',
		'plan_event',
		'data_revision',
		'plan'
	]) {
		await db.schema.dropTable(table).execute();
	}
}
