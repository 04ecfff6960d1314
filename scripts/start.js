// `npm start`: build when the build is missing or older than the sources, then serve the portal.
// Migrations and the plan seed run in the server's init hook, when build/handler.js is loaded.
// Failures the operator can fix end with one French line on stderr and a non-zero exit.
import { spawnSync } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
	backupsLine,
	ConfigError,
	lookalikeVariables,
	portalVersion,
	proxySettingsProblem,
	readConfig
} from '../src/lib/server/config.js';
import {
	pidFileOf,
	pidFileText,
	pidInFile,
	runningServerPid
} from '../src/lib/server/db/server-pid.js';
import { SECURITY_HEADERS } from '../src/lib/server/http/security-headers.js';
import { METHOD_NOT_ALLOWED_MESSAGE } from '../src/lib/server/http/method-refusal.js';
import { diskFullAtStart, isDiskFull } from '../src/lib/server/db/disk-full.js';
import { errorSummary } from '../src/lib/server/error-summary.js';
import { flushLog, log } from '../src/lib/server/log.js';
import { requireSupportedNode } from './node-version.js';

export { proxySettingsProblem };

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const builtHandler = join(root, 'build', 'handler.js');
const SOURCES = [
	'src',
	'static',
	'migrations',
	'svelte.config.js',
	'vite.config.ts',
	'package.json',
	'package-lock.json'
];

/** @param {string} message @returns {never} */
function fail(message) {
	process.stderr.write(`${message}\n`);
	process.exit(1);
}

/**
 * The newest modification time at or under `path`. With `folders`, a folder's own time counts too:
 * it moves when a file in it is deleted or renamed, which no remaining file's time shows. Left out
 * where the build cannot be made again (a production install): the documented archive lists files
 * only, so every folder extracted from it is as recent as its extraction, and a build made before
 * it would always look older than the sources.
 * @param {string} path @param {boolean} folders @returns {number}
 */
function newestMtime(path, folders) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = folders ? stat.mtimeMs : 0;
	for (const entry of readdirSync(path))
		newest = Math.max(newest, newestMtime(join(path, entry), folders));
	return newest;
}

// The server's memory budget (V8 flags) and allocator setting, shared with the benchmark and the report.
export { SERVER_ENV, SERVER_NODE_FLAGS } from './server-flags.js';

/** Vite's command in `dir`: absent from a production install (`npm ci --omit=dev`). */
const viteIn = (/** @type {string} */ dir) => join(dir, 'node_modules', 'vite', 'bin', 'vite.js');

/**
 * Whether the build in `dir` is missing or older than its sources: their files, and where the
 * build can be made again (Vite installed: a development checkout) their folders, so that a
 * deleted source file makes it stale too.
 */
export function buildIsStale(dir = root) {
	const handler = join(dir, 'build', 'handler.js');
	if (!existsSync(handler)) return true;
	const built = statSync(handler).mtimeMs;
	const folders = existsSync(viteIn(dir));
	return SOURCES.some((source) => newestMtime(join(dir, source), folders) > built);
}

/**
 * What `npm start` does in `dir` before serving: serve the build as it is ('serve'), build first
 * ('build'), or, where Vite is not installed (a production install, which cannot build), serve a
 * build that looks older than the sources and say so ('serve-stale'), or stop ('missing').
 * @returns {'serve' | 'build' | 'serve-stale' | 'missing'}
 */
export function buildStep(dir = root) {
	const canBuild = existsSync(viteIn(dir));
	if (!existsSync(join(dir, 'build', 'handler.js'))) return canBuild ? 'build' : 'missing';
	if (!buildIsStale(dir)) return 'serve';
	return canBuild ? 'build' : 'serve-stale';
}

const STALE_BUILD_WARNING =
	'Des sources sont plus récentes que la construction (build/), qui ne peut pas être refaite ici (installation de production, sans Vite) : le portail démarre sur la construction existante. Si les sources ont changé, reconstruisez-le sur la machine de construction (« npm run build »).';

/**
 * SvelteKit ends every build with « Run npm run preview to preview your production build
 * locally. »: advice for `npm run build`, misleading inside `npm start`, which serves the build
 * itself right after. That line is left out; the rest of the build's output is kept.
 * @param {string} output
 */
export function withoutPreviewHint(output) {
	return output
		.split('\n')
		.filter((line) => !/npm run preview/.test(line))
		.join('\n');
}

export function buildIfNeeded() {
	const step = buildStep();
	if (step === 'serve') return;
	if (step === 'serve-stale') {
		process.stderr.write(`${STALE_BUILD_WARNING}\n`);
		return;
	}
	if (step === 'missing')
		fail(
			'Le portail n’est pas construit, et ne peut pas l’être ici (installation de production, sans Vite) : construisez-le sur la machine de construction (« npm run build ») et copiez son dossier build/, ou installez les dépendances de développement (« npm ci ») puis relancez « npm start ».'
		);
	// On standard error, as the database's line: standard output carries only the log's JSON lines.
	process.stderr.write('Construction du portail (vite build)…\n');
	const vite = viteIn(root);
	const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8'
	});
	process.stderr.write(withoutPreviewHint(result.stdout ?? ''));
	if (result.status !== 0)
		fail('La construction du portail a échoué (voir les messages ci-dessus).');
	const ops = spawnSync(process.execPath, [join(root, 'scripts', 'build-ops.js')], {
		cwd: root,
		stdio: ['ignore', process.stderr, process.stderr]
	});
	if (ops.status !== 0)
		fail('La construction des commandes d’exploitation a échoué (voir les messages ci-dessus).');
}

/** Every file of the build under /_app/ (scripts, styles, version.json), as its address. */
export function appFilesOf(/** @type {string} */ clientDir) {
	/** @type {Set<string>} */
	const files = new Set();
	/** @param {string} dir @param {string} path */
	const walk = (dir, path) => {
		if (!existsSync(dir)) return;
		for (const entry of readdirSync(dir, { withFileTypes: true }))
			if (entry.isDirectory()) walk(join(dir, entry.name), `${path}/${entry.name}`);
			else files.add(`${path}/${entry.name}`);
	};
	walk(join(clientDir, '_app'), '/_app');
	return files;
}

/** Addresses under /_app/ that SvelteKit itself answers (no file). */
const SVELTEKIT_APP_ADDRESSES = ['/_app/env.js', '/_app/env.script.js'];
export const MISSING_APP_FILE_MESSAGE =
	'Fichier introuvable : la page qui le demande vient sans doute d’une version précédente du portail ; rechargez-la.\n';

export const ROUTE_RESOLUTION_MESSAGE = 'Adresse introuvable sur ce portail.\n';

/** A method no address of the portal answers, as SvelteKit refuses PUT or PROPFIND: not kept. */
const METHOD_REFUSAL_HEADERS = {
	allow: 'GET, HEAD',
	'content-type': 'text/plain; charset=utf-8',
	'cache-control': 'private, no-store'
};

/**
 * Two kinds of address that SvelteKit answers itself, before the server's hooks, in English, are
 * answered here in French; any other request goes to `handler`:
 * - a file under /_app/ that the build does not have (a page kept from before an upgrade asking
 *   for an old script): « Not found »;
 * - an address ending in /__route.js (server-side route resolution, which the portal does not use):
 *   a 400 « Server-side route resolution disabled », here a 404.
 * @param {import('node:http').RequestListener} handler
 * @param {Set<string>} files the build's files under /_app/ (appFilesOf)
 * @returns {import('node:http').RequestListener}
 */
export function answerSvelteKitAddresses(handler, files) {
	return (req, res) => {
		// Methods undici's Request refuses: adapter-node answered them « Bad Request » in English.
		if (req.method === 'TRACE') {
			res.writeHead(405, METHOD_REFUSAL_HEADERS);
			res.end(`${METHOD_NOT_ALLOWED_MESSAGE}\n`);
			return;
		}
		const url = req.url ?? '/';
		// SvelteKit reads the path not decoded (/__route%2Ejs is not one), « .. » resolved.
		if (url.includes('/__route.js') && pathOf(url, false)?.endsWith('/__route.js')) {
			answerNotFound(req, res, ROUTE_RESOLUTION_MESSAGE);
			return;
		}
		// SvelteKit's own rule: every address that begins with /_app (/_app, /_apple…) is its own,
		// read decoded (/%5Fapp/… too, whose first character is then « % »).
		if (url.startsWith('/_') || url.startsWith('/%')) {
			const path = pathOf(url, true);
			if (
				path?.startsWith('/_app') &&
				!files.has(path) &&
				!SVELTEKIT_APP_ADDRESSES.includes(path)
			) {
				answerNotFound(req, res, MISSING_APP_FILE_MESSAGE);
				return;
			}
		}
		handler(req, res);
	};
}

/**
 * The path of a request's address as SvelteKit reads it (WHATWG URL: « .. » resolved, query left),
 * decoded or not; null when malformed (SvelteKit's own answer, put in French by hooks.server.ts).
 * @param {string} url @param {boolean} decoded
 */
function pathOf(url, decoded) {
	try {
		const path = new URL(url, 'http://portail.invalid').pathname;
		return decoded ? decodeURIComponent(path) : path;
	} catch {
		return null;
	}
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string} message
 */
function answerNotFound(req, res, message) {
	res.writeHead(404, {
		'content-type': 'text/plain; charset=utf-8',
		// As SvelteKit does: a missing file must not be kept by a cache as missing.
		'cache-control': 'public, max-age=0, must-revalidate'
	});
	res.end(req.method === 'HEAD' ? undefined : message);
}

async function loadHandler() {
	try {
		const { handler } = await import(pathToFileURL(builtHandler).href);
		return /** @type {import('node:http').RequestListener} */ (handler);
	} catch (caught) {
		// Database problems arrive as StartupError with a French sentence; anything else is a bug,
		// or an installation that lacks something (a dependency missing, built for another Node).
		if (/** @type {Error} */ (caught)?.name === 'StartupError')
			fail(/** @type {Error} */ (caught).message);
		return failedToStart(caught);
	}
}

/**
 * The French line a start stopped by `error` ends with. A full disk met by a write after the
 * database was opened (the mail sender's lease, in the server's init hook) is said as opening it
 * says it (db/index.ts, explainOpenError), not as an error nobody foresaw.
 * @param {unknown} error
 * @param {NodeJS.ProcessEnv} env
 */
export function startFailureLine(error, env = process.env) {
	if (isDiskFull(error)) return diskFullAtStart(readConfig(env).databasePath);
	return `Le portail n’a pas pu démarrer à cause d’une erreur inattendue : ${errorSummary(error)}. Relancez-le avec LOG_LEVEL=debug pour lire sa pile d’appels dans le journal du serveur.`;
}

/**
 * A start stopped by an error: one French line on stderr saying what failed and
 * where to look, never preceded by an English stack; the stack goes to the log at debug level
 * (LOG_LEVEL=debug), after that line, through the log's redaction.
 * @param {unknown} error
 * @returns {Promise<never>}
 */
async function failedToStart(error) {
	process.stderr.write(`${startFailureLine(error)}\n`);
	try {
		log().debug(
			{
				event: 'start-failed',
				err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error)
			},
			'Démarrage interrompu (pile d’appels)'
		);
		await flushLog();
	} catch {
		// The log itself unavailable (its setting unreadable): the French line above stands alone.
	}
	process.exit(1);
}

/**
 * Time limits of the HTTP server (milliseconds): a client that sends its headers or its body too
 * slowly is cut off instead of holding a connection for Node's default 300 s.
 */
export const SERVER_TIMEOUTS = {
	// Whole request, headers and body: forms are small (512 KB at most).
	requestTimeout: 30_000,
	// Headers alone.
	headersTimeout: 10_000,
	// An idle kept-alive connection; below the 60 s of a default nginx upstream keep-alive.
	keepAliveTimeout: 5_000,
	// How often Node checks the two limits above (default 30 s).
	connectionsCheckingInterval: 1_000
};

/** Open connections allowed per client address when the portal faces clients directly. */
export const MAX_CONNECTIONS_PER_ADDRESS = 64;

/**
 * The portal's HTTP server: security headers on every answer (static files and SvelteKit's own
 * refusals included), time limits, and, without a proxy, a cap on connections per address.
 * @param {import('node:http').RequestListener} handler
 * @param {{ injectScheme: boolean, behindProxy: boolean }} options
 */
export function createPortalServer(handler, { injectScheme, behindProxy }) {
	const server = createServer(SERVER_TIMEOUTS, (req, res) => {
		for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
		// An answer started once the server has stopped listening (shutdown) closes its connection.
		const writeHead = res.writeHead;
		res.writeHead = /** @type {typeof writeHead} */ (
			function (/** @type {any[]} */ ...args) {
				if (!server.listening) res.setHeader('Connection', 'close');
				return Reflect.apply(writeHead, res, args);
			}
		);
		if (injectScheme) req.headers[SCHEME_HEADER] = 'http';
		handler(req, res);
	});
	server.keepAliveTimeout = SERVER_TIMEOUTS.keepAliveTimeout;
	server.on('clientError', answerClientError);
	if (!behindProxy) {
		/** @type {Map<string, number>} */
		const open = new Map();
		server.on('connection', (socket) => {
			const address = socket.remoteAddress ?? '';
			const count = (open.get(address) ?? 0) + 1;
			if (count > MAX_CONNECTIONS_PER_ADDRESS) {
				socket.destroy();
				return;
			}
			open.set(address, count);
			socket.once('close', () => {
				const left = (open.get(address) ?? 1) - 1;
				if (left > 0) open.set(address, left);
				else open.delete(address);
			});
		});
	}
	return server;
}

/**
 * Requests Node refuses before any handler sees them, answered in French as a short text (Node's own
 * answer has a status and no body: a blank page). The usual one is a 431: cookies grown too large
 * or an address too long (16 KB of request line and headers at most), which only the visitor can
 * mend.
 */
const CLIENT_ERRORS = {
	HPE_HEADER_OVERFLOW: [
		431,
		'Request Header Fields Too Large',
		'La requête envoyée par votre navigateur est trop volumineuse (plus de 16 Ko d’adresse et d’en-têtes). Si l’adresse de la page est très longue, raccourcissez-la ; sinon, effacez les cookies de ce site dans votre navigateur, puis rechargez la page.'
	],
	ERR_HTTP_REQUEST_TIMEOUT: [
		408,
		'Request Timeout',
		'La requête est arrivée trop lentement et a été interrompue. Rechargez la page.'
	],
	// A method Node's parser does not know (TRACK…): refused as TRACE, PUT or PROPFIND are.
	HPE_INVALID_METHOD: [405, 'Method Not Allowed', METHOD_NOT_ALLOWED_MESSAGE]
};
const MALFORMED = /** @type {const} */ ([
	400,
	'Bad Request',
	'Requête mal formée : le portail ne peut pas la lire.'
]);

/**
 * @param {Error & { code?: string }} error
 * @param {import('node:stream').Duplex} socket
 */
export function answerClientError(error, socket) {
	// Nothing to answer on a connection the client closed or on which an answer has begun.
	const busy = /** @type {{ _httpMessage?: { headersSent?: boolean } }} */ (socket)._httpMessage;
	if (error.code === 'ECONNRESET' || !socket.writable || busy?.headersSent) {
		socket.destroy();
		return;
	}
	const [status, reason, text] =
		CLIENT_ERRORS[/** @type {keyof typeof CLIENT_ERRORS} */ (error.code ?? '')] ?? MALFORMED;
	const body = Buffer.from(`${text}\n`, 'utf8');
	const head = [
		`HTTP/1.1 ${status} ${reason}`,
		'Connection: close',
		'Content-Type: text/plain; charset=utf-8',
		'Cache-Control: private, no-store',
		...(status === 405 ? [`Allow: ${METHOD_REFUSAL_HEADERS.allow}`] : []),
		`Content-Length: ${body.length}`,
		...SECURITY_HEADERS.map(([name, value]) => `${name}: ${value}`)
	];
	socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
}

// This server speaks plain http. Without ORIGIN or PROTOCOL_HEADER, adapter-node would assume
// https and refuse every form (cross-site check) and set Secure cookies a browser never returns
// over http; so the scheme is passed in a header this wrapper always overwrites. Behind a TLS
// proxy, set ORIGIN (or PROTOCOL_HEADER=x-forwarded-proto).
const SCHEME_HEADER = 'x-sdusn-scheme';

/** @returns {import('../src/lib/server/config.js').Config} */
function configOrFail() {
	try {
		return readConfig(process.env);
	} catch (error) {
		if (error instanceof ConfigError) fail(error.message);
		throw error;
	}
}

/** Starts the portal (below); an error nobody foresaw ends it with one French line. */
export async function main() {
	try {
		await serve();
	} catch (error) {
		await failedToStart(error);
	}
}

async function serve() {
	requireSupportedNode();
	const config = configOrFail();
	const { port, host } = config;
	const injectScheme = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
	if (injectScheme) process.env.PROTOCOL_HEADER = SCHEME_HEADER;
	/** @type {import('node:http').RequestListener | undefined} */
	let handler;
	const server = createPortalServer(
		(req, res) => {
			if (handler) return handler(req, res);
			res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' });
			res.end('Le portail démarre : réessayez dans quelques secondes.\n');
		},
		{ injectScheme, behindProxy: Boolean(config.addressHeader) }
	);
	server.on('error', (/** @type {NodeJS.ErrnoException} */ error) =>
		fail(listenFailure(error, port, host))
	);
	// The port first: a port already taken stops here, before any build, database file or migration.
	await new Promise((resolve) => server.listen(port, host, () => resolve(undefined)));
	// `npm run serve` (production): the build made on the build machine, never rebuilt here.
	if (process.argv.includes('--sans-construction')) {
		if (!existsSync(builtHandler))
			fail('Le portail n’est pas construit : lancez « npm run build » avant « npm run serve ».');
	} else buildIfNeeded();
	// A stop asked while the build loads (migrations, seed) waits for it, then stops as below: the
	// database is closed and the pid file removed, where Node's default would end at once. Listened
	// for before the pid file is written: a signal sent as soon as it appears, before any listener,
	// ended the process at once, the file left behind.
	/** @type {NodeJS.Signals | null} */
	let askedEarly = null;
	const early = (/** @type {NodeJS.Signals} */ signal) => (askedEarly ??= signal);
	process.on('SIGTERM', early);
	process.on('SIGINT', early);
	const removePidFile = claimDatabase(config.databasePath);
	handler = answerSvelteKitAddresses(
		/** @type {import('node:http').RequestListener} */ (await loadHandler()),
		appFilesOf(join(root, 'build', 'client'))
	);
	logStarted(config);
	const stop = stopper(server, config.shutdownTimeoutMs, removePidFile);
	// `stop` listens before `early` goes: a signal without any listener is no longer watched, and
	// one received while the start-up blocked the process, not yet handled, would be dropped.
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
	process.off('SIGTERM', early);
	process.off('SIGINT', early);
	if (askedEarly) stop(askedEarly);
}

/**
 * Why the server could not listen on `host`:`port`, in French.
 * @param {NodeJS.ErrnoException} error @param {number} port @param {string} host
 */
function listenFailure(error, port, host) {
	if (error.code === 'EADDRINUSE')
		return `Le port ${port} est déjà utilisé par un autre programme : arrêtez-le ou choisissez un autre port avec PORT=…`;
	if (error.code === 'EACCES')
		return `Le port ${port} n’est pas autorisé pour cet utilisateur : choisissez un port au-dessus de 1024 avec PORT=…`;
	if (error.code === 'EADDRNOTAVAIL')
		return `L’adresse « ${host} » n’existe pas sur cette machine : corrigez la variable HOST.`;
	return `Le serveur n’a pas pu écouter sur ${host}:${port} (${error.code ?? error.message}).`;
}

/**
 * Claims the database at `databasePath` for this server, before it is opened and migrated (from
 * then on, db:restore refuses): its pid file written beside it, refused when another server of the
 * portal uses it. Returns what removes that file, which the process's exit does too.
 * @param {string} databasePath @returns {() => void}
 */
function claimDatabase(databasePath) {
	// On standard error, as every command does: standard output holds only the log's JSON lines.
	const databaseFile = resolve(databasePath);
	process.stderr.write(`Base de données : ${databaseFile}\n`);
	const pidFile = resolve(pidFileOf(databasePath));
	// One server per database: a second one would remove the first's pid file when it stops, and
	// db:restore would then take the database for unused while the first still writes to it.
	const running = runningServerPid(databasePath);
	if (running !== null && running !== process.pid)
		fail(
			`La base ${databaseFile} est déjà utilisée par un autre serveur du portail (processus ${running}) : arrêtez-le avant d’en démarrer un autre sur la même base. Si aucun serveur du portail ne tourne (un arrêt brutal a laissé son fichier, et ce numéro est passé à un autre programme), supprimez ${pidFile}.`
		);
	try {
		mkdirSync(dirname(databaseFile), { recursive: true, mode: 0o700 });
		writeFileSync(pidFile, pidFileText(), { mode: 0o600 });
	} catch (caught) {
		const code = /** @type {NodeJS.ErrnoException} */ (caught).code ?? String(caught);
		if (code === 'ENOSPC')
			fail(
				`Le disque de la base (${dirname(databaseFile)}) est plein : libérez de la place, puis redémarrez le portail.`
			);
		fail(
			`Le portail ne peut pas écrire à côté de la base (${pidFile} : ${code}) : DATABASE_PATH doit désigner un fichier dans un dossier où l’utilisateur du service peut écrire.`
		);
	}
	// However the process ends (a start that fails on a refused plan workbook, an unexpected error),
	// no pid file stays behind: its number, given later to another process, would make db:restore
	// refuse. (A SIGKILL leaves it; db:restore then finds its process gone.)
	// Only its own: never the file of another server's process.
	const removePidFile = () => {
		if (existsSync(pidFile) && pidInFile(readFileSync(pidFile, 'utf8')) === process.pid)
			rmSync(pidFile, { force: true });
	};
	process.once('exit', removePidFile);
	return removePidFile;
}

/**
 * The log's lines once the portal answers: where, on which Node and build; the variables that look
 * like the portal's but are not read; the backups' folder.
 * @param {import('../src/lib/server/config.js').Config} config
 */
function logStarted(config) {
	const { port, host } = config;
	const shown = host === '0.0.0.0' ? 'localhost' : host;
	const listening = `http://${shown}:${port}/`;
	// Behind a proxy, the address people use is ORIGIN; the one the server listens on is said beside.
	log().info(
		{ event: 'start', node: process.version, version: builtVersion(), port, host },
		config.origin
			? `Portail SDUSN disponible sur ${config.origin}/ (écoute sur ${listening}, Node ${process.version})`
			: `Portail SDUSN disponible sur ${listening} (Node ${process.version})`
	);
	for (const { name, known } of lookalikeVariables(process.env))
		log().warn(
			{ event: 'unknown-variable', variable: name, known },
			`La variable ${name} n’est pas lue par le portail : vouliez-vous dire ${known} ?`
		);
	log().info({ event: 'backups', dir: config.backups?.dir ?? null }, backupsLine(config.backups));
}

/**
 * What stops the portal on a signal, once: no new connection, the requests under way ended (at
 * most `timeoutMs`), then the server code's own stops (finish), and the process exits.
 * @param {import('node:http').Server} server @param {number} timeoutMs
 * @param {() => void} removePidFile
 * @returns {(signal: NodeJS.Signals) => void}
 */
function stopper(server, timeoutMs, removePidFile) {
	let stopping = false;
	const finish = finisher(timeoutMs, removePidFile);
	return (signal) => {
		if (stopping) return;
		stopping = true;
		log().info(
			{ event: 'stopping', signal, timeoutMs },
			'Arrêt demandé : plus de nouvelle connexion, fin des requêtes en cours'
		);
		let closed = false;
		server.close(() => {
			closed = true;
			finish(0);
		});
		server.closeIdleConnections();
		setTimeout(() => {
			// Every request had ended: what still runs is finish()'s, under its own limit.
			if (closed) return;
			log().warn(
				{ event: 'stop-timeout', stage: 'requests' },
				'Requêtes encore en cours à la fin du délai : coupées'
			);
			server.closeAllConnections();
			finish(0);
		}, timeoutMs).unref();
	};
}

/**
 * What ends the process with `code`, once: the server code stops its timers and the mail sender
 * (after the message being handed to the relay, if any), then closes its database
 * (hooks.server.ts), listeners of SHUTDOWN_EVENT adding what to wait for, at most `timeoutMs`.
 * @param {number} timeoutMs @param {() => void} removePidFile
 * @returns {(code: number) => void}
 */
function finisher(timeoutMs, removePidFile) {
	let finishing = false;
	return (code) => {
		if (finishing) return;
		finishing = true;
		/** @type {Promise<unknown>[]} */
		const waits = [];
		/** @type {import('node:events').EventEmitter} */ (process).emit(SHUTDOWN_EVENT, waits);
		const limit = new Promise((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
		void Promise.race([Promise.allSettled(waits).then(() => true), limit])
			.then((done) => {
				if (!done)
					log().warn(
						{ event: 'stop-timeout', stage: 'tasks' },
						'Tâches d’arrêt encore en cours à la fin du délai (envoi de courrier, fermeture de la base) : coupées'
					);
				removePidFile();
				log().info({ event: 'stopped' }, 'Portail arrêté');
				return flushLog();
			})
			.then(() => process.exit(code));
	};
}

/** Emitted on the process once the HTTP server has stopped, before exiting. */
export const SHUTDOWN_EVENT = 'sdusn:shutdown';

/** package.json's version and the build's name, as `/sante` gives them (build/client/_app/version.json). */
function builtVersion() {
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
	let build = '';
	try {
		const file = join(root, 'build', 'client', '_app', 'version.json');
		build = String(JSON.parse(readFileSync(file, 'utf8')).version ?? '');
	} catch {
		build = '';
	}
	return portalVersion(String(pkg.version), build);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
