import { Migrator, type MigrationProvider } from 'kysely';
import { MIGRATIONS } from '../../../../migrations/index';
import type { Db } from './index';

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Brings the schema to the latest migration; the one runner for the server and `db:migrate`. */
export async function migrateToLatest(db: Db): Promise<string[]> {
	const migrator = new Migrator({ db, provider });
	const { error, results } = await migrator.migrateToLatest();
	if (error) throw error;
	return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
