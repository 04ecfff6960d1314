import { sql, type CompiledQuery } from 'kysely';
import type { Executor } from './index';

export interface CacheStamps {
	/** Changes with every change a public page shows, and nothing else. */
	published: string;
	/** Also changes with what a partner's workspace shows (updates in any state, accounts). */
	workspace: string;
}

/**
 * The page cache's keys. `data_revision` is bumped by SQLite triggers in the same transaction as
 * each change of published data (migration 060000), whatever the connection or the code path;
 * logins, sessions, throttle counters, audit rows, drafts and pending submissions leave it alone.
 * `data_version` changes with each commit of another process: it covers what no trigger sees, such
 * as a backup restored over the live file (its revision could equal the one the cache holds).
 * Run on every cacheable request: one constant statement, compiled once per database object and
 * prepared once per connection like every other (openDatabase's statement cache).
 */
export async function cacheStamps(db: Executor): Promise<CacheStamps> {
	const result = await db.executeQuery(stampQuery(db));
	const row = result.rows[0];
	if (!row) return { published: '', workspace: '' };
	return { published: `${row.version}.${row.revision}`, workspace: `${row.version}.${row.work}` };
}

interface StampRow {
	revision: number;
	work: number;
	version: number;
}

/**
 * The statement, built and compiled by Kysely once per database object: building it again on every
 * request (it runs on every cached page) cost more than running it in the profile of cached pages.
 */
const stampQueries = new WeakMap<Executor, CompiledQuery<StampRow>>();
function stampQuery(db: Executor): CompiledQuery<StampRow> {
	let query = stampQueries.get(db);
	if (!query) {
		query = db
			.selectFrom('data_revision')
			.select([
				'revision',
				'work_revision as work',
				sql<number>`(select data_version from pragma_data_version)`.as('version')
			])
			.where('id', '=', 1)
			.compile();
		stampQueries.set(db, query);
	}
	return query;
}
