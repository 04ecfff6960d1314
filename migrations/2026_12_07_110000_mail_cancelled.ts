import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// A message whose one-time link stopped working before the relay took it (expired during an
// outage, replaced by a newer link, ended by a password change or a disabled account) is not sent.
// It was shown as « refusé (définitif) », as if the relay had refused it: it gets its own state,
// `cancelled`. SQLite cannot change a CHECK constraint: the table is rebuilt, rows kept as they are,
// in one transaction (Kysely's migrator does not open one for SQLite): a stop half-way leaves the
// old table, and a server still sending meanwhile waits instead of writing to a copy.
const COLUMNS = `id, message_id, kind, recipient, user_id, subject, text_body, html_body,
	unsubscribe_url, status, attempts, next_attempt_at, last_error, created_at, sent_at,
	one_time_link, link_expires_at`;

async function rebuild(db: Kysely<unknown>, statuses: string[]): Promise<void> {
	const allowed = statuses.map((s) => `'${s}'`).join(', ');
	await db.transaction().execute(async (trx) => copy(trx, allowed));
}

async function copy(db: Kysely<unknown>, allowed: string): Promise<void> {
	await sql
		.raw(
			`CREATE TABLE mail_outbox_new (
		id INTEGER PRIMARY KEY,
		message_id TEXT NOT NULL UNIQUE,
		kind TEXT NOT NULL,
		recipient TEXT NOT NULL,
		user_id INTEGER REFERENCES user_account (id),
		subject TEXT NOT NULL,
		text_body TEXT NOT NULL,
		html_body TEXT NOT NULL,
		unsubscribe_url TEXT,
		status TEXT NOT NULL CHECK (status IN (${allowed})),
		attempts INTEGER NOT NULL DEFAULT 0,
		next_attempt_at INTEGER NOT NULL,
		last_error TEXT,
		created_at INTEGER NOT NULL,
		sent_at INTEGER,
		one_time_link TEXT,
		link_expires_at INTEGER
	) STRICT`
		)
		.execute(db);
	await sql
		.raw(`INSERT INTO mail_outbox_new (${COLUMNS}) SELECT ${COLUMNS} FROM mail_outbox`)
		.execute(db);
	await sql`DROP TABLE mail_outbox`.execute(db);
	await sql`ALTER TABLE mail_outbox_new RENAME TO mail_outbox`.execute(db);
	await sql`CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at)`.execute(db);
	await sql`CREATE INDEX mail_outbox_created ON mail_outbox (created_at)`.execute(db);
}

const BEFORE = ['pending', 'sending', 'sent', 'failed', 'interrupted', 'kept'];

export async function up(db: Kysely<unknown>): Promise<void> {
	await rebuild(db, [...BEFORE, 'cancelled']);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await db.transaction().execute(async (trx) => {
		await sql`UPDATE mail_outbox SET status = 'failed' WHERE status = 'cancelled'`.execute(trx);
		await copy(trx, BEFORE.map((s) => `'${s}'`).join(', '));
	});
}
