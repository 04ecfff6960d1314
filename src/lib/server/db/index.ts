import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type Transaction } from 'kysely';
import type { Database } from './schema';

export type Db = Kysely<Database>;
/** The database or a transaction: what repository functions take. */
export type Executor = Kysely<Database> | Transaction<Database>;

import { DEFAULT_DATABASE_PATH } from '../config.js';

export { DEFAULT_DATABASE_PATH };

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
export function openDatabase(path: string): Db {
	let sqlite: SQLite.Database;
	try {
		if (path !== ':memory:') createPrivately(path);
		sqlite = new SQLite(path);
		sqlite.pragma('journal_mode = WAL');
		sqlite.pragma('synchronous = FULL');
		sqlite.pragma('foreign_keys = ON');
		sqlite.pragma('busy_timeout = 5000');
	} catch (error) {
		throw explainOpenError(path, error);
	}
	const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
	connections.set(db, sqlite);
	return db;
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
		if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
}

const connections = new WeakMap<Db, SQLite.Database>();

/**
 * The SQLite connection behind a database opened by openDatabase: for the few constant statements
 * run on every request, prepared once (see change-stamp.ts). Everything else goes through Kysely.
 */
export function connectionOf(db: Db): SQLite.Database {
	const connection = connections.get(db);
	if (!connection) throw new Error('database not opened by openDatabase');
	return connection;
}

/** Turns low-level errors into one French sentence the operator can act on. */
export function explainOpenError(path: string, error: unknown): StartupError {
	const code = (error as { code?: string } | null)?.code ?? '';
	if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
		return new StartupError(
			`La base de données « ${path} » est illisible ou corrompue : restaurez une sauvegarde ou indiquez un autre fichier avec DATABASE_PATH.`
		);
	}
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
		return new StartupError(
			`Impossible d’ouvrir ou de créer la base de données « ${path} » : vérifiez que le dossier existe ou peut être créé et qu’il est accessible en écriture (variable DATABASE_PATH).`
		);
	}
	const message = error instanceof Error ? error.message : String(error);
	return new StartupError(`La base de données « ${path} » n’a pas pu être ouverte (${message}).`);
}
