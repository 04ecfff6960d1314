import { spawnSync } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	utimesSync,
	writeFileSync
} from 'node:fs';
import { createServer as createHttpServer, get as httpGet, type Server } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
	answerSvelteKitAddresses,
	appFilesOf,
	buildIsStale,
	buildStep,
	createPortalServer,
	MISSING_APP_FILE_MESSAGE,
	ROUTE_RESOLUTION_MESSAGE,
	MAX_CONNECTIONS_PER_ADDRESS,
	proxySettingsProblem,
	SERVER_ENV,
	SERVER_NODE_FLAGS,
	SERVER_TIMEOUTS,
	startFailureLine,
	withoutPreviewHint
} from './start.js';
import { METHOD_NOT_ALLOWED_MESSAGE } from '../src/lib/server/http/method-refusal.js';
import { sql } from 'kysely';
import { openDatabase } from '../src/lib/server/db';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { scratchDir } from '../src/lib/server/db/testing';
import { SenderLease } from '../src/lib/server/mail/sender-lease';

/** What the server answers to `request`, written as is on a connection of its own. */
function exchange(port: number, request: string) {
	return new Promise<string>((resolve, reject) => {
		const socket = connect(port, '127.0.0.1', () => socket.end(request));
		const chunks: Buffer[] = [];
		socket.on('data', (chunk: Buffer) => chunks.push(chunk));
		socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
		socket.on('error', reject);
	});
}

describe('npm start', () => {
	it('gives the server the same memory budget and allocator setting as the benchmark does', () => {
		const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
			scripts: Record<string, string>;
		};
		const env = Object.entries(SERVER_ENV).map(([name, value]) => `${name}=${value} `);
		const node = `${env.join('')}node ${SERVER_NODE_FLAGS.join(' ')} scripts/start.js`;
		expect(pkg.scripts.start).toBe(node);
		expect(pkg.scripts.serve).toBe(`${node} --sans-construction`);
		const unit = readFileSync(new URL('../docs/operations.md', import.meta.url), 'utf8');
		expect(unit).toContain(
			`ExecStart=/usr/bin/node ${SERVER_NODE_FLAGS.join(' ')} scripts/start.js --sans-construction`
		);
		for (const [name, value] of Object.entries(SERVER_ENV))
			expect(unit).toContain(`Environment=${name}=${value}`);
	});
});

describe('npm start, whether to build', () => {
	/**
	 * A project folder: a build made at `built`, src/lib/a.ts modified at `edited` and the folders
	 * src and src/lib at `folders` (seconds), with Vite installed (development) or not (production).
	 */
	function project(times: { built: number; edited: number; folders: number }, withVite: boolean) {
		const dir = mkdtempSync(join(tmpdir(), 'sdusn-stale-'));
		mkdirSync(join(dir, 'build'));
		writeFileSync(join(dir, 'build', 'handler.js'), '');
		utimesSync(join(dir, 'build', 'handler.js'), times.built, times.built);
		mkdirSync(join(dir, 'src', 'lib'), { recursive: true });
		writeFileSync(join(dir, 'src', 'lib', 'a.ts'), '');
		utimesSync(join(dir, 'src', 'lib', 'a.ts'), times.edited, times.edited);
		for (const folder of ['src', 'src/lib'])
			utimesSync(join(dir, folder), times.folders, times.folders);
		if (withVite) {
			mkdirSync(join(dir, 'node_modules', 'vite', 'bin'), { recursive: true });
			writeFileSync(join(dir, 'node_modules', 'vite', 'bin', 'vite.js'), '');
		}
		return dir;
	}
	const older = 1_000_000;
	const newer = 2_000_000;

	it('in a development checkout, builds again after a source file was changed or deleted', () => {
		const fresh = project({ built: newer, edited: older, folders: older }, true);
		const edited = project({ built: older, edited: newer, folders: older }, true);
		// A file deleted after the build: no remaining file is newer, its folder is.
		const deleted = project({ built: newer, edited: older, folders: newer + 60 }, true);
		try {
			expect(buildStep(fresh)).toBe('serve');
			expect(buildIsStale(edited)).toBe(true);
			expect(buildStep(edited)).toBe('build');
			expect(buildIsStale(deleted)).toBe(true);
			expect(buildStep(deleted)).toBe('build');
		} finally {
			for (const dir of [fresh, edited, deleted]) rmSync(dir, { recursive: true });
		}
	});

	it('in a production install, compares the build with the files only: the archive’s folders are as recent as its extraction', () => {
		const extracted = project({ built: newer, edited: older, folders: newer + 60 }, false);
		try {
			expect(buildIsStale(extracted)).toBe(false);
			expect(buildStep(extracted)).toBe('serve');
		} finally {
			rmSync(extracted, { recursive: true });
		}
	});

	it('never builds where Vite is not installed (production): serves the build, or stops', () => {
		const dir = project({ built: older, edited: newer, folders: newer + 60 }, false);
		try {
			expect(buildStep(dir)).toBe('serve-stale');
			rmSync(join(dir, 'build'), { recursive: true });
			expect(buildStep(dir)).toBe('missing');
		} finally {
			rmSync(dir, { recursive: true });
		}
	});
});

// Review s59, ops: a start on a full disk said « erreur inattendue » and advised LOG_LEVEL=debug.
describe('a start stopped by a full disk', () => {
	it('says the disk is full when the mail sender’s lease insert meets SQLITE_FULL', async () => {
		const file = join(scratchDir('start-disk-full'), 'sdusn.db');
		const db = openDatabase(file);
		try {
			await migrateToLatest(db);
			// A real SQLITE_FULL on the lease's own insert: the database may not grow by one page,
			// and the trigger makes each insert into mail_sender first write a 64 KB row.
			await sql`CREATE TABLE ballast (b BLOB)`.execute(db);
			await sql`CREATE TRIGGER ballast_before_lease BEFORE INSERT ON mail_sender
				BEGIN INSERT INTO ballast VALUES (zeroblob(65536)); END`.execute(db);
			const { rows } = await sql<{ pages: number }>`
				SELECT page_count AS pages FROM pragma_page_count()`.execute(db);
			await sql.raw(`pragma max_page_count = ${rows[0]!.pages}`).execute(db);
			const error = await new SenderLease(db, Date.now).take().then(
				() => null,
				(caught: unknown) => caught
			);
			expect((error as { code?: string } | null)?.code).toBe('SQLITE_FULL');
			expect(startFailureLine(error, { DATABASE_PATH: file })).toBe(
				`Le disque de la base de données « ${file} » est plein : libérez de la place, puis redémarrez le portail.`
			);
		} finally {
			await db.destroy();
		}
	});

	it('keeps the line of an error nobody foresaw for anything else', () => {
		expect(startFailureLine(new TypeError('x is not a function'), {})).toBe(
			'Le portail n’a pas pu démarrer à cause d’une erreur inattendue : x is not a function (TypeError). Relancez-le avec LOG_LEVEL=debug pour lire sa pile d’appels dans le journal du serveur.'
		);
	});
});

describe('proxy settings', () => {
	it.each([
		[{}, null],
		[{ ADDRESS_HEADER: 'X-Forwarded-For' }, null],
		[{ ADDRESS_HEADER: 'X-Forwarded-For', XFF_DEPTH: '2' }, null],
		[{ ADDRESS_HEADER: 'X-Real-IP' }, null],
		[{ ADDRESS_HEADER: 'X Forwarded For' }, /n’est pas un nom d’en-tête/],
		[{ XFF_DEPTH: '1' }, /sans ADDRESS_HEADER/],
		[{ ADDRESS_HEADER: 'X-Real-IP', XFF_DEPTH: '1' }, /ne s’applique qu’à/],
		[{ ADDRESS_HEADER: 'X-Forwarded-For', XFF_DEPTH: '0' }, /au moins 1/],
		[{ ADDRESS_HEADER: 'X-Forwarded-For', XFF_DEPTH: 'deux' }, /au moins 1/]
	] as const)('%j', (env, expected) => {
		const problem = proxySettingsProblem(env);
		if (expected === null) expect(problem).toBeNull();
		else expect(problem).toMatch(expected);
	});

	it('stops npm start with one French sentence when the setting cannot be honoured', () => {
		const result = spawnSync(
			process.execPath,
			[fileURLToPath(new URL('./start.js', import.meta.url))],
			{
				env: { ...process.env, PORT: '1', ADDRESS_HEADER: 'X-Real-IP', XFF_DEPTH: '1' },
				encoding: 'utf8'
			}
		);
		expect(result.status).toBe(1);
		expect(result.stderr.trim()).toMatch(/^XFF_DEPTH ne s’applique qu’à/);
	});
});

describe('HTTP server', () => {
	async function listen(server: Server): Promise<number> {
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		return (server.address() as AddressInfo).port;
	}

	it('cuts slow clients off well before Node’s 300 s', () => {
		const server = createPortalServer(() => undefined, { injectScheme: false, behindProxy: false });
		expect(server.requestTimeout).toBe(SERVER_TIMEOUTS.requestTimeout);
		expect(server.headersTimeout).toBe(SERVER_TIMEOUTS.headersTimeout);
		expect(server.keepAliveTimeout).toBe(SERVER_TIMEOUTS.keepAliveTimeout);
		expect(server.requestTimeout).toBeLessThanOrEqual(60_000);
		expect(server.headersTimeout).toBeLessThan(server.requestTimeout);
	});

	it('puts the security headers on answers the application never sees', async () => {
		const server = createPortalServer(
			(_req, res) => {
				res.writeHead(200, { 'content-type': 'text/plain' });
				res.end('fichier statique');
			},
			{ injectScheme: false, behindProxy: false }
		);
		const port = await listen(server);
		try {
			const response = await fetch(`http://127.0.0.1:${port}/robots.txt`);
			expect(response.headers.get('x-content-type-options')).toBe('nosniff');
			expect(response.headers.get('x-frame-options')).toBe('DENY');
			expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		} finally {
			server.close();
		}
	});

	it('answers in French the requests Node refuses before the portal sees them', async () => {
		const server = createPortalServer(
			(_req, res) => {
				res.writeHead(200, { 'content-type': 'text/plain' });
				res.end('page');
			},
			{ injectScheme: false, behindProxy: false }
		);
		const port = await listen(server);
		const send = (request: string) => exchange(port, request);
		try {
			const tooLarge = await send(
				`GET / HTTP/1.1\r\nHost: portail\r\nCookie: a=${'x'.repeat(20_000)}\r\n\r\n`
			);
			const [head, body] = tooLarge.split('\r\n\r\n');
			expect(head).toMatch(/^HTTP\/1\.1 431 /);
			expect(head).toContain('Content-Type: text/plain; charset=utf-8');
			expect(head).toContain('X-Content-Type-Options: nosniff');
			expect(head).toContain(`Content-Length: ${Buffer.byteLength(body!)}`);
			expect(body).toContain('effacez les cookies de ce site');
			// A very long address is refused the same way, and the answer says so too.
			const longAddress = await send(
				`GET /fiches?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: portail\r\n\r\n`
			);
			expect(longAddress).toMatch(/^HTTP\/1\.1 431 /);
			expect(longAddress).toContain('Si l’adresse de la page est très longue, raccourcissez-la');
			const malformed = await send('GET / HTTP/1.1\r\nHost: portail\r\nsans deux-points\r\n\r\n');
			expect(malformed).toMatch(/^HTTP\/1\.1 400 /);
			expect(malformed).toContain('Requête mal formée');
			expect(await send('GET / HTTP/1.1\r\nHost: portail\r\nConnection: close\r\n\r\n')).toMatch(
				/^HTTP\/1\.1 200 /
			);
		} finally {
			server.close();
		}
	});

	it('refuses TRACE and TRACK as SvelteKit refuses PUT: 405 in French, not kept', async () => {
		const server = createPortalServer(
			answerSvelteKitAddresses((_req, res) => res.end('page'), new Set()),
			{ injectScheme: false, behindProxy: false }
		);
		const port = await listen(server);
		const send = (request: string) => exchange(port, request);
		try {
			for (const method of ['TRACE', 'TRACK']) {
				const answer = await send(
					`${method} / HTTP/1.1\r\nHost: portail\r\nConnection: close\r\n\r\n`
				);
				expect(answer, method).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
				expect(answer.toLowerCase(), method).toContain('cache-control: private, no-store');
				expect(answer.toLowerCase(), method).toContain('allow: get, head');
				expect(answer.toLowerCase(), method).toContain('x-content-type-options: nosniff');
				expect(answer, method).toContain(METHOD_NOT_ALLOWED_MESSAGE);
			}
			expect(await send('GET / HTTP/1.1\r\nHost: portail\r\nConnection: close\r\n\r\n')).toMatch(
				/page$/
			);
		} finally {
			server.close();
		}
	});

	it('caps the open connections of one address', async () => {
		const server = createPortalServer(() => undefined, { injectScheme: false, behindProxy: false });
		const port = await listen(server);
		const sockets: Socket[] = [];
		try {
			const closed = await Promise.all(
				Array.from(
					{ length: MAX_CONNECTIONS_PER_ADDRESS + 5 },
					() =>
						new Promise<boolean>((resolve) => {
							const socket = connect(port, '127.0.0.1');
							sockets.push(socket);
							socket.on('close', () => resolve(true));
							socket.on('error', () => resolve(true));
							setTimeout(() => resolve(false), 1_000);
						})
				)
			);
			expect(closed.filter(Boolean)).toHaveLength(5);
		} finally {
			for (const socket of sockets) socket.destroy();
			server.close();
		}
	});
});

describe('npm start, before anything else', () => {
	it('stops on a port already taken without building, creating or migrating a database', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sdusn-start-'));
		const blocker = createServer();
		await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
		const port = (blocker.address() as AddressInfo).port;
		try {
			const database = join(dir, 'jamais-creee.db');
			const result = spawnSync(
				process.execPath,
				[fileURLToPath(new URL('./start.js', import.meta.url))],
				{
					env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: database },
					encoding: 'utf8',
					timeout: 20_000
				}
			);
			expect(result.status).toBe(1);
			expect(result.stderr).toContain(`Le port ${port} est déjà utilisé`);
			expect(result.stderr).not.toContain('Construction du portail');
			expect(existsSync(database)).toBe(false);
		} finally {
			blocker.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});

	// Left as noticed in s46: a FIFO as DATABASE_PATH, or a path under /proc, made npm start wait
	// for ever (SQLite's open of a pipe, Node's mkdir under /proc), without a word.
	it('refuses a DATABASE_PATH that is a pipe, a folder or under /proc, in one French line', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sdusn-start-'));
		// A port taken: a start that did not refuse the path first stops there, never builds nor hangs.
		const blocker = createServer();
		await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
		const port = String((blocker.address() as AddressInfo).port);
		try {
			const fifo = join(dir, 'tube.db');
			expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
			const start = (databasePath: string) =>
				spawnSync(process.execPath, [fileURLToPath(new URL('./start.js', import.meta.url))], {
					env: { ...process.env, PORT: port, HOST: '127.0.0.1', DATABASE_PATH: databasePath },
					encoding: 'utf8',
					timeout: 20_000
				});
			for (const [path, said] of [
				[fifo, 'qui n’est pas un fichier ordinaire'],
				[dir, 'qui est un dossier'],
				[join(fifo, 'sdusn.db'), `sous « ${fifo} », qui n’est pas un dossier`],
				['/proc/sdusn/sdusn.db', 'sous /proc']
			] as const) {
				const result = start(path);
				expect(result.signal, path).toBeNull();
				expect(result.status, path).toBe(1);
				expect(result.stderr.trim(), path).toMatch(/^DATABASE_PATH désigne « [^\n]*$/);
				expect(result.stderr, path).toContain(said);
			}
			expect(readdirSync(dir)).toEqual(['tube.db']);
		} finally {
			blocker.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('leaves out SvelteKit’s « npm run preview » advice from the build output it shows', () => {
		expect(
			withoutPreviewHint(
				'✓ built in 9s\n\nRun npm run preview to preview your production build locally.\n'
			)
		).toBe('✓ built in 9s\n\n');
	});
});

describe('addresses SvelteKit answers itself in English', () => {
	it('files under /_app/ the build does not have and /__route.js are answered in French; the build’s files and SvelteKit’s own go on', async () => {
		const client = mkdtempSync(join(tmpdir(), 'sdusn-client-'));
		mkdirSync(join(client, '_app', 'immutable', 'entry'), { recursive: true });
		writeFileSync(join(client, '_app', 'immutable', 'entry', 'app.Ab1.js'), '');
		writeFileSync(join(client, '_app', 'version.json'), '{}');
		const files = appFilesOf(client);
		expect([...files].sort()).toEqual(['/_app/immutable/entry/app.Ab1.js', '/_app/version.json']);
		const server = createHttpServer(
			answerSvelteKitAddresses((_req, res) => res.end('suite'), files)
		).listen(0, '127.0.0.1');
		await new Promise((resolve) => server.once('listening', resolve));
		const port = (server.address() as AddressInfo).port;
		const base = `http://127.0.0.1:${port}`;
		// The path sent as written (fetch would resolve « .. » before sending).
		const raw = (path: string) =>
			new Promise<string>((resolve, reject) => {
				httpGet({ host: '127.0.0.1', port, path }, (res) => {
					let body = '';
					res.on('data', (chunk: Buffer) => (body += chunk));
					res.on('end', () => resolve(body));
				}).on('error', reject);
			});
		try {
			const missing = await fetch(`${base}/_app/immutable/entry/app.Old9.js?v=1`);
			expect(missing.status).toBe(404);
			expect(missing.headers.get('content-type')).toBe('text/plain; charset=utf-8');
			expect(missing.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
			expect(await missing.text()).toBe(MISSING_APP_FILE_MESSAGE);
			for (const path of ['/__route.js', '/fiches/__route.js?x=1', '/x/../__route.js']) {
				const route = await fetch(`${base}${path}`);
				expect(route.status, path).toBe(404);
				expect(await route.text(), path).toBe(ROUTE_RESOLUTION_MESSAGE);
			}
			const head = await fetch(`${base}/_app/nothing.css`, { method: 'HEAD' });
			expect(head.status).toBe(404);
			for (const path of ['/_app', '/_apple', '/_app?x=1', '/%5fapp/x.js', '/_%61pp/x.js'])
				expect(await (await fetch(`${base}${path}`)).text(), path).toBe(MISSING_APP_FILE_MESSAGE);
			for (const path of [
				'/_app/immutable/entry/app.Ab1.js',
				'/_app/immutable/entry/app%2EAb1.js',
				'/_app/version.json',
				'/_app/env.js',
				'/_app/%E0%A4%A',
				'/_app/../fiches',
				'/_app/%2e%2e/fiches',
				'/%5Fapp/version.json',
				'/%66iches',
				'/_autre',
				'/fiches',
				'/__route.js/x',
				'/__route%2Ejs',
				'/__route.json'
			])
				expect(await raw(path), path).toBe('suite');
		} finally {
			server.close();
			rmSync(client, { recursive: true, force: true });
		}
	});
});
