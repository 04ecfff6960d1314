import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// `campaign_dates_change.notified` (2026_12_16_090000_campaign_dates_notified) gave 0 to the
// changes recorded before it, and the campaign's page read « aucune organisation prévenue » for
// changes that may have told every organisation. How many they told is not known: `notified`
// becomes NULL for them (the page then says nothing of it), 0 staying « told nobody ». They are
// the rows written before that migration ran, by its time in kysely_migration (run in the same
// start as this one, it is later than every row). SQLite cannot drop a NOT NULL: the table is
// made again, with its index.

const NOTIFIED_ADDED = '2026_12_16_090000_campaign_dates_notified';

export async function up(db: Kysely<unknown>): Promise<void> {
	const { rows } = await sql<{ timestamp: string }>`
		SELECT timestamp FROM kysely_migration WHERE name = ${NOTIFIED_ADDED}`.execute(db);
	const added = rows[0] ? Date.parse(rows[0].timestamp) : Number.MAX_SAFE_INTEGER;
	await sql`CREATE TABLE campaign_dates_change_next (
		id INTEGER PRIMARY KEY,
		campaign_id INTEGER NOT NULL REFERENCES campaign (id),
		deadline_before TEXT NOT NULL,
		deadline_after TEXT NOT NULL,
		reminder_days_before TEXT NOT NULL,
		reminder_days_after TEXT NOT NULL,
		changed_by INTEGER REFERENCES user_account (id),
		changed_at INTEGER NOT NULL,
		notified INTEGER DEFAULT 0
	) STRICT`.execute(db);
	await sql`INSERT INTO campaign_dates_change_next
		SELECT id, campaign_id, deadline_before, deadline_after, reminder_days_before,
			reminder_days_after, changed_by, changed_at,
			CASE WHEN notified = 0 AND changed_at < ${added} THEN NULL ELSE notified END
		FROM campaign_dates_change`.execute(db);
	await sql`DROP TABLE campaign_dates_change`.execute(db);
	await sql`ALTER TABLE campaign_dates_change_next RENAME TO campaign_dates_change`.execute(db);
	await sql`CREATE INDEX campaign_dates_change_campaign
		ON campaign_dates_change (campaign_id, changed_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE TABLE campaign_dates_change_before (
		id INTEGER PRIMARY KEY,
		campaign_id INTEGER NOT NULL REFERENCES campaign (id),
		deadline_before TEXT NOT NULL,
		deadline_after TEXT NOT NULL,
		reminder_days_before TEXT NOT NULL,
		reminder_days_after TEXT NOT NULL,
		changed_by INTEGER REFERENCES user_account (id),
		changed_at INTEGER NOT NULL,
		notified INTEGER NOT NULL DEFAULT 0
	) STRICT`.execute(db);
	await sql`INSERT INTO campaign_dates_change_before
		SELECT id, campaign_id, deadline_before, deadline_after, reminder_days_before,
			reminder_days_after, changed_by, changed_at, COALESCE(notified, 0)
		FROM campaign_dates_change`.execute(db);
	await sql`DROP TABLE campaign_dates_change`.execute(db);
	await sql`ALTER TABLE campaign_dates_change_before RENAME TO campaign_dates_change`.execute(db);
	await sql`CREATE INDEX campaign_dates_change_campaign
		ON campaign_dates_change (campaign_id, changed_at)`.execute(db);
}
