import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// The page cache and the open data key on `data_revision.revision`, which SQLite itself bumps in
// the same transaction as every change that a public page shows: no code path can forget it, and a
// login, a session, a throttle counter, an audit row, a draft or a submission waiting for
// validation does not touch it. `work_revision` is bumped by those public changes too, and also by
// what a partner's own workspace shows (their updates in any state, accounts): signed-in pages
// cached per session key on it.

const PUBLIC = `UPDATE data_revision SET revision = revision + 1, work_revision = work_revision + 1,
	changed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1;`;
const WORK = 'UPDATE data_revision SET work_revision = work_revision + 1 WHERE id = 1;';

/** Tables whose every row is public. */
const PUBLISHED_TABLES = [
	'plan',
	'plan_event',
	'axis',
	'orientation',
	'objective',
	'organisation',
	'fiche',
	'fiche_owner',
	'fiche_partner',
	'fiche_link',
	'indicator'
];

/** Tables public only for some rows: the condition on NEW (insert, update) or OLD (update, delete). */
const CONDITIONAL: { table: string; when: (row: 'NEW' | 'OLD') => string }[] = [
	{ table: 'progress_update', when: (row) => `${row}.state = 'validated'` },
	{
		table: 'measurement',
		when: (row) =>
			`(SELECT state FROM progress_update WHERE id = ${row}.progress_update_id) = 'validated'`
	},
	{ table: 'commission_session', when: (row) => `${row}.state = 'closed'` },
	...['agenda_item', 'decision', 'session_attendee'].map((table) => ({
		table,
		when: (row: 'NEW' | 'OLD') =>
			`(SELECT state FROM commission_session WHERE id = ${row}.session_id) = 'closed'`
	})),
	{ table: 'edition', when: (row) => `${row}.state = 'published'` }
];

const EVENTS = ['INSERT', 'UPDATE', 'DELETE'] as const;
type Event = (typeof EVENTS)[number];

function condition(event: Event, when: (row: 'NEW' | 'OLD') => string): string {
	if (event === 'INSERT') return when('NEW');
	if (event === 'DELETE') return when('OLD');
	return `${when('OLD')} OR ${when('NEW')}`;
}

/** Every trigger this migration creates: name and statement. */
function triggers(): [string, string][] {
	const list: [string, string][] = [];
	const add = (name: string, head: string, body: string) =>
		list.push([name, `CREATE TRIGGER ${name} ${head} BEGIN ${body} END`]);
	for (const table of PUBLISHED_TABLES)
		for (const event of EVENTS)
			add(`${table}_${event.toLowerCase()}_published`, `AFTER ${event} ON ${table}`, PUBLIC);
	for (const { table, when } of CONDITIONAL)
		for (const event of EVENTS)
			add(
				`${table}_${event.toLowerCase()}_published`,
				`AFTER ${event} ON ${table} WHEN ${condition(event, when)}`,
				PUBLIC
			);
	// Frozen open-data files added to an edition published earlier.
	add('edition_resource_insert_published', 'AFTER INSERT ON edition_resource', PUBLIC);
	// Names of people appear on the public record of a closed session (attendees, who closed it).
	add('user_account_name_published', 'AFTER UPDATE OF name ON user_account', PUBLIC);
	// A partner's workspace: their organisation's updates in every state, their account.
	for (const table of ['progress_update', 'measurement'])
		for (const event of EVENTS)
			add(`${table}_${event.toLowerCase()}_work`, `AFTER ${event} ON ${table}`, WORK);
	add(
		'user_account_update_work',
		'AFTER UPDATE OF role, organisation_id, disabled_at ON user_account',
		WORK
	);
	return list;
}

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE data_revision ADD COLUMN work_revision INTEGER NOT NULL DEFAULT 0`.execute(
		db
	);
	await sql`INSERT OR IGNORE INTO data_revision (id, revision, changed_at, work_revision)
		VALUES (1, 0, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 0)`.execute(db);
	for (const [, statement] of triggers()) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const [name] of triggers()) await sql.raw(`DROP TRIGGER ${name}`).execute(db);
	await sql`ALTER TABLE data_revision DROP COLUMN work_revision`.execute(db);
}
