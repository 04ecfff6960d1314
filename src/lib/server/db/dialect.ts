import type SQLite from 'better-sqlite3';
import { isDiskFull } from './disk-full.js';
import {
	CompiledQuery,
	SqliteAdapter,
	SqliteDialect,
	type DatabaseConnection,
	type DialectAdapter,
	type Driver,
	type QueryResult
} from 'kysely';

/**
 * How long a write waits for another process's lock (a backup, an import or a command run beside
 * the server) before it fails with SQLITE_BUSY; a read transaction too (readTransaction).
 */
export const BUSY_PATIENCE_MS = 5000;

/**
 * SQLite's own wait for a lock (`busy_timeout`). better-sqlite3 is synchronous: while SQLite waits,
 * the whole server waits with it (pages from the cache, static files, every other request). So
 * SQLite waits only this long, and the rest of the patience is spent here between attempts, with
 * the server free to answer others.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 20;

/** The error page's words when the patience ran out (hooks.server.ts). */
export const DATABASE_BUSY_MESSAGE =
	'Le portail attendait la fin d’une autre opération sur sa base de données (une sauvegarde, une importation) : votre demande n’a pas abouti. Réessayez dans quelques instants.';

/** The pause between two attempts grows from the first to the last. */
const FIRST_PAUSE_MS = 5;
const LONGEST_PAUSE_MS = 100;

/**
 * Kysely's SQLite dialect with three changes:
 * - the migrations of one start run in one transaction (SQLite's DDL is transactional; Kysely's
 *   adapter says otherwise for every SQLite): a process killed half-way through an upgrade, or a
 *   migration that fails, leaves the database as it was before, which the former version still
 *   opens, instead of half a schema no version can start on. No migration changes a PRAGMA that a
 *   transaction would ignore (foreign_keys, journal_mode): migrations.spec.ts checks it;
 * and two in how it meets another process's lock:
 * - a transaction begins `IMMEDIATE`, taking the write lock first: a transaction begun `DEFERRED`
 *   reads, then asks for the lock to write, and SQLite refuses it at once (SQLITE_BUSY, without
 *   waiting) when another process wrote in the meantime: a login then answered 500;
 * - a statement refused for the lock outside a transaction (a `BEGIN IMMEDIATE`, or a single
 *   statement) is tried again after a pause, without holding the server nor Kysely's one
 *   connection (other requests read meanwhile), until `patience` has passed. Inside a transaction
 *   the lock is already held: nothing is tried again there, and no transaction is run twice.
 */
export class PortalSqliteDialect extends SqliteDialect {
	readonly #sqlite: SQLite.Database;
	readonly #patience: number;

	constructor(sqlite: SQLite.Database, patience: number = BUSY_PATIENCE_MS) {
		super({ database: sqlite });
		this.#sqlite = sqlite;
		this.#patience = patience;
	}

	override createAdapter(): DialectAdapter {
		return new TransactionalDdlAdapter();
	}

	override createDriver(): Driver {
		const driver = super.createDriver();
		const acquire = driver.acquireConnection.bind(driver);
		const release = driver.releaseConnection.bind(driver);
		let patient: DatabaseConnection | undefined;
		driver.acquireConnection = async () => {
			const connection = await acquire();
			patient ??= patientConnection(
				connection,
				{ acquire, release: () => release(connection) },
				this.#sqlite,
				this.#patience
			);
			return patient;
		};
		driver.beginTransaction = async (connection) => {
			await connection.executeQuery(CompiledQuery.raw('begin immediate'));
		};
		return driver;
	}
}

class TransactionalDdlAdapter extends SqliteAdapter {
	override get supportsTransactionalDdl(): boolean {
		return true;
	}
}

/** Kysely's hold on its one connection (its driver's mutex): taken, and let go. */
interface ConnectionHold {
	acquire(): Promise<unknown>;
	release(): Promise<void>;
}

/**
 * `connection`, whose statements refused for another process's lock outside a transaction are
 * tried again (see PortalSqliteDialect). Between two attempts the connection is let go (`hold`):
 * Kysely has one connection for the whole server, and every other request (a page that only reads,
 * which WAL lets read during the other's lock) queued behind a write waiting its 5 s, then behind
 * the next one (public pages answered seconds late: docs/performance.md, « Figures that used to
 * live in code comments »). Nothing of the waiting statement's work is under way then: its
 * transaction is not begun (a `BEGIN IMMEDIATE` refused), or it is a statement alone, refused
 * whole. Taken again before the next attempt; a transaction another request began meanwhile runs
 * to its end first.
 */
function patientConnection(
	connection: DatabaseConnection,
	hold: ConnectionHold,
	sqlite: SQLite.Database,
	patience: number
): DatabaseConnection {
	return {
		executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
			return patiently(() => connection.executeQuery<R>(query), {
				patience,
				retried: (error) => isBusy(error) && !sqlite.inTransaction,
				async pause(ms) {
					await hold.release();
					try {
						await sleep(ms);
					} finally {
						await hold.acquire();
					}
				}
			});
		},
		streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize)
	};
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it succeeds, fails with an error `retried` does not take, or `patience` has
 * passed (then its last error is thrown); between two attempts a pause growing from the first to
 * the last (FIRST_PAUSE_MS, LONGEST_PAUSE_MS), which `pause` may spend letting the connection go.
 */
export async function patiently<R>(
	attempt: () => Promise<R>,
	{
		patience,
		retried,
		pause = sleep
	}: {
		patience: number;
		retried: (error: unknown) => boolean;
		pause?: (ms: number) => Promise<void>;
	}
): Promise<R> {
	const deadline = Date.now() + patience;
	for (let ms = FIRST_PAUSE_MS; ; ms = Math.min(ms * 2, LONGEST_PAUSE_MS)) {
		try {
			return await attempt();
		} catch (error) {
			if (!retried(error) || Date.now() + ms > deadline) throw error;
		}
		await pause(ms);
	}
}

export const DISK_FULL_MESSAGE =
	'L’espace disque du serveur est plein : rien n’a été enregistré. Réessayez plus tard ; si cela dure, prévenez l’administrateur du portail.';

export { isDiskFull };

/** How long /sante reports a write refused for a full disk. */
const DISK_FULL_REPORTED_MS = 5 * 60_000;
let lastDiskFullAt: number | null = null;

/** Remembers a write refused for a full disk, for /sante. */
export function noteDiskFull(now = Date.now()): void {
	lastDiskFullAt = now;
}

/**
 * For background work (scheduled backup, mail sender) failing outside any request: remembers a
 * full disk for /sante as a refused request does.
 */
export function noteIfDiskFull(error: unknown): void {
	if (isDiskFull(error)) noteDiskFull();
}

/** Whether a write was refused for a full disk in the last few minutes. */
export function diskRecentlyFull(now = Date.now()): boolean {
	return lastDiskFullAt !== null && now - lastDiskFullAt < DISK_FULL_REPORTED_MS;
}

/** SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT…). */
export function isBusy(error: unknown): boolean {
	const code = (error as { code?: unknown } | null)?.code;
	return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
