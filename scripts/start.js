// `npm start`: build when the build is missing or older than the sources, then serve the portal.
// Migrations and the plan seed run in the server's init hook, when build/handler.js is loaded.
// Failures the operator can fix end with one French line on stderr and a non-zero exit.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

/** @param {string} path @returns {number} */
function newestMtime(path) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
	return newest;
}

/**
 * The server's memory budget, given to V8 (`npm start` and the benchmark start the server with it):
 * without it V8 sizes its heap from the machine's memory and lets garbage pile up before
 * collecting; with it, the portal stays within what a small virtual machine offers.
 */
export const SERVER_NODE_FLAGS = ['--max-old-space-size=160'];

export function buildIsStale() {
	if (!existsSync(builtHandler)) return true;
	const built = statSync(builtHandler).mtimeMs;
	return SOURCES.some((source) => newestMtime(join(root, source)) > built);
}

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
	if (!buildIsStale()) return;
	process.stdout.write('Construction du portail (vite build)…\n');
	const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
	if (!existsSync(vite))
		fail('Les dépendances ne sont pas installées : lancez « npm ci » puis « npm start ».');
	const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8'
	});
	process.stdout.write(withoutPreviewHint(result.stdout ?? ''));
	if (result.status !== 0)
		fail('La construction du portail a échoué (voir les messages ci-dessus).');
}

function readPort() {
	const raw = process.env.PORT?.trim() || '3000';
	const port = Number(raw);
	if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
		fail(`Le port « ${raw} » n’est pas valable : indiquez dans PORT un nombre entre 1 et 65535.`);
	}
	return port;
}

async function loadHandler() {
	try {
		const { handler } = await import(pathToFileURL(builtHandler).href);
		return /** @type {import('node:http').RequestListener} */ (handler);
	} catch (caught) {
		const error = /** @type {Error} */ (caught);
		// Database problems arrive as StartupError with a French sentence; anything else is a bug.
		if (error?.name === 'StartupError') fail(error.message);
		process.stderr.write(`${error?.stack ?? String(caught)}\n`);
		fail('Le portail n’a pas pu démarrer à cause d’une erreur inattendue (détail ci-dessus).');
	}
}

// This server speaks plain http. Without ORIGIN or PROTOCOL_HEADER, adapter-node would assume
// https and refuse every form (cross-site check) and set Secure cookies a browser never returns
// over http; so the scheme is passed in a header this wrapper always overwrites. Behind a TLS
// proxy, set ORIGIN (or PROTOCOL_HEADER=x-forwarded-proto).
const SCHEME_HEADER = 'x-sdusn-scheme';

export async function main() {
	const port = readPort();
	const host = process.env.HOST?.trim() || '0.0.0.0';
	const injectScheme = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
	if (injectScheme) process.env.PROTOCOL_HEADER = SCHEME_HEADER;
	/** @type {import('node:http').RequestListener | undefined} */
	let handler;
	const server = createServer((req, res) => {
		if (!handler) {
			res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' });
			res.end('Le portail démarre : réessayez dans quelques secondes.\n');
			return;
		}
		if (injectScheme) req.headers[SCHEME_HEADER] = 'http';
		handler(req, res);
	});
	server.on('error', (/** @type {NodeJS.ErrnoException} */ error) => {
		if (error.code === 'EADDRINUSE') {
			fail(
				`Le port ${port} est déjà utilisé par un autre programme : arrêtez-le ou choisissez un autre port avec PORT=…`
			);
		}
		if (error.code === 'EACCES') {
			fail(
				`Le port ${port} n’est pas autorisé pour cet utilisateur : choisissez un port au-dessus de 1024 avec PORT=…`
			);
		}
		if (error.code === 'EADDRNOTAVAIL') {
			fail(`L’adresse « ${host} » n’existe pas sur cette machine : corrigez la variable HOST.`);
		}
		fail(`Le serveur n’a pas pu écouter sur ${host}:${port} (${error.code ?? error.message}).`);
	});
	// The port first: a port already taken stops here, before any build, database file or migration.
	await new Promise((resolve) => server.listen(port, host, () => resolve(undefined)));
	buildIfNeeded();
	const database = resolve(process.env.DATABASE_PATH?.trim() || join('data', 'sdusn.db'));
	process.stdout.write(`Base de données : ${database}\n`);
	handler = await loadHandler();
	const shown = host === '0.0.0.0' ? 'localhost' : host;
	process.stdout.write(`Portail SDUSN disponible sur http://${shown}:${port}/\n`);
	const stop = () => {
		server.close(() => process.exit(0));
		server.closeIdleConnections?.();
		setTimeout(() => process.exit(0), 5000).unref();
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
