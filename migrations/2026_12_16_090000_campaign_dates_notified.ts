import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// How many organisations each change of a campaign's dates told of its new deadline (« Prévenir
// les organisations qui n’ont pas encore répondu »): the day's changes that told someone are
// counted from it, in the transaction of the next, to bound the notices a campaign sends in a
// day (changeCampaignDates). The changes made before are not known to have told anyone: 0.

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE campaign_dates_change ADD COLUMN notified INTEGER NOT NULL DEFAULT 0`.execute(
		db
	);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE campaign_dates_change DROP COLUMN notified`.execute(db);
}
