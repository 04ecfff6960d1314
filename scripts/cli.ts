import {
	accessSync,
	closeSync,
	constants,
	existsSync,
	lstatSync,
	openSync,
	readdirSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import process from 'node:process';
import { databasePath } from '../src/lib/server/db/index';
import { errorSummary } from '../src/lib/server/error-summary.js';

/** Ends a command with one French line on stderr (no stack trace for errors the user can fix). */
export function exitWithError(message: string): never {
	process.stderr.write(`${message}\n`);
	process.exit(1);
}

/** Runs a command's main function, turning StartupError and unexpected errors into exit codes. */
export function runCommand(main: () => Promise<void>): void {
	main().catch((error: unknown) => {
		if (error instanceof Error && (error.name === 'StartupError' || error.name === 'UsageError')) {
			exitWithError(error.message);
		}
		exitWithError(unexpectedErrorReport(error, process.env.LOG_LEVEL));
	});
}

/**
 * What a command prints for an error nobody foresaw: one French line with the error's own message
 * and name (« Erreur : disk I/O error (SqliteError, SQLITE_IOERR) »); its stack trace, in English,
 * first and only with LOG_LEVEL=debug (or trace), for whoever looks into it.
 */
export function unexpectedErrorReport(error: unknown, logLevel: string | undefined): string {
	const level = logLevel?.trim().toLowerCase();
	const stack =
		error instanceof Error && (level === 'debug' || level === 'trace') ? error.stack : '';
	const line = `Erreur : ${errorSummary(error)}. La commande a échoué à cause d’une erreur inattendue${stack ? ' (détail ci-dessus).' : ' : relancez-la avec LOG_LEVEL=debug pour le détail.'}`;
	return stack ? `${stack}\n${line}` : line;
}

/** The option by which the operator says a command may create the database it names. */
export const CREATE_OPTION = '--creer';

/** The command line without --creer, and what to do with a missing database (see below). */
export function takeCreateOption(argv: string[]): { argv: string[]; missing: MissingDatabase } {
	return {
		argv: argv.filter((arg) => arg !== CREATE_OPTION),
		missing: argv.includes(CREATE_OPTION) ? 'create' : 'refuse'
	};
}

/**
 * What a command does when its database file does not exist: `create` it (--creer given, or the
 * command checks by itself), `refuse` it (a command that writes: an account or a plan made in a
 * new database under a mistyped path was reported as done, and the portal never saw it), or
 * `refuse-named` only when DATABASE_PATH names it (a command that only reads: it answered from a
 * freshly seeded plan as if it were the portal's; the default database is created on first use).
 */
export type MissingDatabase = 'create' | 'refuse' | 'refuse-named';

/**
 * The SQLite file a command works on (DATABASE_PATH, or data/sdusn.db), said on stderr so that
 * the operator knows which one it is (stdout stays for what the command prints, such as an export).
 * Returned absolute, so that every later message names the file that line named. A relative
 * DATABASE_PATH is read from the project's folder (where npm runs the command), as the server
 * reads it: one value names one database for both, wherever the command is typed.
 */
export function commandDatabasePath(missing: MissingDatabase = 'create'): string {
	const path = resolve(databasePath());
	process.stderr.write(`Base de données : ${path}\n`);
	const named = Boolean(process.env.DATABASE_PATH?.trim());
	if (!existsSync(path) && (missing === 'refuse' || (missing === 'refuse-named' && named)))
		throw new UsageError(missingDatabaseMessage(path, named, missing === 'refuse'));
	return path;
}

/** One French sentence: the missing file, the databases of its folder, and --creer when offered. */
function missingDatabaseMessage(path: string, named: boolean, offerCreate: boolean): string {
	const beside = databaseFilesIn(dirname(path));
	return (
		`La base « ${path} » n’existe pas (${named ? 'variable DATABASE_PATH' : 'chemin par défaut : DATABASE_PATH n’est pas réglée'}` +
		`${beside.length > 0 ? ` ; dans ce dossier : ${beside.join(', ')}` : ''}) : vérifiez le chemin` +
		`${offerCreate ? `, ou ajoutez ${CREATE_OPTION} pour y créer une base neuve` : ''}.`
	);
}

/** The .db files of a folder (ten at most, then « … »), none when it cannot be read. */
function databaseFilesIn(folder: string): string[] {
	let names: string[];
	try {
		names = readdirSync(folder, { withFileTypes: true })
			.filter((entry) => entry.isFile() && entry.name.endsWith('.db'))
			.map((entry) => entry.name)
			.sort();
	} catch {
		return [];
	}
	return names.length > 10 ? [...names.slice(0, 10), '…'] : names;
}

/**
 * A file named on the command line, read from the folder where the person typed it: `npm run`
 * moves to the project's folder and keeps that one in INIT_CWD.
 */
export function userPath(arg: string): string {
	return resolve(process.env.INIT_CWD ?? process.cwd(), arg);
}

/** An --out file that is there already, or a link (even to nothing): never written over. */
const alreadyThere = (path: string) =>
	new UsageError(
		`Le fichier « ${path} » existe déjà : choisissez un autre nom ou supprimez-le d’abord (option --out).`
	);

/**
 * The file an --out option names (from the folder where it was typed), checked before the command
 * does its work: a folder that is missing, is a file, or cannot be written to by this user is said
 * in one French line (the write at the end threw ENOENT or EACCES with a Node stack). A name
 * already there (a file, a symbolic link, even to nothing) is refused, as db:backup refuses it: the
 * bilan was printed over a file kept, and through a link into the file it led to. The write
 * itself is `writeNewFile`.
 */
export function outputPath(arg: string): string {
	const path = userPath(arg);
	const folder = dirname(path);
	const writable = (file: string) => {
		try {
			accessSync(file, constants.W_OK);
			return true;
		} catch {
			return false;
		}
	};
	if (!existsSync(folder))
		throw new UsageError(
			`Le dossier « ${folder} » n’existe pas : créez-le ou choisissez-en un autre (option --out).`
		);
	if (!statSync(folder).isDirectory())
		throw new UsageError(
			`« ${folder} » n’est pas un dossier : choisissez un dossier (option --out).`
		);
	if (existsSync(path) && statSync(path).isDirectory())
		throw new UsageError(
			`« ${path} » est un dossier : donnez le nom du fichier à y écrire (option --out).`
		);
	if (lstatSync(path, { throwIfNoEntry: false }) !== undefined) throw alreadyThere(path);
	if (!writable(folder))
		throw new UsageError(
			`Impossible d’écrire « ${path} » : choisissez un dossier où l’utilisateur qui lance la commande peut écrire (option --out).`
		);
	return path;
}

/**
 * Writes `bytes` into `path`, a file this call creates (O_EXCL): a file or a link put there since
 * `outputPath` checked the name is refused, never written over nor followed. A write that fails
 * half-way removes what it wrote.
 */
export function writeNewFile(path: string, bytes: string | Uint8Array): void {
	let fd: number;
	try {
		fd = openSync(path, 'wx');
	} catch (error) {
		if ((error as { code?: unknown }).code === 'EEXIST') throw alreadyThere(path);
		throw error;
	}
	try {
		writeFileSync(fd, bytes);
	} catch (error) {
		rmSync(path, { force: true });
		throw error;
	} finally {
		closeSync(fd);
	}
}

export class UsageError extends Error {
	override name = 'UsageError';
}

/** Whether the command line asks for the command's usage (`--aide`, or `--help` as elsewhere). */
export function asksForHelp(argv: string[]): boolean {
	return argv.some((arg) => arg === '--aide' || arg === '--help');
}

/** Prints a command's usage on stdout and ends it successfully. */
export function printUsage(usage: string): never {
	process.stdout.write(`${usage}\n`);
	process.exit(0);
}

/**
 * The one file name a command takes (db:backup, db:restore): `--aide` prints `usage`; anything else
 * that starts with « - » is refused as an option, never taken for a file name (`./-x` names such a
 * file); none, or more than one, is refused with `missing`.
 */
export function oneFileArgument(argv: string[], usage: string, missing: string): string {
	if (asksForHelp(argv)) printUsage(usage);
	const option = argv.find((arg) => arg.startsWith('-'));
	if (option !== undefined)
		throw new UsageError(
			`Option inconnue « ${option} » : cette commande ne prend qu’un nom de fichier (écrivez ./${option} pour un fichier de ce nom ; --aide pour l’usage).`
		);
	if (argv.length !== 1) throw new UsageError(missing);
	return argv[0] as string;
}

/**
 * `--name value` and `--name=value` options; unknown options are refused. `--aide` (or `--help`)
 * prints `usage` and ends the command, before anything is opened.
 */
export function parseOptions(argv: string[], known: string[], usage: string): Map<string, string> {
	if (asksForHelp(argv)) printUsage(usage);
	const options = new Map<string, string>();
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i] as string;
		const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
		if (!match || !known.includes(match[1] as string)) {
			throw new UsageError(
				known.length === 0
					? `Option inconnue « ${arg} » : cette commande ne prend aucune option (--aide pour l’usage).`
					: `Option inconnue « ${arg} » (options possibles : ${known.map((k) => `--${k}`).join(', ')} ; --aide pour l’usage).`
			);
		}
		const value = match[2] ?? argv[++i];
		if (value === undefined || value === '')
			throw new UsageError(`L’option --${match[1]} attend une valeur.`);
		if (options.has(match[1] as string))
			throw new UsageError(`L’option --${match[1]} est donnée deux fois : gardez-en une.`);
		options.set(match[1] as string, value);
	}
	return options;
}
