import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// What the last convocation of a séance announced (JSON: its title, day, time and place), written
// when it is sent: a séance moved after its convocation, then deleted, tells those convened that
// the séance they were told of (not the new date they never heard of) is cancelled. Null: never
// convened, or convened before this column.

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE commission_session ADD COLUMN convened_as TEXT
		CHECK (convened_as IS NULL OR json_valid(convened_as))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE commission_session DROP COLUMN convened_as`.execute(db);
}
