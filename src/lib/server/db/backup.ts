import {
	chmodSync,
	closeSync,
	existsSync,
	linkSync,
	lstatSync,
	openSync,
	readlinkSync,
	renameSync,
	rmSync,
	statSync
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { explainOpenError, StartupError } from './index';

/** What SQLite may leave beside a database file. */
const COMPANIONS = ['-wal', '-shm', '-journal'];

function removeWithCompanions(path: string): void {
	for (const suffix of ['', ...COMPANIONS]) rmSync(`${path}${suffix}`, { force: true });
}

/** What SQLite says when a copy fails, told as the operator can act on it. */
function inFrench(error: unknown, source: string, folder: string): unknown {
	const code = error instanceof SQLite.SqliteError ? error.code : '';
	if (code === 'SQLITE_FULL')
		return new StartupError(
			`Le disque du dossier « ${folder} » est plein : rien n’a été écrit. Libérez de la place ou choisissez un autre dossier.`,
			{ cause: error }
		);
	if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))
		return new StartupError(
			`La base « ${source} » n’est pas lisible par SQLite (endommagée, ou pas une base) : rien n’a été écrit. Restaurez la dernière bonne sauvegarde.`
		);
	return error;
}

/** The database to copy is a file with something in it (DATABASE_PATH may name a folder, or a file
 * SQLite would read as an empty base: its « copy » could not be restored). */
function checkSource(source: string): void {
	if (!existsSync(source)) return; // said when opening it, below
	const stat = statSync(source);
	if (stat.isDirectory())
		throw new StartupError(
			`La base « ${source} » est un dossier : DATABASE_PATH doit nommer le fichier de la base (par exemple « ${source}/sdusn.db »). Rien n’a été écrit.`
		);
	if (!stat.isFile())
		throw new StartupError(
			`« ${source} » n’est pas un fichier de base de données (DATABASE_PATH) : rien n’a été écrit.`
		);
	if (stat.size === 0)
		throw new StartupError(
			`La base « ${source} » est vide (0 octet) : rien à sauvegarder. Vérifiez DATABASE_PATH.`
		);
}

const danglingLink = (target: string) =>
	new StartupError(
		`« ${target} » est un lien symbolique vers « ${readlinkSync(target)} », qui n’existe pas : rien n’a été écrit. Choisissez un autre nom de sauvegarde.`
	);

/**
 * Gives the checked copy its name only if nothing holds that name (a hard link fails with EEXIST,
 * as O_EXCL does): a file or a link put there during the copy is refused, never written over nor
 * followed. A file system without hard links (some network shares) gets the rename, checked just
 * before.
 */
/** link() failed for the name taken (EEXIST), or for a file system without hard links. */
const NO_LINK = new Set(['EEXIST', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

function putInPlace(partial: string, target: string): void {
	try {
		linkSync(partial, target);
		rmSync(partial);
		return;
	} catch (error) {
		if (!NO_LINK.has(String((error as { code?: unknown }).code))) throw error;
	}
	const there = lstatSync(target, { throwIfNoEntry: false });
	if (there?.isSymbolicLink() && !existsSync(target)) throw danglingLink(target);
	if (there)
		throw new StartupError(
			`« ${target} » a été créé pendant la copie : rien n’y a été écrit. Choisissez un autre nom de sauvegarde.`
		);
	renameSync(partial, target);
}

/**
 * Copies a live database with SQLite's online backup API (consistent even while the server
 * writes), into a temporary file that becomes `target` only once `integrity_check` says ok. The
 * copy is one self-contained file (rollback journal, no -wal or -shm beside it), mode 0600, like
 * the database it copies; nothing else is left behind, even on failure.
 */
export async function backupDatabase(source: string, target: string): Promise<{ pages: number }> {
	// The database's own -wal (or -shm, -journal) would be taken by SQLite for its own and deleted
	// at the next opening: a backup reported written, then gone.
	const suffix = ['', ...COMPANIONS].find((s) => resolve(target) === resolve(`${source}${s}`));
	if (suffix !== undefined)
		throw new StartupError(
			`« ${target} » est ${suffix === '' ? 'la base elle-même' : `un fichier de la base (${suffix}), que SQLite efface ou réécrit`} : rien n’a été écrit. Choisissez un autre nom de sauvegarde.`
		);
	if (existsSync(target))
		throw new StartupError(
			statSync(target).isDirectory()
				? `« ${target} » est un dossier : donnez le nom du fichier de sauvegarde à y écrire (par exemple « ${target}/sdusn.db »).`
				: `Le fichier « ${target} » existe déjà : choisissez un autre nom.`
		);
	const folder = dirname(target);
	if (!existsSync(folder))
		throw new StartupError(
			`Le dossier « ${folder} » n’existe pas : créez-le (accessible en écriture à l’utilisateur qui lance la sauvegarde) ou choisissez-en un autre.`
		);
	if (!statSync(folder).isDirectory())
		throw new StartupError(`« ${folder} » n’est pas un dossier : choisissez un dossier.`);
	// A symbolic link to nothing: existsSync follows it. The copy was renamed over the link.
	if (lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink()) throw danglingLink(target);
	checkSource(source);
	const partial = `${target}.partiel`;
	let db: SQLite.Database;
	try {
		db = new SQLite(source, { readonly: true, fileMustExist: true });
	} catch (error) {
		// Not SQLite's own refusal (the native module that fails to load after a Node upgrade…):
		// its real cause, as the server's start says it.
		if (!(error instanceof SQLite.SqliteError)) throw explainOpenError(source, error);
		throw new StartupError(
			`La base « ${source} » ne peut pas être ouverte en lecture : vérifiez que l’utilisateur qui lance la sauvegarde peut la lire.`
		);
	}
	try {
		db.pragma('busy_timeout = 5000');
		try {
			removeWithCompanions(partial);
			closeSync(openSync(partial, 'w', 0o600));
		} catch {
			throw new StartupError(
				`Impossible d’écrire dans le dossier « ${folder} » : choisissez un dossier où l’utilisateur qui lance la sauvegarde peut écrire.`
			);
		}
		chmodSync(partial, 0o600);
		// A write by another connection restarts an online backup: copied 100 pages at a time, a
		// database written without pause (partners saving) was never copied to the end. After the
		// first step, the rest goes in one step, which a write cannot interrupt.
		const { totalPages } = await db.backup(partial, {
			progress: ({ totalPages: pages }) => Math.max(pages, 100)
		});
		const copy = new SQLite(partial);
		try {
			copy.pragma('journal_mode = DELETE');
			const result = copy.pragma('integrity_check', { simple: true });
			if (result !== 'ok')
				throw new StartupError(
					`La copie ne passe pas la vérification d’intégrité de SQLite : elle a été supprimée. La base « ${source} » est peut-être endommagée : restaurez la dernière bonne sauvegarde.`
				);
		} finally {
			copy.close();
		}
		putInPlace(partial, target);
		return { pages: totalPages };
	} catch (error) {
		rmSync(partial, { force: true });
		throw inFrench(error, source, folder);
	} finally {
		db.close();
		for (const suffix of COMPANIONS) rmSync(`${partial}${suffix}`, { force: true });
	}
}
