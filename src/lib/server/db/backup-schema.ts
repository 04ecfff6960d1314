import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { MIGRATIONS } from '../../../../migrations/index';
import { openDatabase } from './index';
import { portalMigrator } from './migrate';

/** One table, index, trigger or view as SQLite keeps it in `sqlite_schema`. */
interface SchemaEntry {
	type: string;
	name: string;
	tblName: string;
	sql: string | null;
}

/**
 * What SQLite itself adds and the portal never relies on: the statistics `ANALYZE` and
 * `PRAGMA optimize` write (sqlite_stat1, sqlite_stat4…), and the indexes behind a UNIQUE or PRIMARY
 * KEY (no SQL of their own: their table's definition, compared, says them). Named exactly rather than
 * by the `sqlite_` prefix: a trigger written into the schema by hand under such a name still counts.
 */
const SCHEMA_QUERY = `SELECT type, name, tbl_name AS tblName, sql FROM sqlite_schema
	WHERE NOT (type = 'table' AND name IN ('sqlite_sequence', 'sqlite_stat1', 'sqlite_stat2', 'sqlite_stat3', 'sqlite_stat4'))
		AND NOT (type = 'index' AND name LIKE 'sqlite\\_autoindex\\_%' ESCAPE '\\' AND sql IS NULL)`;

/** Same definition, however its spaces and line breaks were written. */
function normalised(rows: SchemaEntry[]): Map<string, string> {
	return new Map(
		rows.map((row) => [
			`${row.type} ${row.name}`,
			`${row.tblName}\n${row.sql?.replace(/\s+/g, ' ').trim() ?? ''}`
		])
	);
}

const NOUNS: Record<string, string> = {
	table: 'table',
	index: 'index',
	trigger: 'déclencheur',
	view: 'vue'
};

/** « déclencheur « z_seen » », from the map's key « trigger z_seen ». */
function named(key: string): string {
	const [type = '', ...rest] = key.split(' ');
	return `${NOUNS[type] ?? type} « ${rest.join(' ')} »`;
}

/** A few names, and how many more: the refusal names what differs without dumping the schema. */
function few(keys: string[], limit = 4): string {
	const shown = keys.slice(0, limit).map(named).join(', ');
	const more = keys.length - limit;
	return more > 0 ? `${shown} et ${more} autre${more > 1 ? 's' : ''}` : shown;
}

/**
 * What differs between `file`'s schema and the one its own migrations (those its `kysely_migration`
 * lists, all known to this version: `checkBackupFile` came first) create in a scratch database:
 * objects in excess, missing, or defined otherwise. A French sentence, null when they are the same.
 * A backup edited after it was written (a trigger that makes an account admin, the journal's
 * append-only guards dropped) is thereby refused before it replaces the database.
 */
export async function backupSchemaDifference(file: string): Promise<string | null> {
	const backup = new SQLite(file, { readonly: true, fileMustExist: true });
	let names: string[];
	let actual: Map<string, string>;
	try {
		names = backup.prepare('SELECT name FROM kysely_migration').pluck().all() as string[];
		actual = normalised(backup.prepare(SCHEMA_QUERY).all() as SchemaEntry[]);
	} finally {
		backup.close();
	}
	const listed = new Set(names);
	const scratch = openDatabase(':memory:');
	let expected: Map<string, string>;
	try {
		const { error } = await portalMigrator(
			scratch,
			Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => listed.has(name)))
		).migrateToLatest();
		if (error) throw error;
		const { rows } = await sql<SchemaEntry>`${sql.raw(SCHEMA_QUERY)}`.execute(scratch);
		expected = normalised(rows);
	} finally {
		await scratch.destroy();
	}
	const extra = [...actual.keys()].filter((key) => !expected.has(key)).sort();
	const missing = [...expected.keys()].filter((key) => !actual.has(key)).sort();
	const changed = [...actual.keys()]
		.filter((key) => expected.has(key) && expected.get(key) !== actual.get(key))
		.sort();
	const parts = [
		extra.length > 0 && `en trop : ${few(extra)}`,
		missing.length > 0 && `${missing.length > 1 ? 'absents' : 'absent'} : ${few(missing)}`,
		changed.length > 0 && `définition changée : ${few(changed)}`
	].filter((part): part is string => typeof part === 'string');
	return parts.length > 0 ? parts.join(' ; ') : null;
}
