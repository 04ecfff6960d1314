import { sql } from 'kysely';
import type { Executor } from './index';

/**
 * A value that changes whenever anything in the database changes: rows written through this
 * process's connection (`total_changes()`) or commits by another process, such as the command-line
 * tools (`data_version`). The page cache keys on it, so no write can forget to invalidate it.
 */
export async function databaseStamp(db: Executor): Promise<string> {
	const { rows } = await sql<{
		changes: number;
		version: number;
	}>`select total_changes() as changes, (select data_version from pragma_data_version) as version`.execute(
		db
	);
	const row = rows[0];
	return row ? `${row.version}.${row.changes}` : '';
}
