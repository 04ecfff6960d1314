import type { Statement } from 'better-sqlite3';
import { connectionOf, type Db } from './index';

const STAMP_SQL =
	'select total_changes() as changes, (select data_version from pragma_data_version) as version';
const prepared = new WeakMap<Db, Statement<[], { changes: number; version: number }>>();

/**
 * A value that changes whenever anything in the database changes: rows written through this
 * process's connection (`total_changes()`) or commits by another process, such as the command-line
 * tools (`data_version`). The page cache keys on it, so no write can forget to invalidate it.
 * Run on every cacheable request: a constant statement, prepared once per connection (through
 * Kysely it was compiled and prepared again each time, a tenth of the time of a cached answer).
 */
export function databaseStamp(db: Db): string {
	let statement = prepared.get(db);
	if (!statement) {
		statement = connectionOf(db).prepare<[], { changes: number; version: number }>(STAMP_SQL);
		prepared.set(db, statement);
	}
	const row = statement.get();
	return row ? `${row.version}.${row.changes}` : '';
}
