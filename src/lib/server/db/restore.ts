import {
	accessSync,
	chmodSync,
	chownSync,
	constants,
	existsSync,
	lstatSync,
	readlinkSync,
	realpathSync,
	renameSync,
	rmSync,
	statSync
} from 'node:fs';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { backupSchemaDifference } from './backup-schema';
import { databaseFileProblem } from './file-check';
import { explainOpenError, fileOwnership, StartupError } from './index';
import { runningServerPid } from './server-pid.js';

const DAMAGED = (file: string) =>
	`« ${file} » est endommagé (tronqué ou altéré : la vérification d’intégrité de SQLite échoue) : rien n’a été changé. Restaurez une autre sauvegarde.`;

function sqliteCode(error: unknown): string | undefined {
	return error instanceof SQLite.SqliteError ? error.code : undefined;
}

/** SQLite's or the system's code for `error` (SQLITE_IOERR, EPERM…), never its English text. */
function errorCode(error: unknown): string {
	const code = (error as { code?: unknown } | null)?.code;
	return typeof code === 'string' ? code : 'inconnue';
}

const diskFull = (target: string) =>
	`Le disque du dossier « ${dirname(target)} » est plein : rien n’a été changé. Libérez de la place avant de restaurer.`;

/**
 * `file` (which exists) is an ordinary file, or a link to one: a folder, a named pipe (mkfifo), a
 * device or a socket is refused in French before anything opens it. SQLite opening a named pipe
 * waits for a writer that never comes: before this check, db:restore hung without a word.
 */
function checkOrdinaryFile(file: string, what: string): void {
	const stat = statSync(file);
	if (stat.isDirectory())
		throw new StartupError(`« ${file} » est un dossier : rien n’a été changé. ${what}`);
	if (!stat.isFile())
		throw new StartupError(
			`« ${file} » n’est pas un fichier ordinaire (un tube nommé, un périphérique ou une socket) : rien n’a été changé. ${what}`
		);
}

/**
 * Checks that `file` is a sound backup of this portal: readable by SQLite, `integrity_check` ok,
 * with Kysely's migration table and no migration this version does not know (a newer portal's).
 */
export function checkBackupFile(file: string): void {
	if (!existsSync(file)) throw new StartupError(`Le fichier « ${file} » n’existe pas.`);
	checkOrdinaryFile(file, 'Indiquez le fichier de sauvegarde à restaurer.');
	try {
		accessSync(file, constants.R_OK);
	} catch {
		// Not « pas une base SQLite »: the backup is likely sound, only out of this user's reach.
		throw new StartupError(
			`« ${file} » est illisible (droits) pour l’utilisateur ${userInfo().username} qui lance la restauration (${fileOwnership(file)}) : rendez-le lisible (chmod ou chown) ou lancez la commande sous l’utilisateur qui l’a écrit. Rien n’a été changé.`
		);
	}
	let db: SQLite.Database;
	try {
		db = new SQLite(file, { readonly: true, fileMustExist: true });
	} catch (error) {
		// Not SQLite's own refusal (the native module that fails to load after a Node upgrade…):
		// its real cause, not a backup wrongly said unreadable.
		if (!(error instanceof SQLite.SqliteError)) throw explainOpenError(file, error);
		throw new StartupError(`« ${file} » n’est pas une base SQLite lisible.`);
	}
	try {
		let problem;
		try {
			problem = databaseFileProblem(db, 'integrity_check');
		} catch {
			// Not read through for another reason than damage: still no backup to restore from.
			throw new StartupError(`« ${file} » n’a pas pu être lu en entier : rien n’a été changé.`);
		}
		if (problem?.kind === 'unreadable')
			throw new StartupError(`« ${file} » n’est pas une base SQLite lisible.`);
		if (problem?.kind === 'damaged') throw new StartupError(DAMAGED(file));
		// An empty file is no backup either: it holds no migration.
		if (problem?.kind === 'foreign' || problem?.kind === 'empty')
			throw new StartupError(`« ${file} » n’est pas une sauvegarde du portail SDUSN.`);
		if (problem?.kind === 'newer')
			throw new StartupError(
				`« ${file} » vient d’une version plus récente du portail (migration ${problem.migration}) : installez cette version pour la restaurer.`
			);
	} finally {
		db.close();
	}
}

const COMPANIONS = ['-wal', '-shm'];

/**
 * DATABASE_PATH names the database's file, in a folder that exists: a folder named instead (the
 * file's name forgotten) would be set aside whole, with everything in it; a named pipe would be
 * waited on without end.
 */
function checkTarget(target: string): void {
	if (existsSync(target) && statSync(target).isDirectory())
		throw new StartupError(
			`« ${target} » est un dossier : DATABASE_PATH doit nommer le fichier de la base (par exemple « ${target}/sdusn.db »). Rien n’a été changé.`
		);
	if (existsSync(target)) checkOrdinaryFile(target, 'Vérifiez DATABASE_PATH.');
	const folder = dirname(target);
	if (!existsSync(folder) || !statSync(folder).isDirectory())
		throw new StartupError(
			`Le dossier « ${folder} » de la base (DATABASE_PATH) n’existe pas : rien n’a été changé. Vérifiez DATABASE_PATH.`
		);
}

/**
 * A complete copy of `file` as SQLite reads it, its WAL included (a file copy would miss the rows
 * still in `file-wal`, which the check above did see): one self-contained file, no WAL of its own.
 */
function copyThroughSqlite(file: string, copy: string): void {
	rmSync(copy, { force: true });
	const db = new SQLite(file, { readonly: true, fileMustExist: true });
	try {
		db.prepare('VACUUM INTO ?').run(copy);
	} finally {
		db.close();
	}
}

/** For a message the replaced database had `sending` (its server died handing it over). */
const INTERRUPTED_ERROR =
	'Envoi interrompu avant la restauration d’une sauvegarde : peut-être remis, jamais renvoyé.';

/** The columns of `table` in `db`, none when it has no such table (a backup older than it). */
function columnsOf(db: SQLite.Database, table: string): Set<string> {
	const rows = db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[];
	return new Set(rows.map((row) => row.name));
}

/** A message the replaced database handed to the relay, or was handing over, since the backup. */
interface LeftMessage {
	messageId: string;
	status: string;
	sentAt: number | null;
	error: string | null;
}

/**
 * Carries over into the restored copy what the database being replaced says left since the backup
 * (`left`, by Message-ID): waiting in the backup, they would otherwise leave a second time. Handed
 * to the relay: marked sent. Being handed over when that server stopped (`sending`, `interrupted`:
 * it may have arrived): marked interrupted, as the sender does, never sent again, dated `at` (see
 * `stoppedDate`). Returns how many of each. A backup older than the outbox marks nothing: what it
 * had waiting is then sent. Only the columns the copy has are written (an older backup is migrated
 * when the server starts).
 */
function markLeftSince(
	copy: string,
	left: LeftMessage[],
	at: number | null
): { alreadySent: number; interrupted: number } {
	if (left.length === 0) return { alreadySent: 0, interrupted: 0 };
	const db = new SQLite(copy);
	try {
		const columns = columnsOf(db, 'mail_outbox');
		if (columns.size === 0) return { alreadySent: 0, interrupted: 0 };
		const clearLink = columns.has('one_time_link') ? ', one_time_link = NULL' : '';
		const markSent = db.prepare(
			`UPDATE mail_outbox SET status = 'sent', sent_at = ?, last_error = NULL${clearLink} WHERE message_id = ? AND status IN ('pending', 'sending', 'failed', 'interrupted')`
		);
		const markInterrupted = db.prepare(
			`UPDATE mail_outbox SET status = 'interrupted', last_error = ?${clearLink}, ${stoppedDate(columns)} WHERE message_id = ? AND status IN ('pending', 'sending', 'failed')`
		);
		return db.transaction(() => {
			const counts = { alreadySent: 0, interrupted: 0 };
			for (const row of left)
				if (row.status === 'sent')
					counts.alreadySent += markSent.run(row.sentAt, row.messageId).changes;
				else
					counts.interrupted += markInterrupted.run(
						row.error ?? INTERRUPTED_ERROR,
						at,
						row.messageId
					).changes;
			return counts;
		})();
	} finally {
		db.close();
	}
}

/** What the replaced database says that no other reading carries (`keepReplacedSince`). */
interface ReplacedSince {
	/** Each account's mail preferences, with its address (the same account: id and address). */
	preferences: {
		userId: number;
		email: string;
		reminders: number;
		validations: number;
		commission: number;
		updatedAt: number;
	}[];
	/** Messages that will never leave: given up after an outage, refused (`failed`), cancelled. */
	stopped: { messageId: string; status: 'failed' | 'cancelled'; error: string | null }[];
	/**
	 * Accounts enabled (`disabled_at` null) now, with the role and organisation they have now, and
	 * when its journal last says they were enabled again (null: never, or that line purged).
	 */
	enabled: {
		id: number;
		email: string;
		role: string;
		organisationId: number | null;
		enabledAt: string | null;
	}[];
}

const NOTHING_SINCE: ReplacedSince = { preferences: [], stopped: [], enabled: [] };

/**
 * Carries into the restored copy what the replaced database says happened since the backup and
 * `markLeftSince` and `closeSessions` do not: each account's mail preferences (an opt-out since,
 * from /compte or a message's one-click unsubscribe, holds; a preference only in the backup, its
 * account deleted since, stays), messages that will never leave there (given up after an outage,
 * refused by the relay, cancelled: they stay so instead of leaving late, dated `at`), and an account enabled
 * again since stays enabled. Each only when it is newer than the backup's: a preference saved
 * after the backup's own (`updated_at`), an account enabled again (its journal's `account.enabled`)
 * after the backup disabled it; a replaced database older than the backup (restored first, then a
 * newer backup on top) would otherwise give back what the backup has since changed. The same
 * account: id and address. Enabled again with another role or organisation than the backup's
 * (which `closeSessions` gives back), it stays disabled: an admin enabled again as a commission
 * member only must not come back an admin (`accountsLeftDisabled`). Returns how many of each changed.
 * A backup from before `cancelled` existed gets `failed` instead (what its migration's `down` does).
 */
function keepReplacedSince(
	copy: string,
	since: ReplacedSince,
	at: number | null
): {
	preferencesKept: number;
	stoppedKept: number;
	accountsEnabled: number;
	accountsLeftDisabled: number;
} {
	const db = new SQLite(copy);
	try {
		return db.transaction(() => {
			const preferences = columnsOf(db, 'mail_preference').size > 0;
			const keepPreference = preferences
				? db.prepare(
						`INSERT INTO mail_preference (user_id, reminders, validations, commission, updated_at)
						 SELECT @userId, @reminders, @validations, @commission, @updatedAt
						 WHERE EXISTS (SELECT 1 FROM user_account WHERE id = @userId AND email = @email)
						 ON CONFLICT (user_id) DO UPDATE SET reminders = excluded.reminders,
						 validations = excluded.validations, commission = excluded.commission, updated_at = excluded.updated_at
						 WHERE updated_at < excluded.updated_at AND (reminders IS NOT excluded.reminders
						 OR validations IS NOT excluded.validations OR commission IS NOT excluded.commission)`
					)
				: null;
			let preferencesKept = 0;
			for (const p of since.preferences) preferencesKept += keepPreference?.run(p).changes ?? 0;
			const outbox = columnsOf(db, 'mail_outbox');
			const withCancelled = (
				db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'mail_outbox'").get() as
					{ sql: string } | undefined
			)?.sql.includes("'cancelled'");
			const clearLink = outbox.has('one_time_link') ? ', one_time_link = NULL' : '';
			const stop =
				outbox.size > 0
					? db.prepare(
							`UPDATE mail_outbox SET status = ?, last_error = ?${clearLink}, ${stoppedDate(outbox)} WHERE message_id = ? AND status IN ('pending', 'sending')`
						)
					: null;
			let stoppedKept = 0;
			for (const m of since.stopped)
				stoppedKept +=
					stop?.run(
						m.status === 'cancelled' && !withCancelled ? 'failed' : m.status,
						m.error,
						at,
						m.messageId
					).changes ?? 0;
			const accounts = columnsOf(db, 'user_account').has('disabled_at');
			const disabled = accounts
				? db.prepare(
						'SELECT role, organisation_id AS organisationId, disabled_at AS disabledAt FROM user_account WHERE id = ? AND email = ? AND disabled_at IS NOT NULL'
					)
				: null;
			const enable = accounts
				? db.prepare(
						'UPDATE user_account SET disabled_at = NULL, updated_at = MAX(updated_at, ?) WHERE id = ?'
					)
				: null;
			let accountsEnabled = 0;
			let accountsLeftDisabled = 0;
			for (const a of since.enabled) {
				const backup = disabled?.get(a.id, a.email) as
					{ role: string; organisationId: number | null; disabledAt: string } | undefined;
				// Enabled again after the backup disabled it, or enabled all along in an older copy.
				if (!backup || a.enabledAt === null || a.enabledAt <= backup.disabledAt) continue;
				if (backup.role === a.role && backup.organisationId === a.organisationId)
					accountsEnabled += enable?.run(a.enabledAt, a.id).changes ?? 0;
				else accountsLeftDisabled += 1;
			}
			return { preferencesKept, stoppedKept, accountsEnabled, accountsLeftDisabled };
		})();
	} finally {
		db.close();
	}
}

/**
 * Closes, in the restored copy, every session and every pending password-reset link: the backup
 * knows nothing of what was closed since it was taken (a sign-out, a password or role changed, an
 * account disabled, a reset link used), and would otherwise let those back in. Everyone signs in
 * again; a reset link is asked again. What the replaced database says of access since
 * (`readReplaced`) is carried: an invitation used or revoked stays closed (a link revoked because
 * it went to a wrong address must not open again; the person whose account the backup shows not
 * yet activated is invited again), an account disabled stays disabled, a password changed (perhaps
 * because it leaked) is the one that works — the same account, by id and address — unless the
 * backup's journal says its own is newer: the account enabled again after that disabling, its
 * password set after that one (`journalTimes`). A role changed since is the backup's. A backup
 * older than a table has none of its rows to close.
 */
function closeSessions(
	copy: string,
	since: ReplacedAccess
): {
	sessionsClosed: number;
	resetsDropped: number;
	invitationsClosed: number;
	accountsDisabled: number;
	passwordsKept: number;
} {
	const db = new SQLite(copy);
	try {
		return db.transaction(() => {
			const invitations = columnsOf(db, 'invitation').size > 0;
			const close = invitations
				? db.prepare('UPDATE invitation SET used_at = ? WHERE id = ? AND used_at IS NULL')
				: null;
			let invitationsClosed = 0;
			for (const { id, usedAt } of since.invitations)
				invitationsClosed += close?.run(usedAt, id).changes ?? 0;
			// The same account (id and address) in both: disabled since stays disabled, and a
			// password changed since (perhaps because it leaked) is the one that works.
			const accounts = columnsOf(db, 'user_account');
			const disable = accounts.has('disabled_at')
				? db.prepare(
						'UPDATE user_account SET disabled_at = ?, updated_at = MAX(updated_at, ?) WHERE id = ? AND email = ? AND disabled_at IS NULL'
					)
				: null;
			const keepPassword = accounts.has('password_hash')
				? db.prepare(
						'UPDATE user_account SET password_hash = ?, updated_at = MAX(updated_at, COALESCE(?, updated_at)) WHERE id = ? AND email = ? AND password_hash IS NOT ?'
					)
				: null;
			const enabledInBackup = journalTimes(db, ENABLED_AGAIN);
			const passwordInBackup = journalTimes(db, PASSWORD_SET);
			let accountsDisabled = 0;
			let passwordsKept = 0;
			for (const account of since.accounts) {
				if (
					account.disabledAt !== null &&
					!((enabledInBackup.get(account.id) ?? '') > account.disabledAt)
				)
					accountsDisabled +=
						disable?.run(account.disabledAt, account.disabledAt, account.id, account.email)
							.changes ?? 0;
				if (
					account.passwordHash !== null &&
					!((passwordInBackup.get(account.id) ?? '') > (account.passwordSetAt ?? ''))
				)
					passwordsKept +=
						keepPassword?.run(
							account.passwordHash,
							account.passwordSetAt,
							account.id,
							account.email,
							account.passwordHash
						).changes ?? 0;
			}
			return {
				accountsDisabled,
				passwordsKept,
				sessionsClosed:
					columnsOf(db, 'user_session').size === 0
						? 0
						: db.prepare('DELETE FROM user_session').run().changes,
				resetsDropped:
					columnsOf(db, 'password_reset').size === 0
						? 0
						: db.prepare('DELETE FROM password_reset WHERE used_at IS NULL').run().changes,
				invitationsClosed
			};
		})();
	} finally {
		db.close();
	}
}

/** What the database being replaced says of access since the backup, to carry into the copy. */
interface ReplacedAccess {
	/** Invitations used or revoked (`used_at`). */
	invitations: { id: string; usedAt: number }[];
	/** Accounts as they are now: disabled or not, their password and when its journal says it was set. */
	accounts: {
		id: number;
		email: string;
		disabledAt: string | null;
		passwordHash: string | null;
		passwordSetAt: string | null;
	}[];
}

/*
 * A disabling, an enabling or a password carried into the restored copy raises its account's
 * `updated_at` to the fact's own date: the copy's `lastWritten` then sees what it now holds, and
 * a newer backup restored on top of it (the wrong one restored first, then the right one) keeps
 * those facts instead of taking the copy for the older database. So does every other carried
 * fact: an invitation closed brings its `used_at`, which `lastWritten` reads; a message stopped
 * or interrupted is dated by the replaced database's last write (`stoppedDate`).
 */

/**
 * A message carried as stopped (failed, cancelled) or interrupted: its `stopped_at` is raised to
 * the replaced database's last write (the parameter; null leaves it), which `lastWritten` reads.
 * A copy older than that column (migration 2026_12_15) has its `next_attempt_at` raised instead,
 * which said nothing more to the sender, and which the migration copies into `stopped_at` when the
 * server starts on it.
 */
function stoppedDate(outbox: Set<string>): string {
	return outbox.has('stopped_at')
		? 'stopped_at = NULLIF(MAX(COALESCE(stopped_at, 0), COALESCE(?, 0)), 0)'
		: 'next_attempt_at = MAX(next_attempt_at, COALESCE(?, next_attempt_at))';
}

/** Journal lines of an account's password set: made with one, invitation used, changed, reset. */
const PASSWORD_SET =
	"SELECT target_id AS id, MAX(occurred_at) AS at FROM audit_event WHERE target_type = 'compte' AND action IN ('account.created', 'account.activated', 'password.changed', 'password.reset') GROUP BY target_id";
/** Journal lines of an account enabled again by an admin. */
const ENABLED_AGAIN =
	"SELECT target_id AS id, MAX(occurred_at) AS at FROM audit_event WHERE target_type = 'compte' AND action = 'account.enabled' GROUP BY target_id";

/**
 * When `db`'s journal last wrote one of `query`'s lines (PASSWORD_SET, ENABLED_AGAIN) for each
 * account, by id: what tells which of two copies changed a password or an access last. None for a
 * database older than the journal, or an account whose lines the retention purge removed.
 */
function journalTimes(db: SQLite.Database, query: string): Map<number, string> {
	const rows = orNothing(() => db.prepare(query).all() as { id: string; at: string }[], []);
	return new Map(rows.map((row) => [Number(row.id), row.at]));
}

/** The latest moment each of these says something was written (ISO text or milliseconds). */
const LAST_WRITES = [
	'SELECT MAX(occurred_at) AS at FROM audit_event',
	'SELECT MAX(last_at) AS at FROM audit_tally',
	'SELECT MAX(changed_at) AS at FROM data_revision',
	'SELECT MAX(updated_at) AS at FROM user_account',
	'SELECT MAX(updated_at) AS at FROM mail_preference',
	'SELECT MAX(created_at) AS at FROM mail_outbox',
	'SELECT MAX(sent_at) AS at FROM mail_outbox',
	'SELECT MAX(used_at) AS at FROM invitation'
];

/**
 * When a message last stopped for good: its `stopped_at`; in a file older than that column, the
 * `next_attempt_at` a restore raised (a message cancelled while its retry was still to come read
 * as a write in the future there: the reason for the column).
 */
function lastStopQuery(db: SQLite.Database): string {
	return orNothing(() => columnsOf(db, 'mail_outbox').has('stopped_at'), false)
		? 'SELECT MAX(stopped_at) AS at FROM mail_outbox'
		: "SELECT MAX(next_attempt_at) AS at FROM mail_outbox WHERE status IN ('failed', 'cancelled', 'interrupted')";
}

/**
 * When `db` was last written, in milliseconds (its journal, its data's revision, its accounts,
 * preferences, mail and invitations closed), null when it says nothing: which of the backup and the replaced database
 * is the newer copy, for what has no date of its own.
 */
function lastWritten(db: SQLite.Database): number | null {
	let last: number | null = null;
	for (const query of [...LAST_WRITES, lastStopQuery(db)]) {
		const at = orNothing(
			() => (db.prepare(query).get() as { at: string | number | null }).at,
			null
		);
		const ms = typeof at === 'string' ? Date.parse(at) : at;
		if (ms !== null && !Number.isNaN(ms) && (last === null || ms > last)) last = ms;
	}
	return last;
}

/** `lastWritten` of the file `file`. */
function lastWrittenOf(file: string): number | null {
	const db = new SQLite(file, { readonly: true, fileMustExist: true });
	try {
		return lastWritten(db);
	} finally {
		db.close();
	}
}

/** What the database being replaced says happened since the backup, to carry into the copy. */
interface Replaced {
	/** When it was last written (`lastWritten`): null, unreadable or saying nothing. */
	lastWritten: number | null;
	/** Its mail that left, or was leaving, by Message-ID (`markLeftSince`). */
	left: LeftMessage[];
	/** Its invitations closed, accounts disabled and passwords (`closeSessions`). */
	access: ReplacedAccess;
	/** Its mail preferences, messages that will not leave, accounts enabled (`keepReplacedSince`). */
	since: ReplacedSince;
}

const NOTHING_REPLACED: Replaced = {
	lastWritten: null,
	left: [],
	access: { invitations: [], accounts: [] },
	since: NOTHING_SINCE
};

/** `read()`, or `nothing` when the database cannot answer it (damaged, or older than its table). */
function orNothing<T>(read: () => T, nothing: T): T {
	try {
		return read();
	} catch {
		return nothing;
	}
}

/**
 * What the database being replaced says (`Replaced`), read in one opening. Each part it cannot
 * read (damaged, or older than the outbox or the accounts) is empty: the backup's then stands.
 */
function readReplaced(replaced: string): Replaced {
	let old: SQLite.Database;
	try {
		old = new SQLite(replaced, { readonly: true, fileMustExist: true });
	} catch {
		return NOTHING_REPLACED;
	}
	/** The rows `query` reads, none when the database cannot answer it (older than its table). */
	const rows = <T>(query: string): T[] => orNothing(() => old.prepare(query).all() as T[], []);
	try {
		const passwordSet = journalTimes(old, PASSWORD_SET);
		const enabledAgain = journalTimes(old, ENABLED_AGAIN);
		return {
			lastWritten: lastWritten(old),
			left: rows<LeftMessage>(
				"SELECT message_id AS messageId, status, sent_at AS sentAt, last_error AS error FROM mail_outbox WHERE status IN ('sent', 'sending', 'interrupted')"
			),
			access: orNothing(
				() => ({
					invitations: old
						.prepare('SELECT id, used_at AS usedAt FROM invitation WHERE used_at IS NOT NULL')
						.all() as ReplacedAccess['invitations'],
					accounts: (
						old
							.prepare(
								'SELECT id, email, disabled_at AS disabledAt, password_hash AS passwordHash FROM user_account'
							)
							.all() as Omit<ReplacedAccess['accounts'][number], 'passwordSetAt'>[]
					).map((account) => ({
						...account,
						passwordSetAt: passwordSet.get(account.id) ?? null
					}))
				}),
				NOTHING_REPLACED.access
			),
			since: {
				preferences: rows(
					'SELECT p.user_id AS userId, u.email, p.reminders, p.validations, p.commission, p.updated_at AS updatedAt FROM mail_preference p JOIN user_account u ON u.id = p.user_id'
				),
				stopped: rows(
					"SELECT message_id AS messageId, status, last_error AS error FROM mail_outbox WHERE status IN ('failed', 'cancelled')"
				),
				enabled: rows<Omit<ReplacedSince['enabled'][number], 'enabledAt'>>(
					'SELECT id, email, role, organisation_id AS organisationId FROM user_account WHERE disabled_at IS NULL'
				).map((account) => ({ ...account, enabledAt: enabledAgain.get(account.id) ?? null }))
			}
		};
	} finally {
		old.close();
	}
}

/**
 * The backup named is the database itself (the same path, a symbolic or a hard link to it): set
 * aside and replaced by itself, it would be lost.
 */
function checkNotTheDatabase(backup: string, target: string): void {
	if (sameFile(backup, target))
		throw new StartupError(
			`« ${backup} » est la base elle-même (DATABASE_PATH « ${target} »), pas une sauvegarde : rien n’a été changé. Indiquez le fichier de sauvegarde à restaurer.`
		);
}

/** Whether `a` and `b` both exist and are one file (the same path, a symbolic or a hard link). */
function sameFile(a: string, b: string): boolean {
	if (!existsSync(a) || !existsSync(b)) return false;
	const one = statSync(a);
	const other = statSync(b);
	return realpathSync(a) === realpathSync(b) || (one.dev === other.dev && one.ino === other.ino);
}

/**
 * The file DATABASE_PATH names, through a symbolic link to it: the link is left where it is and the
 * file it leads to is restored (renamed in the link's place, the link became the database and the
 * file the server opened through it stayed as it was). A link to nothing is refused. Any other
 * path as it is.
 */
function databaseFile(target: string): string {
	if (!lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink()) return target;
	if (!existsSync(target))
		throw new StartupError(
			`« ${target} » (DATABASE_PATH) est un lien symbolique vers « ${readlinkSync(target)} », qui n’existe pas : rien n’a été changé. Vérifiez DATABASE_PATH ou le lien.`
		);
	return realpathSync(target);
}

/** Where the restore writes its copy of the backup, beside the database, before renaming it. */
const incomingCopy = (target: string) => `${target}.restauration`;

/**
 * The backup named is where the restore writes its copy (`<DATABASE_PATH>.restauration`, perhaps
 * left by a restore that failed and was copied away): that place is cleared before the copy, and
 * the backup would be deleted before it is read.
 */
function checkNotTheIncomingCopy(backup: string, target: string): void {
	if (sameFile(backup, incomingCopy(target)))
		throw new StartupError(
			`« ${backup} » porte le nom que la restauration donne à sa copie de la sauvegarde (DATABASE_PATH suivi de « .restauration ») : elle l’effacerait avant de la lire. Rien n’a été changé : renommez ce fichier (par exemple « ${target}.sauvegarde ») et restaurez-le sous ce nom.`
		);
}

/**
 * Restores a backup into `named` (the portal's DATABASE_PATH; through a symbolic link, the file it
 * leads to, returned as `replaced`: `databaseFile`) while the portal is stopped: the
 * backup is checked, copied beside the target, the current database and its WAL files are set
 * aside (`….avant-restauration-<date>`), then the copy takes the target's name. Refused while a
 * server uses the target. Mail the replaced database had sent since the backup is marked sent in
 * the restored one (`alreadySent`), mail it was handing over when it stopped interrupted
 * (`interrupted`): neither is sent twice. Every session and pending reset link of the restored
 * database is closed, every invitation used or revoked since stays so, an account disabled since
 * stays disabled and a password changed since is the one that works (`closeSessions`); mail
 * preferences, messages given up, refused or cancelled, and accounts enabled again since (with the
 * backup's role and organisation) are the replaced database's (`keepReplacedSince`) — each only
 * when its date says it is newer than the backup's. A replaced database last written before the
 * backup (`replacedOlder`: an older backup restored first, then this one on top) gives nothing.
 * On a failure before the target is touched, the copy is removed.
 */
export function restoreDatabase(
	backup: string,
	named: string,
	now = new Date()
): {
	/** The file replaced: DATABASE_PATH, or the file it is a symbolic link to. */
	replaced: string;
	aside: string | null;
	alreadySent: number;
	interrupted: number;
	sessionsClosed: number;
	resetsDropped: number;
	invitationsClosed: number;
	accountsDisabled: number;
	passwordsKept: number;
	preferencesKept: number;
	stoppedKept: number;
	accountsEnabled: number;
	accountsLeftDisabled: number;
	replacedOlder: boolean;
} {
	const target = databaseFile(named);
	checkNotTheDatabase(backup, target);
	checkNotTheIncomingCopy(backup, target);
	const pid = runningServerPid(target);
	if (pid !== null)
		throw new StartupError(
			`Le portail tourne encore sur « ${target} » (processus ${pid}) : arrêtez-le avant de restaurer.`
		);
	checkTarget(target);
	checkBackupFile(backup);
	const incoming = incomingCopy(target);
	try {
		copyThroughSqlite(backup, incoming);
	} catch (error) {
		rmSync(incoming, { force: true });
		throw new StartupError(
			sqliteCode(error) === 'SQLITE_FULL'
				? diskFull(target)
				: `Impossible d’écrire dans le dossier « ${dirname(target)} » : rien n’a été changé. Restaurez en tant qu’utilisateur du portail, qui peut y écrire.`
		);
	}
	let kept = { preferencesKept: 0, stoppedKept: 0, accountsEnabled: 0, accountsLeftDisabled: 0 };
	let left = { alreadySent: 0, interrupted: 0 };
	let closed = {
		sessionsClosed: 0,
		resetsDropped: 0,
		invitationsClosed: 0,
		accountsDisabled: 0,
		passwordsKept: 0
	};
	let replacedOlder = false;
	try {
		// The replaced database is opened once, and every part of what it says read in that opening.
		const read = existsSync(target) ? readReplaced(target) : NOTHING_REPLACED;
		// Older than the backup (an older backup restored first, then this one on top): what it
		// says happened « since » happened before the backup, which knows better.
		const backupWritten = read.lastWritten === null ? null : lastWrittenOf(incoming);
		replacedOlder =
			read.lastWritten !== null && backupWritten !== null && read.lastWritten < backupWritten;
		const replaced = replacedOlder ? NOTHING_REPLACED : read;
		kept = keepReplacedSince(incoming, replaced.since, replaced.lastWritten);
		left = markLeftSince(incoming, replaced.left, replaced.lastWritten);
		closed = closeSessions(incoming, replaced.access);
		chmodSync(incoming, 0o600);
		// Typed as root (without sudo -u), the restored file was root's, and the service could no
		// longer open it: it keeps the owner of the file it replaces (else of the folder).
		if (process.getuid?.() === 0) {
			const { uid, gid } = statSync(existsSync(target) ? target : dirname(target));
			chownSync(incoming, uid, gid);
		}
	} catch (error) {
		rmSync(incoming, { force: true });
		throw new StartupError(
			sqliteCode(error) === 'SQLITE_FULL'
				? diskFull(target)
				: `La copie de la sauvegarde n’a pas pu être préparée à côté de la base (erreur ${errorCode(error)}) : rien n’a été changé, la copie est effacée.`
		);
	}
	let aside: string | null = null;
	if (existsSync(target)) {
		aside = `${target}.avant-restauration-${now.toISOString().replace(/[:.]/g, '-')}`;
		renameSync(target, aside);
		for (const suffix of COMPANIONS)
			if (existsSync(`${target}${suffix}`)) renameSync(`${target}${suffix}`, `${aside}${suffix}`);
	}
	for (const suffix of COMPANIONS) rmSync(`${target}${suffix}`, { force: true });
	renameSync(incoming, target);
	return { replaced: target, aside, ...left, ...closed, ...kept, replacedOlder };
}

/**
 * `npm run db:restore`: `restoreDatabase`, once the backup's schema, migrated as a start would
 * migrate it, is found to be what the migrations create (async: they run on a copy in memory). A
 * backup changed after it was written (a trigger added, a guard dropped) is refused with what
 * differs, nothing changed.
 */
export async function restoreBackup(
	backup: string,
	named: string,
	now = new Date()
): Promise<ReturnType<typeof restoreDatabase>> {
	const target = databaseFile(named);
	checkNotTheDatabase(backup, target);
	checkNotTheIncomingCopy(backup, target);
	checkBackupFile(backup);
	const difference = await backupSchemaDifference(backup);
	if (difference !== null)
		throw new StartupError(
			`La structure de « ${backup} » n’est pas celle que créent ses migrations (${difference}) : la sauvegarde a été modifiée après coup. Rien n’a été changé. Restaurez une autre sauvegarde.`
		);
	return restoreDatabase(backup, named, now);
}
