// The file that tells the ops commands a server is using a database: scripts/start.js writes it
// once listening and removes it when it stops; db:restore refuses to run while its process lives.
// Plain JavaScript, like config.js: read by scripts/start.js before anything is built.
import { existsSync, readFileSync } from 'node:fs';

/** @param {string} databasePath */
export function pidFileOf(databasePath) {
	return `${databasePath}.serveur.pid`;
}

/**
 * The pid of a live server using this database, or null (no file, or its process is gone).
 * @param {string} databasePath
 */
export function runningServerPid(databasePath) {
	const file = pidFileOf(databasePath);
	if (!existsSync(file)) return null;
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
