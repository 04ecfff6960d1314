import { sql } from 'kysely';
import type { Db } from '../db';
import { readAtOnce } from '../db';

/**
 * Names of the migrations the database has applied (Kysely's own table), read at once: never
 * queued behind a write of the server that waits for another process's lock (`readAtOnce`).
 */
export function appliedMigrations(db: Db): string[] {
	return readAtOnce(db, sql<{ name: string }>`select name from kysely_migration`.compile(db)).map(
		(row) => row.name
	);
}
