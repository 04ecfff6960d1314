import { freezeEditionsWithoutFiles } from '../editions/service';
import { refreshSearchText } from '../plan/repository';
import { seedCommissionHistory, seedEditions, seedPlan } from '../seed';
import {
	connectionOf,
	databasePath,
	explainOpenError,
	openDatabase,
	StartupError,
	type Db
} from './index';
import { migrateToLatest } from './migrate';

let instance: Db | undefined;

/**
 * Opens the process's one database, migrates it and seeds the plan when it is empty.
 * Every failure becomes a StartupError with one French sentence.
 */
export async function initDatabase(path = databasePath()): Promise<Db> {
	instance ??= await prepareDatabase(path);
	return instance;
}

/** Opens, migrates and seeds a database file without making it the process's one (tools). */
export async function prepareDatabase(path: string): Promise<Db> {
	const db = openDatabase(path);
	try {
		await migrateToLatest(db);
		await seedPlan(db);
		await seedCommissionHistory(db);
		await seedEditions(db);
		await refreshSearchText(db);
		await freezeEditionsWithoutFiles(db);
	} catch (error) {
		await db.destroy().catch(() => undefined);
		if (error instanceof StartupError) throw error;
		throw explainOpenError(path, error);
	}
	return db;
}

/** The database opened by initDatabase(); the server's init hook guarantees it exists. */
export function getDb(): Db {
	if (!instance) throw new Error('initDatabase() must run before getDb()');
	return instance;
}

/** Closes the process's database (shutdown): SQLite checkpoints its WAL and releases the file. */
export function closeDatabase(): void {
	if (!instance) return;
	connectionOf(instance).close();
	instance = undefined;
}
