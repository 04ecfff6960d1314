import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// What a campaign had when it was closed: each (fiche, organisation) pair it waited for, the state
// of the answer then (null: none) and whether the organisation had an account that could answer.
// A closed campaign's page reads these rows, so its figures no longer move when accounts, owners
// or answers change afterwards. Campaigns closed before this migration have none and are read as
// before, from the live tables.

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE TABLE campaign_outcome (
		campaign_id INTEGER NOT NULL REFERENCES campaign (id),
		fiche_id INTEGER NOT NULL REFERENCES fiche (id),
		organisation_id INTEGER NOT NULL REFERENCES organisation (id),
		state TEXT CHECK (state IN ('submitted', 'validated', 'returned')),
		has_account INTEGER NOT NULL CHECK (has_account IN (0, 1)),
		PRIMARY KEY (campaign_id, fiche_id, organisation_id)
	)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP TABLE campaign_outcome`.execute(db);
}
