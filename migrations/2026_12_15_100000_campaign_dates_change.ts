import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// An open campaign's deadline and reminder days can change (the commission's séance moved)
// without closing it:
// - `campaign_reminder.deadline`: the deadline a reminder announced. The row that makes the
//   scheduler idempotent is now per campaign, organisation, reminder and deadline: the J-3 sent for
//   the former deadline stays recorded and shown, and the J-3 of the new one still goes, once. The
//   rows written before get their campaign's deadline (it could not change then). SQLite cannot
//   change a primary key: the table is made again.
// - `campaign_dates_change`: each change, before and after, by whom and when (the campaign's page
//   lists them; the audit journal has them too).

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE TABLE campaign_reminder_next (
		campaign_id INTEGER NOT NULL REFERENCES campaign (id),
		organisation_id INTEGER NOT NULL REFERENCES organisation (id),
		offset_days INTEGER NOT NULL,
		deadline TEXT NOT NULL,
		sent_at INTEGER NOT NULL,
		PRIMARY KEY (campaign_id, organisation_id, offset_days, deadline)
	) STRICT`.execute(db);
	await sql`INSERT INTO campaign_reminder_next
		(campaign_id, organisation_id, offset_days, deadline, sent_at)
		SELECT r.campaign_id, r.organisation_id, r.offset_days, c.deadline, r.sent_at
		FROM campaign_reminder r JOIN campaign c ON c.id = r.campaign_id`.execute(db);
	await sql`DROP TABLE campaign_reminder`.execute(db);
	await sql`ALTER TABLE campaign_reminder_next RENAME TO campaign_reminder`.execute(db);

	await sql`CREATE TABLE campaign_dates_change (
		id INTEGER PRIMARY KEY,
		campaign_id INTEGER NOT NULL REFERENCES campaign (id),
		deadline_before TEXT NOT NULL,
		deadline_after TEXT NOT NULL,
		reminder_days_before TEXT NOT NULL,
		reminder_days_after TEXT NOT NULL,
		changed_by INTEGER REFERENCES user_account (id),
		changed_at INTEGER NOT NULL
	) STRICT`.execute(db);
	await sql`CREATE INDEX campaign_dates_change_campaign
		ON campaign_dates_change (campaign_id, changed_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP TABLE campaign_dates_change`.execute(db);
	// A reminder sent for each of two deadlines keeps its latest row.
	await sql`CREATE TABLE campaign_reminder_before (
		campaign_id INTEGER NOT NULL REFERENCES campaign (id),
		organisation_id INTEGER NOT NULL REFERENCES organisation (id),
		offset_days INTEGER NOT NULL,
		sent_at INTEGER NOT NULL,
		PRIMARY KEY (campaign_id, organisation_id, offset_days)
	) STRICT`.execute(db);
	await sql`INSERT INTO campaign_reminder_before (campaign_id, organisation_id, offset_days, sent_at)
		SELECT campaign_id, organisation_id, offset_days, MAX(sent_at) FROM campaign_reminder
		GROUP BY campaign_id, organisation_id, offset_days`.execute(db);
	await sql`DROP TABLE campaign_reminder`.execute(db);
	await sql`ALTER TABLE campaign_reminder_before RENAME TO campaign_reminder`.execute(db);
}
