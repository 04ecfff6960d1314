import type { Statement } from 'better-sqlite3';
import type { CompiledQuery } from 'kysely';
import { connectionOf, type Db } from './index';

/** Stands for the query's one variable while Kysely compiles it. */
const VARIABLE = '\u0000prepared-variable';

/**
 * For a lookup that every signed-in request runs: the query is written with Kysely, compiled once
 * with a marker in place of its one variable, and prepared once per connection; each call binds
 * the value as a parameter (never as SQL text). Through Kysely, compiling and preparing the query
 * again on each request cost more than running it.
 */
export function preparedLookup<Row>(
	compile: (db: Db, variable: string) => CompiledQuery<Row>
): (db: Db, value: string | number) => Row | undefined {
	const prepared = new WeakMap<Db, { statement: Statement; parameters: readonly unknown[] }>();
	return (db, value) => {
		let entry = prepared.get(db);
		if (!entry) {
			const query = compile(db, VARIABLE);
			if (!query.parameters.includes(VARIABLE))
				throw new Error('preparedLookup: the query does not use its variable');
			entry = { statement: connectionOf(db).prepare(query.sql), parameters: query.parameters };
			prepared.set(db, entry);
		}
		const parameters = entry.parameters.map((p) => (p === VARIABLE ? value : p));
		return entry.statement.get(...parameters) as Row | undefined;
	};
}
