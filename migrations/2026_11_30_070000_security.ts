import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// - `app_secret`: keys the server makes itself on first use (the device cookies' signing key).
// - `audit_tally`: refusals that anyone can cause without an account (logins for unknown
//   addresses, attempts while blocked) are counted, one row per kind, day and subject, instead of
//   one journal row each: the journal no longer grows with anonymous traffic.
// - `audit_purge` and a narrower delete trigger: the journal stays append-only, except for the
//   retention purge, which may delete security events older than its cutoff (never plan decisions
//   or validations) while its own row is open, and journals itself.

/** Security events: the only ones the retention purge may delete. */
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
	'account.enabled'
];

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE TABLE app_secret (
		name TEXT PRIMARY KEY,
		value BLOB NOT NULL
	) STRICT`.execute(db);

	await sql`CREATE TABLE audit_tally (
		action TEXT NOT NULL,
		day TEXT NOT NULL,
		subject TEXT NOT NULL,
		count INTEGER NOT NULL,
		first_at TEXT NOT NULL,
		last_at TEXT NOT NULL,
		PRIMARY KEY (action, day, subject)
	) STRICT`.execute(db);
	await sql`CREATE INDEX audit_tally_day ON audit_tally (day)`.execute(db);

	await sql`CREATE TABLE audit_purge (
		id INTEGER PRIMARY KEY,
		started_at TEXT NOT NULL,
		cutoff TEXT NOT NULL,
		finished_at TEXT
	) STRICT`.execute(db);
	// Whatever the configuration says, nothing younger than 180 days can be purged.
	await sql`CREATE TRIGGER audit_purge_floor BEFORE INSERT ON audit_purge
		WHEN NEW.cutoff > strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-180 days')
		BEGIN SELECT RAISE(ABORT, 'audit retention is at least 180 days'); END`.execute(db);
	await sql`CREATE TRIGGER audit_purge_no_delete BEFORE DELETE ON audit_purge
		BEGIN SELECT RAISE(ABORT, 'audit_purge is append-only'); END`.execute(db);
	await sql`CREATE TRIGGER audit_purge_finish_only BEFORE UPDATE ON audit_purge
		WHEN OLD.finished_at IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.started_at IS NOT OLD.started_at
			OR NEW.cutoff IS NOT OLD.cutoff
		BEGIN SELECT RAISE(ABORT, 'audit_purge is append-only'); END`.execute(db);

	await sql`DROP TRIGGER audit_event_no_delete`.execute(db);
	await sql`CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
		WHEN OLD.action NOT IN (${sql.join(PURGEABLE_ACTIONS.map((a) => sql.lit(a)))})
			OR NOT EXISTS (
				SELECT 1 FROM audit_purge WHERE finished_at IS NULL AND OLD.occurred_at < cutoff
			)
		BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP TRIGGER audit_event_no_delete`.execute(db);
	await sql`CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
		BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END`.execute(db);
	await sql`DROP TABLE audit_purge`.execute(db);
	await sql`DROP TABLE audit_tally`.execute(db);
	await sql`DROP TABLE app_secret`.execute(db);
}
