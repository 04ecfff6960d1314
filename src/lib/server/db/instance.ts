import { fillAuditSearchText } from '../audit/repository';
import { readPlanIdentity } from '../authoring/import-repository';
import { seedPlanFromWorkbook } from '../authoring/plan-import';
import { planFileSetting } from '../config.js';
import { freezeEditionsWithoutFiles } from '../editions/service';
import { refreshSearchText } from '../plan/repository';
import { seedCommissionHistory, seedEditions, seedPlan } from '../seed';
import { PLAN_DATA } from '../seed/plan-data';
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
export async function initDatabase(
	path = databasePath(),
	planFile = planFileSetting(),
	onMigrated?: (names: string[]) => void
): Promise<Db> {
	instance ??= await prepareDatabase(path, planFile, { onMigrated });
	return instance;
}

/**
 * Opens, migrates and seeds a database file without making it the process's one (tools). An empty
 * database gets the Lot plan, or the plan of the workbook PLAN_FILE names; the Lot plan's history
 * (commission sittings, the 2018 edition) is only loaded beside the Lot plan. `seedEmpty: false`
 * leaves an empty database empty (`plan:import` creates the plan from its workbook). `onMigrated`
 * receives the migrations just applied (none when the schema was already the latest).
 */
export async function prepareDatabase(
	path: string,
	planFile: string | null = planFileSetting(),
	{
		seedEmpty = true,
		onMigrated
	}: { seedEmpty?: boolean; onMigrated?: (names: string[]) => void } = {}
): Promise<Db> {
	const db = openDatabase(path);
	try {
		const applied = await migrateToLatest(db);
		onMigrated?.(applied);
		if (planFile) await seedPlanFromWorkbook(db, planFile);
		else if (seedEmpty) await seedPlan(db);
		if (await isLotPlan(db)) {
			await seedCommissionHistory(db);
			await seedEditions(db);
		}
		await refreshSearchText(db);
		await fillAuditSearchText(db);
		await freezeEditionsWithoutFiles(db);
	} catch (error) {
		await db.destroy().catch(() => undefined);
		if (error instanceof StartupError) throw error;
		throw explainOpenError(path, error);
	}
	return db;
}

async function isLotPlan(db: Db): Promise<boolean> {
	const plan = await readPlanIdentity(db);
	const lot = PLAN_DATA.structure.plan;
	return plan?.title === lot.title && plan.territory === lot.territory;
}

/** The database opened by initDatabase(); the server's init hook guarantees it exists. */
export function getDb(): Db {
	if (!instance) throw new Error('initDatabase() must run before getDb()');
	return instance;
}

/**
 * Makes `db`, already migrated, the process's database in place of the one open, which is closed
 * (tests of routes, which read `getDb()`: each test its own copy, `createTestInstance`).
 */
export function replaceDatabase(db: Db): void {
	closeDatabase();
	instance = db;
}

/** Closes the process's database (shutdown): SQLite checkpoints its WAL and releases the file. */
export function closeDatabase(): void {
	if (!instance) return;
	connectionOf(instance).close();
	instance = undefined;
}
