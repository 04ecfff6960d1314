// The server's journal of operations: one JSON line per request and per significant event, on
// standard output (systemd's journal or the container's log collector keeps it), through pino.
// Plain JavaScript: used by scripts/start.js (start, stop) and by the server code (requests,
// errors, backups). Nothing here is the audit journal of the database (/admin/journal).
import pino from 'pino';
import { readConfig } from './config.js';

/**
 * Names whose value is never written, wherever they appear in an event: pino replaces them with
 * "[masqué]". Events are built from chosen fields only; this is the second line of defence.
 */
const REDACTED = [
	'password',
	'token',
	'cookie',
	'authorization',
	'secret',
	'*.password',
	'*.token',
	'*.cookie',
	'*.authorization',
	'*.secret',
	'*.headers.cookie',
	'*.headers.authorization'
];

/**
 * @param {string} level
 * @param {import('pino').DestinationStream} [destination] standard output when absent (tests pass one:
 *   src/lib/server/mail/sender.spec.ts reads the lines the log writes)
 */
export function createLogger(level, destination) {
	return pino(
		{
			level,
			base: { pid: process.pid },
			timestamp: pino.stdTimeFunctions.isoTime,
			formatters: { level: (label) => ({ level: label }) },
			redact: { paths: REDACTED, censor: '[masqué]' }
		},
		// Buffered: lines go out together once 4 KB are waiting or a quarter of a second has passed,
		// while the server keeps answering. Written synchronously, one write(2) per request was the
		// largest single cost of a cached page (docs/performance.md, 2026-11-30 night). pino writes
		// what is left when the process exits; a process killed outright loses that quarter second.
		destination ?? pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 })
	);
}

/**
 * Where the process keeps its one logger. This module is loaded twice in a served portal: by
 * scripts/start.js, and bundled into the build's server code. Both must write through the same
 * buffer (lines in order, one flush at exit), so the logger is kept on the process's global object
 * rather than in a module variable.
 */
const SHARED = Symbol.for('sdusn.log');
const holder = /** @type {{ [SHARED]?: import('pino').Logger }} */ (globalThis);

/** The process's logger, at LOG_LEVEL (checked at start by scripts/start.js). */
export function log() {
	holder[SHARED] ??= createLogger(readConfig().logLevel);
	return holder[SHARED];
}

/**
 * Writes out the lines still waiting, then resolves (after `limitMs` at most): called before the
 * process exits. pino's own last write at exit is synchronous, and sonic-boom 4 retries it forever
 * when standard output is a pipe whose reader has gone (`… | head`, a log collector stopped): the
 * process would never end. Written here asynchronously, that failure is an error on which pino
 * stops logging, and the exit that follows has nothing left to write.
 * @param {number} [limitMs]
 * @returns {Promise<void>}
 */
export function flushLog(limitMs = 1_000) {
	const logger = holder[SHARED];
	if (!logger) return Promise.resolve();
	return new Promise((resolve) => {
		const limit = setTimeout(resolve, limitMs);
		logger.flush(() => {
			clearTimeout(limit);
			resolve();
		});
	});
}
