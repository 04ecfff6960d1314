import { sql } from 'kysely';
import type { Executor } from '../db';

/** Names of the migrations the database has applied (Kysely's own table). */
export async function appliedMigrations(db: Executor): Promise<string[]> {
	const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
	return rows.map((row) => row.name);
}
