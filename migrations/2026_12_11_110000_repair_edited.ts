import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// Five migrations were edited after databases had run their first version (a review found it,
// 2026-12-05); Kysely knows a migration by its name only, so those databases never got the second.
// This brings any of them to what the current files create, and changes nothing on a database that
// ran them as they are now. From now on a migration that has shipped is never edited (the test
// `migrations/frozen.spec.ts` holds each file's checksum): a change is a new migration.
//
// - 2026_12_09_100000_mail_sender_lease: the lease gained its `database` column. The table holds
//   one row at most, a lease that its sender takes again: rebuilt empty when the column is missing.
// - 2026_12_09_110000_audit_search_text: its first version let a row's id (its rowid) be changed
//   with its search text, through a trigger of another name: both triggers are written anew.
// - 2026_12_03_100000_mail_one_time_link: its first version stopped at the dot of a link's
//   « identifier.secret », leaving the secret half in the bodies of earlier messages: taken out.
// - 2026_12_01_130000_mail: the campaign tables' triggers that refresh the partners' cached
//   workspace came after its first version: created when missing.
// - 2026_12_06_100000_campaign_outcome: the only table created without STRICT: rebuilt so.

const RECORDED_COLUMNS = [
	'id',
	'occurred_at',
	'actor_id',
	'actor_label',
	'action',
	'target_type',
	'target_id',
	'summary',
	'before_state',
	'after_state',
	'client_address'
];

/** What the first version left after a link: « /invitation/(lien-retire).SECRET ». */
const SECRET_LEFT = /(\/(?:invitation|mot-de-passe-oublie)\/\(lien-retire\))\.[A-Za-z0-9_-]+/g;

export async function up(db: Kysely<unknown>): Promise<void> {
	const lease = await sql<{
		name: string;
	}>`SELECT name FROM pragma_table_info('mail_sender')`.execute(db);
	if (!lease.rows.some((c) => c.name === 'database')) {
		await sql`DROP TABLE mail_sender`.execute(db);
		await sql`
			CREATE TABLE mail_sender (
				id INTEGER PRIMARY KEY CHECK (id = 1),
				holder TEXT NOT NULL,
				process TEXT NOT NULL,
				host TEXT NOT NULL,
				pid INTEGER NOT NULL,
				database TEXT NOT NULL,
				lease_until INTEGER NOT NULL
			) STRICT
		`.execute(db);
	}

	await sql`DROP TRIGGER IF EXISTS audit_event_search_once`.execute(db);
	await sql`DROP TRIGGER IF EXISTS audit_event_no_update`.execute(db);
	const unchanged = sql.join(
		RECORDED_COLUMNS.map((c) => sql`NEW.${sql.ref(c)} IS OLD.${sql.ref(c)}`),
		sql` AND `
	);
	await sql`CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
		WHEN NOT (OLD.search_text IS NULL AND ${unchanged})
		BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END`.execute(db);

	const mails = await sql<{ id: number; text_body: string; html_body: string }>`
		SELECT id, text_body, html_body FROM mail_outbox
		WHERE kind IN ('invitation', 'reset')
			AND (instr(text_body, '(lien-retire).') > 0 OR instr(html_body, '(lien-retire).') > 0)`.execute(db);
	for (const row of mails.rows)
		await sql`UPDATE mail_outbox SET text_body = ${row.text_body.replace(SECRET_LEFT, '$1')},
			html_body = ${row.html_body.replace(SECRET_LEFT, '$1')} WHERE id = ${row.id}`.execute(db);

	for (const table of ['campaign', 'campaign_fiche'])
		await sql
			.raw(
				`CREATE TRIGGER IF NOT EXISTS ${table}_work_revision AFTER INSERT ON ${table}
			BEGIN UPDATE data_revision SET work_revision = work_revision + 1 WHERE id = 1; END`
			)
			.execute(db);

	await sql`CREATE TABLE campaign_outcome_strict (
		campaign_id INTEGER NOT NULL REFERENCES campaign (id),
		fiche_id INTEGER NOT NULL REFERENCES fiche (id),
		organisation_id INTEGER NOT NULL REFERENCES organisation (id),
		state TEXT CHECK (state IN ('submitted', 'validated', 'returned')),
		has_account INTEGER NOT NULL CHECK (has_account IN (0, 1)),
		PRIMARY KEY (campaign_id, fiche_id, organisation_id)
	) STRICT`.execute(db);
	await sql`INSERT INTO campaign_outcome_strict SELECT campaign_id, fiche_id, organisation_id,
		state, has_account FROM campaign_outcome`.execute(db);
	await sql`DROP TABLE campaign_outcome`.execute(db);
	await sql`ALTER TABLE campaign_outcome_strict RENAME TO campaign_outcome`.execute(db);
}

// What it repaired was a defect: going back leaves the repair (campaign_outcome stays STRICT).
export async function down(): Promise<void> {}
