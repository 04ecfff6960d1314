import type { Statement } from 'better-sqlite3';
import type { CompiledQuery } from 'kysely';
import { connectionOf, type Db } from './index';

const statements = new WeakMap<Db, Map<string, Statement>>();

/**
 * A constant SQL statement prepared once per connection, for the few statements every request
 * runs: through Kysely, compiling and preparing them again each time cost more than running them.
 * Values are only ever bound as parameters (see preparedLookup), never written into the SQL.
 */
export function preparedStatement(db: Db, sql: string): Statement {
	let byText = statements.get(db);
	if (!byText) statements.set(db, (byText = new Map()));
	let statement = byText.get(sql);
	if (!statement) byText.set(sql, (statement = connectionOf(db).prepare(sql)));
	return statement;
}

/** Stands for the query's one variable while Kysely compiles it. */
const VARIABLE = '\u0000prepared-variable';

/**
 * For a lookup that every signed-in request runs: the query is written with Kysely, compiled once
 * with a marker in place of its one variable, and prepared once per connection; each call binds
 * the value as a parameter.
 */
export function preparedLookup<Row>(
	compile: (db: Db, variable: string) => CompiledQuery<Row>
): (db: Db, value: string | number) => Row | undefined {
	const compiled = new WeakMap<Db, CompiledQuery<Row>>();
	return (db, value) => {
		let query = compiled.get(db);
		if (!query) {
			query = compile(db, VARIABLE);
			if (!query.parameters.includes(VARIABLE))
				throw new Error('preparedLookup: the query does not use its variable');
			compiled.set(db, query);
		}
		const parameters = query.parameters.map((p) => (p === VARIABLE ? value : p));
		return preparedStatement(db, query.sql).get(...parameters) as Row | undefined;
	};
}
