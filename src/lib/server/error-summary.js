// An error nobody foresaw, told in one line: shared by the ops commands (scripts/cli.ts) and the
// server's start (scripts/start.js), which runs without TypeScript, hence plain JavaScript.

/**
 * The error's own message (its first line), name and code: « disk I/O error (SqliteError,
 * SQLITE_IOERR) »; never its stack, which goes elsewhere (after the French line, or to the log).
 * @param {unknown} error
 * @returns {string}
 */
export function errorSummary(error) {
	if (!(error instanceof Error)) return String(error);
	const code = 'code' in error ? error.code : undefined;
	const names = [error.name, ...(typeof code === 'string' ? [code] : [])];
	return `${error.message.split('\n')[0]} (${names.join(', ')})`;
}
