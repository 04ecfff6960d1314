import {
	accessSync,
	chmodSync,
	closeSync,
	constants,
	existsSync,
	mkdirSync,
	openSync,
	statSync
} from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql, type CompiledQuery } from 'kysely';
import type { Database } from './schema';

/**
 * The database itself, what opens transactions: not a transaction, whose `transaction()` Kysely
 * refuses at run time. Kysely types a transaction as a Kysely whose `isTransaction` is `true`; the
 * database's is `false` here, so that a transaction given where a `Db` is due fails to compile.
 */
export type Db = Kysely<Database> & { readonly isTransaction: false };
/** The database or a transaction (a Transaction is a Kysely): what repository functions take. */
export type Executor = Kysely<Database>;

import { databasePathProblem, DEFAULT_DATABASE_PATH } from '../config.js';
import { foldForSearch } from '../../utils/text';
import {
	BUSY_PATIENCE_MS,
	isBusy,
	patiently,
	PortalSqliteDialect,
	SQLITE_BUSY_TIMEOUT_MS
} from './dialect';
import { databaseFileProblem, type FileProblem } from './file-check';
import { diskFullAtStart } from './disk-full.js';

/** A start-up failure whose message is one French sentence meant for the operator. */
export class StartupError extends Error {
	override name = 'StartupError';
}

export function databasePath(env: NodeJS.ProcessEnv = process.env): string {
	return env.DATABASE_PATH?.trim() || DEFAULT_DATABASE_PATH;
}

/**
 * Opens the SQLite file (creating its folder), with the connection settings every process uses.
 * ':memory:' gives a private in-memory database (tests).
 */
export function openDatabase(path: string, busyPatience?: number): Db {
	refuseUnfitFile(path);
	let sqlite: SQLite.Database;
	try {
		if (path !== ':memory:') createPrivately(path);
		sqlite = configured(new SQLite(path));
	} catch (error) {
		throw explainOpenError(path, error);
	}
	return wrap(sqlite, busyPatience);
}

/**
 * A file the portal must not start on, nor write into: damaged, another application's SQLite
 * database (DATABASE_PATH mistyped), or a newer portal's (a version rolled back). `db:restore`
 * refuses the same files. Read on a connection of its own, before anything is written (the journal
 * mode, the file's permissions).
 */
function refuseUnfitFile(path: string): void {
	if (path === ':memory:') return;
	// A folder, a pipe or a device, or a path under /proc: refused before mkdir or SQLite waits on it.
	const pathProblem = databasePathProblem(path);
	if (pathProblem) throw new StartupError(pathProblem);
	if (!existsSync(path)) return;
	let problem: FileProblem | null;
	try {
		const sqlite = new SQLite(path, { readonly: true, fileMustExist: true });
		try {
			problem = databaseFileProblem(sqlite, 'quick_check');
		} finally {
			sqlite.close();
		}
	} catch (error) {
		throw explainOpenError(path, error);
	}
	if (!problem || problem.kind === 'empty') return;
	if (problem.kind === 'unreadable') throw explainOpenError(path, { code: 'SQLITE_NOTADB' });
	if (problem.kind === 'damaged')
		throw new StartupError(
			`La base de données « ${path} » est endommagée (la vérification d’intégrité de SQLite échoue) : le portail ne démarre pas dessus et n’y a rien écrit. Restaurez la dernière bonne sauvegarde (npm run db:restore) ou indiquez un autre fichier avec DATABASE_PATH.`
		);
	if (problem.kind === 'foreign') {
		const listed = problem.tables.slice(0, 3).join(', ') + (problem.tables.length > 3 ? '…' : '');
		throw new StartupError(
			`« ${path} » est une base SQLite d’une autre application (tables ${listed}) : le portail n’y a rien écrit. Indiquez sa propre base avec DATABASE_PATH (un fichier absent est créé).`
		);
	}
	throw new StartupError(
		`La base de données « ${path} » vient d’une version plus récente du portail (migration ${problem.migration}) : le portail n’y a rien écrit. Installez cette version, ou restaurez une sauvegarde faite avant la mise à jour (npm run db:restore).`
	);
}

/**
 * A private in-memory database holding a copy of `image` (bytes of `serialize()`), with the same
 * connection settings: the tests clone one migrated and seeded database instead of building one each.
 * db/testing.ts calls it, and db:restore's check of a backup (backup-schema.ts, on a copy it
 * migrates); it stays here because it shares `configured` and `wrap` with openDatabase, so that
 * such a connection is configured as the server's is.
 */
export function openDatabaseCopy(image: Buffer): Db {
	return wrap(configured(new SQLite(image)));
}

function configured(sqlite: SQLite.Database): SQLite.Database {
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
	// Searches that ignore case and accents in any language's letters (SQLite's lower() only knows
	// A to Z): « emilie » finds « Émilie ».
	sqlite.function('fold_for_search', { deterministic: true }, (text: unknown) =>
		typeof text === 'string' ? foldForSearch(text) : text
	);
	return sqlite;
}

function wrap(sqlite: SQLite.Database, busyPatience?: number): Db {
	const db = new Kysely<Database>({
		dialect: new PortalSqliteDialect(withStatementCache(sqlite), busyPatience)
	});
	connections.set(db, sqlite);
	patiences.set(db, busyPatience ?? BUSY_PATIENCE_MS);
	// Opened here, never a transaction: what `Db` says.
	return db as Db;
}

/**
 * The database holds password hashes, e-mail and client addresses: its folder is created 0700 and
 * the file 0600 (SQLite gives its -wal and -shm files the file's mode). A file found readable by
 * others is made private.
 */
function createPrivately(path: string): void {
	const folder = dirname(resolve(path));
	if (!existsSync(folder)) mkdirSync(folder, { recursive: true, mode: 0o700 });
	if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
	for (const file of [path, `${path}-wal`, `${path}-shm`])
		// Files only: a folder given as the database (refused later, in French) keeps its mode.
		if (existsSync(file) && statSync(file).isFile() && (statSync(file).mode & 0o077) !== 0)
			chmodSync(file, 0o600);
}

const connections = new WeakMap<Executor, SQLite.Database>();
/** How long each database's writes, and read transactions, wait for another process's lock. */
const patiences = new WeakMap<Executor, number>();

/** Statements kept per connection: the queries of the pages, a few hundred different texts. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * A statement with more parameters than this is not kept: one value per item of a list someone
 * posted (`code IN (?, ?, …)`) makes a new text for each length, each holding its parameters' memory
 * (a probe kept 2.7 GB with 500 lists of 32,000 codes). The portal's own queries have a few dozen.
 */
const MAX_CACHED_PARAMETERS = 100;

function parameterCount(sql: string): number {
	let count = 0;
	for (let i = sql.indexOf('?'); i !== -1; i = sql.indexOf('?', i + 1)) count++;
	return count;
}

/** A statement that does nothing, in place of a rollback with no transaction left to end. */
const NOTHING = 'SELECT 1 WHERE 0';

/**
 * The connection as Kysely sees it, with a prepare() that keeps each statement by its SQL text
 * (least recently used dropped first): Kysely prepares every query it runs, and SQLite's compile
 * step showed in a profile of cold renders. Values are still bound on each run, never part of the
 * text. Kysely's streaming (which would hold a statement open) is not used.
 */
function withStatementCache(sqlite: SQLite.Database): SQLite.Database {
	const statements = new Map<string, SQLite.Statement>();
	const prepare = (sql: string): SQLite.Statement => {
		// SQLite ends the transaction itself after some errors (disk full, I/O, read-only file): the
		// rollback Kysely then asks for would fail, and its « cannot rollback » would be thrown and
		// logged instead of the error that caused it.
		if (sql === 'rollback' && !sqlite.inTransaction) sql = NOTHING;
		let statement = statements.get(sql);
		if (statement) statements.delete(sql);
		else {
			statement = sqlite.prepare(sql);
			if (parameterCount(sql) > MAX_CACHED_PARAMETERS) return statement;
		}
		statements.set(sql, statement);
		if (statements.size > STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
		return statement;
	};
	return new Proxy(sqlite, {
		get(target, property) {
			if (property === 'prepare') return prepare;
			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? value.bind(target) : value;
		}
	});
}

/** The SQLite connection behind a database opened by openDatabase (to close it, in tests). */
export function connectionOf(db: Db): SQLite.Database {
	const connection = connections.get(db);
	if (!connection) throw new Error('database not opened by openDatabase');
	return connection;
}

/**
 * Runs a read on the connection at once, outside Kysely's queue of one query at a time. A write
 * that waits for another process's lock (a backup, a command: up to the dialect's patience, 5 s)
 * holds that queue between its attempts, and a read queued behind it waited as long, although in
 * WAL mode a read never waits for a writer. For a read that must answer whatever the server is
 * writing (/sante). A statement that would write is refused: run here, it would land in whatever
 * transaction another request has open. `readonly`, not `reader`: a write that returns rows
 * (`insert … returning`) is a reader too.
 */
export function readAtOnce<R>(db: Db, query: CompiledQuery<R>): R[] {
	const statement = connectionOf(db).prepare(query.sql);
	if (!statement.readonly) throw new Error('readAtOnce runs reads only');
	return statement.all(...query.parameters) as R[];
}

/**
 * The connections a read transaction holds: `reads` given one of them and calling readTransaction
 * again reads in the same transaction (a second BEGIN would fail, and its end would turn
 * `query_only` off for the rest of the first).
 */
const reading = new WeakSet<Executor>();

/**
 * Runs `reads` on one state of the database without asking for the write lock: in the transaction
 * given, or else in a read transaction of its own (`BEGIN DEFERRED`, whose first read fixes the
 * state it sees). Every transaction `transaction()` opens begins IMMEDIATE (dialect.ts), taking the
 * write lock first: reads that only needed one consistent state (the open-data files) waited there
 * for a backup's or an import's lock, and answered 503 after 5 s, while WAL lets a read go on
 * beside another process's write. The connection is `query_only` meanwhile: a write in `reads`
 * is refused (SQLITE_READONLY) instead of landing in a transaction that took no lock.
 *
 * A read SQLite refuses for another process's lock all the same (SQLITE_BUSY: the recovery of the
 * WAL after a killed process, a connection in `locking_mode=EXCLUSIVE` that wrote) is run again
 * from BEGIN, the connection let go between attempts, with the patience of a write (dialect.ts):
 * it answered 503 at once while a write waited; past that patience, the 503 as a write's.
 */
export async function readTransaction<T>(
	db: Executor,
	reads: (db: Executor) => Promise<T>
): Promise<T> {
	if (db.isTransaction || reading.has(db)) return reads(db);
	return patiently(() => readOnce(db, reads), {
		patience: patiences.get(db) ?? BUSY_PATIENCE_MS,
		retried: isBusy
	});
}

/**
 * One attempt of readTransaction. A read `reads` sends once the transaction is over is refused,
 * not run: reads run side by side (a `Promise.all`) when one fails, the transaction ends while a
 * sibling still has reads to send, which would run outside it (another state, not `query_only`),
 * on a connection given back to other requests. A read sent before runs before the end (Kysely
 * runs one connection's statements in the order sent).
 */
async function readOnce<T>(db: Executor, reads: (db: Executor) => Promise<T>): Promise<T> {
	return db.connection().execute(async (connection) => {
		let over = false;
		const reader = connection.withPlugin({
			transformQuery({ node }) {
				if (over) throw new Error('read sent after the end of its read transaction');
				return node;
			},
			transformResult: async ({ result }) => result
		});
		reading.add(reader);
		// Bookkeeping sent as Kysely sends its own BEGIN and COMMIT: past the plugins, so that a
		// page's statement count (statement-count.spec) counts its reads, not these.
		const bare = connection.withoutPlugins();
		await sql`pragma query_only = on`.execute(bare);
		try {
			await sql`begin deferred`.execute(bare);
			try {
				let read: T;
				try {
					read = await reads(reader);
				} finally {
					over = true;
				}
				await sql`commit`.execute(bare);
				return read;
			} catch (error) {
				// Over already if SQLite ended it (an I/O error): the error that did is the one kept.
				await sql`rollback`.execute(bare).catch(() => undefined);
				throw error;
			}
		} finally {
			await sql`pragma query_only = off`.execute(bare);
		}
	});
}

/** Turns low-level errors into one French sentence the operator can act on. */
export function explainOpenError(path: string, error: unknown): StartupError {
	const code = (error as { code?: string } | null)?.code ?? '';
	if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
		return new StartupError(
			`La base de données « ${path} » est illisible ou corrompue : restaurez une sauvegarde ou indiquez un autre fichier avec DATABASE_PATH.`
		);
	}
	if (code === 'SQLITE_FULL' || code === 'ENOSPC') return new StartupError(diskFullAtStart(path));
	if (
		code === 'EACCES' ||
		code === 'EPERM' ||
		code === 'EROFS' ||
		code === 'ENOTDIR' ||
		code === 'EEXIST' ||
		code.startsWith('SQLITE_CANTOPEN') ||
		code.startsWith('SQLITE_READONLY') ||
		code.startsWith('SQLITE_IOERR')
	) {
		const file = fileAccessProblem(path);
		if (file) return new StartupError(file);
		return new StartupError(
			`Impossible d’ouvrir ou de créer la base de données « ${path} » : vérifiez que le dossier existe ou peut être créé et qu’il est accessible en écriture (variable DATABASE_PATH).`
		);
	}
	const message = error instanceof Error ? error.message : String(error);
	return new StartupError(`La base de données « ${path} » n’a pas pu être ouverte (${message}).`);
}

/** Who a file belongs to and its mode, as `ls -l` would let the operator check them. */
export function fileOwnership(file: string): string {
	const { uid, mode } = statSync(file);
	const owner = uid === 0 ? 'root' : `l’utilisateur n° ${uid}`;
	return `il appartient à ${owner}, droits ${(mode & 0o777).toString(8).padStart(4, '0')}`;
}

/**
 * The database file (or its -wal/-shm) that exists but that this user cannot read and write: a
 * restore typed as root leaves a root-owned 0600 file; a file made read-only. The folder is fine
 * then, and saying « vérifiez que le dossier… » sent the operator to the wrong place.
 */
function fileAccessProblem(path: string): string | null {
	for (const file of [path, `${path}-wal`, `${path}-shm`]) {
		if (!existsSync(file)) continue;
		try {
			accessSync(file, constants.R_OK | constants.W_OK);
		} catch {
			return `Le fichier « ${resolve(file)} » de la base de données ne peut pas être lu et écrit par l’utilisateur ${userInfo().username} qui lance le portail (${fileOwnership(file)}) : rendez-le-lui (chown) ou accessible en écriture (chmod 600), par exemple après une restauration faite en root (variable DATABASE_PATH).`;
		}
	}
	return null;
}
