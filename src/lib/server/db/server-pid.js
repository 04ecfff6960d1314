// The file that tells the ops commands a server is using a database: scripts/start.js writes it
// once listening and removes it when it stops; db:restore refuses to run while its process lives.
// Plain JavaScript, like config.js: read by scripts/start.js before anything is built.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Beside the database's real file: a second name for it (a symbolic link to the file) leads to
 * the same pid file, so a second server through that name is refused like one through the first.
 * @param {string} databasePath
 */
export function pidFileOf(databasePath) {
	let real = databasePath;
	try {
		real = realpathSync(databasePath);
	} catch {
		// Not created yet: no other name can lead to it.
	}
	return `${real}${PID_SUFFIX}`;
}

const PID_SUFFIX = '.serveur.pid';

/**
 * This boot of the machine (Linux's random boot id, the same until the next start whatever the
 * clock does); null elsewhere.
 * @returns {string | null}
 */
function bootId() {
	try {
		return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
	} catch {
		return null;
	}
}

/** What the server writes in its pid file: its number, and the boot it runs in. */
export function pidFileText() {
	return `${process.pid}\n${bootId() ?? ''}\n`;
}

/** The pid a pid file's text names (its first line), or NaN. @param {string} text */
export function pidInFile(text) {
	return Number(text.split('\n')[0]?.trim());
}

/**
 * The pid of a live server using this database, or null: no file, its process is gone, or the
 * file was written during an earlier boot of the machine (a power cut left it; its number may
 * since have been given to another program, which must not keep the portal from starting).
 * @param {string} databasePath
 */
export function runningServerPid(databasePath) {
	for (const file of pidFilesOf(databasePath)) {
		const pid = livePid(file);
		if (pid !== null) return pid;
	}
	return null;
}

/**
 * The database's pid file, then those of its other names in the same folder: a hard link is the
 * same file under another name, which realpath does not lead back to (`ln sdusn.db copie.db`).
 * @param {string} databasePath @returns {string[]}
 */
function pidFilesOf(databasePath) {
	const own = pidFileOf(databasePath);
	const files = [own];
	try {
		const database = statSync(databasePath);
		if (database.nlink < 2) return files;
		const dir = dirname(own);
		for (const name of readdirSync(dir)) {
			const file = join(dir, name);
			if (!name.endsWith(PID_SUFFIX) || file === own) continue;
			const other = statSync(file.slice(0, -PID_SUFFIX.length), { throwIfNoEntry: false });
			if (other?.dev === database.dev && other.ino === database.ino) files.push(file);
		}
	} catch {
		// The database not created yet, or its folder not readable: its own pid file only.
	}
	return files;
}

/**
 * The pid a pid file names when its process lives, in this boot of the machine; else null.
 * @param {string} file
 */
function livePid(file) {
	if (!existsSync(file)) return null;
	const text = readFileSync(file, 'utf8');
	const writtenIn = text.split('\n')[1]?.trim();
	const now = bootId();
	if (writtenIn && now && writtenIn !== now) return null;
	const pid = pidInFile(text);
	if (!Number.isInteger(pid) || pid <= 0) return null;
	try {
		process.kill(pid, 0);
		return pid;
	} catch (error) {
		// EPERM: the process exists but belongs to another user.
		return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM' ? pid : null;
	}
}
