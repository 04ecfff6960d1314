import { sql, type CompiledQuery, type InferResult } from 'kysely';
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
 * Run on every cacheable request: one constant statement, prepared once per connection like every
 * other (openDatabase's statement cache), and compiled once per handle.
 */
export async function cacheStamps(db: Executor): Promise<CacheStamps> {
	let query = compiledStamps.get(db);
	if (!query) {
		query = stampQuery(db).compile();
		compiledStamps.set(db, query);
	}
	const [row] = (await db.executeQuery(query)).rows;
	if (!row) return { published: '', workspace: '' };
	return { published: `${row.version}.${row.revision}`, workspace: `${row.version}.${row.work}` };
}

function stampQuery(db: Executor) {
	return db
		.selectFrom('data_revision')
		.select([
			'revision',
			'work_revision as work',
			sql<number>`(select data_version from pragma_data_version)`.as('version')
		])
		.where('id', '=', 1);
}

/**
 * The statement compiled once per database handle: Kysely built and compiled its tree on every
 * call (about 0.07 ms, on every request of a public page; docs/performance.md, « cold renders »).
 */
const compiledStamps = new WeakMap<
	Executor,
	CompiledQuery<InferResult<ReturnType<typeof stampQuery>>[number]>
>();
