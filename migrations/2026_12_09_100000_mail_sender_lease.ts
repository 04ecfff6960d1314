import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// Which process sends this database's mail: at most one row, held by one sender (`holder`, random
// per sender; `process`, random per process; `host` and `pid` say where it runs; `database`, the
// file it sends for, so that a copy of the file is not held by the original's sender) until
// `lease_until` (ms), which its holder pushes back while it lives. A second process on the same
// database (a second server, `vite dev` beside `npm start`) waits instead of sending, and does not
// take the first's message in flight for one left by a crash. No row: nobody sends.
export async function up(db: Kysely<unknown>): Promise<void> {
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

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP TABLE mail_sender`.execute(db);
}
