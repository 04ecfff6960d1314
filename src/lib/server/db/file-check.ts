import SQLite from 'better-sqlite3';
import { MIGRATIONS } from '../../../../migrations/index';

/**
 * What makes a SQLite file unfit for this portal, read on an open connection: damaged (SQLite's
 * own check fails), another application's (tables, but not Kysely's migration table), or a newer
 * portal's (a migration this version does not know); `empty` when it holds no table yet (a new
 * database, but no backup). Null when the file is fit.
 * `integrity_check` reads everything (a backup about to be restored); `quick_check` skips the
 * indexes' contents and is what a start can afford on every launch (its time: docs/performance.md,
 * « figures moved out of code comments »).
 */
export type FileProblem =
	| { kind: 'damaged' }
	| { kind: 'unreadable' }
	| { kind: 'empty' }
	| { kind: 'foreign'; tables: string[] }
	| { kind: 'newer'; migration: string };

export function databaseFileProblem(
	sqlite: SQLite.Database,
	check: 'quick_check' | 'integrity_check'
): FileProblem | null {
	let result: unknown;
	try {
		result = sqlite.pragma(check, { simple: true });
	} catch (error) {
		// SQLite cannot even read it through: not a database, or cut short (a copy interrupted).
		const code = error instanceof SQLite.SqliteError ? error.code : '';
		if (code === 'SQLITE_NOTADB') return { kind: 'unreadable' };
		if (code.startsWith('SQLITE_CORRUPT')) return { kind: 'damaged' };
		// Anything else (a folder it may not write its -shm into, a lock, a full disk) says
		// nothing of the file's soundness: told as it is by the caller, never as damage.
		throw error;
	}
	if (result !== 'ok') return { kind: 'damaged' };
	const tables = sqlite
		.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
		.pluck()
		.all() as string[];
	if (tables.length === 0) return { kind: 'empty' };
	if (!tables.includes('kysely_migration')) return { kind: 'foreign', tables };
	const names = sqlite.prepare('SELECT name FROM kysely_migration').pluck().all() as string[];
	const unknown = names.find((name) => !(name in MIGRATIONS));
	return unknown ? { kind: 'newer', migration: unknown } : null;
}
