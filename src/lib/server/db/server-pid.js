// The file that tells the ops commands a server is using a database: scripts/start.js writes it
// once listening and removes it when it stops; db:restore refuses to run while its process lives.
// Plain JavaScript, like config.js: read by scripts/start.js before anything is built.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';

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
	return `${real}.serveur.pid`;
}

/**
 * When this machine last started (Linux's /proc/stat), in milliseconds; null elsewhere.
 * @returns {number | null}
 */
function bootTime() {
	try {
		const line = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
		return line ? Number(line[1]) * 1000 : null;
	} catch {
		return null;
	}
}

/**
 * The pid of a live server using this database, or null: no file, its process is gone, or the
 * file was written before the machine last started (a power cut left it; its number may since
 * have been given to another program, which must not keep the portal from starting).
 * @param {string} databasePath
 */
export function runningServerPid(databasePath) {
	const file = pidFileOf(databasePath);
	if (!existsSync(file)) return null;
	const booted = bootTime();
	if (booted !== null && statSync(file).mtimeMs < booted) return null;
	const pid = Number(readFileSync(file, 'utf8').trim());
	if (!Number.isInteger(pid) || pid <= 0) return null;
	try {
		process.kill(pid, 0);
		return pid;
	} catch (error) {
		// EPERM: the process exists but belongs to another user.
		return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM' ? pid : null;
	}
}
