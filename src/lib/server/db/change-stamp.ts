import type { Db } from './index';
import { preparedStatement } from './prepared';

const STAMP_SQL =
	'select total_changes() as changes, (select data_version from pragma_data_version) as version';

/**
 * A value that changes whenever anything in the database changes: rows written through this
 * process's connection (`total_changes()`) or commits by another process, such as the command-line
 * tools (`data_version`). The page cache keys on it, so no write can forget to invalidate it.
 * Run on every cacheable request, hence a statement prepared once per connection.
 */
export function databaseStamp(db: Db): string {
	const row = preparedStatement(db, STAMP_SQL).get() as
		{ changes: number; version: number } | undefined;
	return row ? `${row.version}.${row.changes}` : '';
}
