// A full disk, recognised and told: shared by the server (db/dialect.ts, db/index.ts) and its
// start (scripts/start.js), which runs without TypeScript, hence plain JavaScript.

/**
 * SQLITE_FULL (disk or database full) or ENOSPC: nothing was written.
 * @param {unknown} error
 * @returns {boolean}
 */
export function isDiskFull(error) {
	const { code, cause } = /** @type {{ code?: unknown, cause?: unknown }} */ (error ?? {});
	// A French error made from SQLite's keeps it as its cause (the backup's, db/backup.ts).
	return code === 'SQLITE_FULL' || code === 'ENOSPC' || (cause !== undefined && isDiskFull(cause));
}

/**
 * What a start stopped by a full disk says, whichever write met it: opening the database, or one
 * of the first writes after (the mail sender's lease, scripts/start.js).
 * @param {string} databasePath
 */
export function diskFullAtStart(databasePath) {
	return `Le disque de la base de données « ${databasePath} » est plein : libérez de la place, puis redémarrez le portail.`;
}
