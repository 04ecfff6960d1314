import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { plural } from '../../utils/format';
import { openDatabase, openDatabaseCopy, StartupError, type Db } from './index';
import { migrateToLatest } from './migrate';

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
	return more > 0 ? `${shown} et ${more} ${plural(more, 'autre', 'autres')}` : shown;
}

/**
 * What differs between the schema `file` would have once the portal started on it (a copy in
 * memory, migrated as a start-up would: the migrations it lacks, the repair of databases that ran
 * an edited migration's first version included) and the schema of a database migrated from
 * nothing: objects in excess, missing, or defined otherwise. A French sentence, null when they are
 * the same. A backup edited after it was written (a trigger that makes an account admin, the
 * journal's append-only guards dropped) is thereby refused before it replaces the database, while
 * an older backup, or one an earlier version wrote, is not. The migrations failing on the copy are
 * said too: better known before the database is replaced than at the next start.
 */
export async function backupSchemaDifference(file: string): Promise<string | null> {
	const backup = new SQLite(file, { readonly: true, fileMustExist: true });
	let image: Buffer;
	try {
		image = backup.serialize();
	} finally {
		backup.close();
	}
	// A file in WAL mode says so in its header (bytes 18 and 19: 2), which a database in memory
	// cannot open: the copy reads as a rollback-journal database (1), its pages unchanged.
	if (image[18] === 2) image[18] = 1;
	if (image[19] === 2) image[19] = 1;
	const actual = await migratedSchema(openDatabaseCopy(image)).catch((error: unknown) => {
		throw new StartupError(
			`Les migrations de cette version échouent sur « ${file} » (${error instanceof Error ? error.message : String(error)}) : rien n’a été changé. Restaurez une autre sauvegarde.`
		);
	});
	const expected = await migratedSchema(openDatabase(':memory:'));
	const extra = [...actual.keys()].filter((key) => !expected.has(key)).sort();
	const missing = [...expected.keys()].filter((key) => !actual.has(key)).sort();
	const changed = [...actual.keys()]
		.filter((key) => expected.has(key) && expected.get(key) !== actual.get(key))
		.sort();
	const parts = [
		extra.length > 0 && `en trop : ${few(extra)}`,
		missing.length > 0 && `${plural(missing.length, 'absent', 'absents')} : ${few(missing)}`,
		changed.length > 0 && `définition changée : ${few(changed)}`
	].filter((part): part is string => typeof part === 'string');
	return parts.length > 0 ? parts.join(' ; ') : null;
}

/** `db` migrated to this version's latest, its schema read, and `db` closed. */
async function migratedSchema(db: Db): Promise<Map<string, string>> {
	try {
		await migrateToLatest(db);
		const { rows } = await sql<SchemaEntry>`${sql.raw(SCHEMA_QUERY)}`.execute(db);
		return normalised(rows);
	} finally {
		await db.destroy();
	}
}
