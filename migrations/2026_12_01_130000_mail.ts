import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// - `mail_outbox`: every message the portal sends, written in the transaction of the event that
//   causes it, then delivered by the sender (src/lib/server/mail/sender.ts). `message_id` is the
//   stable Message-ID; `attempts` is counted before each SMTP attempt (at-most-once, see README).
// - `mail_preference`: which notifications an account receives (a missing row: all of them).
// - `password_reset`: single-use reset links, only the SHA-256 of their secret kept.
// - `notification_event`: submissions waiting for the admins' hourly digest.
// - `campaign`, `campaign_fiche`, `campaign_reminder`: reporting campaigns and the reminders sent,
//   one row per campaign, organisation and reminder (the scheduler's idempotence).

/** Security events the retention purge may delete (2026_11_30_070000_security, plus these). */
const PURGEABLE_ACTIONS = [
	'login.success',
	'login.failure',
	'login.throttled',
	'logout',
	'password.changed',
	'password.check_failed',
	'session.ended',
	'access.denied',
	'account.created',
	'account.invited',
	'account.activated',
	'account.disabled',
	'account.enabled',
	'password.reset_requested',
	'password.reset',
	'account.invitation_revoked',
	'mail.preferences'
];

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE TABLE mail_outbox (
		id INTEGER PRIMARY KEY,
		message_id TEXT NOT NULL UNIQUE,
		kind TEXT NOT NULL,
		recipient TEXT NOT NULL,
		user_id INTEGER REFERENCES user_account (id),
		subject TEXT NOT NULL,
		text_body TEXT NOT NULL,
		html_body TEXT NOT NULL,
		unsubscribe_url TEXT,
		status TEXT NOT NULL
			CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'interrupted', 'kept')),
		attempts INTEGER NOT NULL DEFAULT 0,
		next_attempt_at INTEGER NOT NULL,
		last_error TEXT,
		created_at INTEGER NOT NULL,
		sent_at INTEGER
	) STRICT`.execute(db);
	await sql`CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at)`.execute(db);
	await sql`CREATE INDEX mail_outbox_created ON mail_outbox (created_at)`.execute(db);

	await sql`CREATE TABLE mail_preference (
		user_id INTEGER PRIMARY KEY REFERENCES user_account (id),
		reminders INTEGER NOT NULL CHECK (reminders IN (0, 1)),
		validations INTEGER NOT NULL CHECK (validations IN (0, 1)),
		commission INTEGER NOT NULL CHECK (commission IN (0, 1)),
		updated_at INTEGER NOT NULL
	) STRICT`.execute(db);

	await sql`CREATE TABLE password_reset (
		id TEXT PRIMARY KEY,
		secret_hash BLOB NOT NULL,
		user_id INTEGER NOT NULL REFERENCES user_account (id),
		created_at INTEGER NOT NULL,
		expires_at INTEGER NOT NULL,
		used_at INTEGER
	) STRICT`.execute(db);
	await sql`CREATE INDEX password_reset_user ON password_reset (user_id)`.execute(db);

	await sql`CREATE TABLE notification_event (
		id INTEGER PRIMARY KEY,
		kind TEXT NOT NULL,
		update_id INTEGER NOT NULL REFERENCES progress_update (id),
		created_at INTEGER NOT NULL,
		digested_at INTEGER
	) STRICT`.execute(db);
	await sql`CREATE INDEX notification_event_pending ON notification_event (digested_at)`.execute(
		db
	);

	await sql`CREATE TABLE campaign (
		id INTEGER PRIMARY KEY,
		title TEXT NOT NULL,
		deadline TEXT NOT NULL,
		session_id INTEGER REFERENCES commission_session (id),
		reminder_days TEXT NOT NULL,
		created_by INTEGER REFERENCES user_account (id),
		opened_at INTEGER NOT NULL
	) STRICT`.execute(db);
	await sql`CREATE TABLE campaign_fiche (
		campaign_id INTEGER NOT NULL REFERENCES campaign (id),
		fiche_id INTEGER NOT NULL REFERENCES fiche (id),
		PRIMARY KEY (campaign_id, fiche_id)
	) STRICT`.execute(db);
	await sql`CREATE TABLE campaign_reminder (
		campaign_id INTEGER NOT NULL REFERENCES campaign (id),
		organisation_id INTEGER NOT NULL REFERENCES organisation (id),
		offset_days INTEGER NOT NULL,
		sent_at INTEGER NOT NULL,
		PRIMARY KEY (campaign_id, organisation_id, offset_days)
	) STRICT`.execute(db);

	// A partner's /espace (cached per session on work_revision) shows the open campaigns.
	for (const table of ['campaign', 'campaign_fiche'])
		await sql
			.raw(
				`CREATE TRIGGER ${table}_work_revision AFTER INSERT ON ${table}
			BEGIN UPDATE data_revision SET work_revision = work_revision + 1 WHERE id = 1; END`
			)
			.execute(db);

	await sql`DROP TRIGGER audit_event_no_delete`.execute(db);
	await sql`CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
		WHEN OLD.action NOT IN (${sql.join(PURGEABLE_ACTIONS.map((a) => sql.lit(a)))})
			OR NOT EXISTS (
				SELECT 1 FROM audit_purge WHERE finished_at IS NULL AND OLD.occurred_at < cutoff
			)
		BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const table of [
		'campaign_reminder',
		'campaign_fiche',
		'campaign',
		'notification_event',
		'password_reset',
		'mail_preference',
		'mail_outbox'
	])
		await sql`DROP TABLE ${sql.table(table)}`.execute(db);
}
