import { Migrator, type Kysely, type Migration } from 'kysely';
import { MIGRATIONS } from '../../../../migrations/index';
import type { Db } from './index';

/**
 * A migrator over `migrations` (all of them by default): the one the server, `db:migrate` and the
 * tests use. The dialect runs one start's migrations in one transaction (db/dialect.ts); a shipped
 * migration that opens its own (2026_12_07_110000) then runs inside that one.
 */
export function portalMigrator(
	db: Db,
	migrations: Record<string, Migration> = MIGRATIONS
): Migrator {
	const nested = Object.fromEntries(
		Object.entries(migrations).map(([name, migration]) => [
			name,
			{
				up: (on: Kysely<unknown>) => migration.up(withinTransaction(on)),
				down: migration.down && ((on: Kysely<unknown>) => migration.down!(withinTransaction(on)))
			}
		])
	);
	return new Migrator({ db, provider: { getMigrations: async () => nested } });
}

/** Brings the schema to the latest migration; the one runner for the server and `db:migrate`. */
export async function migrateToLatest(db: Db): Promise<string[]> {
	const { error, results } = await portalMigrator(db).migrateToLatest();
	if (error) throw error;
	return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Inside a transaction, `transaction().execute(fn)` runs `fn` in it (Kysely refuses to nest). */
function withinTransaction(db: Kysely<unknown>): Kysely<unknown> {
	if (!db.isTransaction) return db;
	return new Proxy(db, {
		get(target, property) {
			if (property === 'transaction')
				return () => ({
					execute: <T>(run: (trx: Kysely<unknown>) => Promise<T>) => run(target)
				});
			const value: unknown = Reflect.get(target, property, target);
			// Kysely keeps its state in private fields, which only the object itself can read.
			return typeof value === 'function' ? value.bind(target) : value;
		}
	});
}
