import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

import { SERVER_ENV, SERVER_NODE_FLAGS } from './server-flags.js';

/**
 * scripts/start.js, found from the project's folder: this module runs from scripts/ (tsx) and,
 * compiled into the report command, from build/ops/.
 */
function startScript(): string {
	let dir = dirname(fileURLToPath(import.meta.url));
	while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
	return join(dir, 'scripts', 'start.js');
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
		server.on('error', reject);
	});
}

/**
 * The environment of a portal a test, the benchmark or the report starts as a child: this
 * process's own, `env` over it, on loopback `port` and `databasePath`. Behind a proxy
 * (ADDRESS_HEADER), the portal refuses to start without its public address: unless `env` gives
 * one, its ORIGIN is the child's own address.
 */
export function childPortalEnv(
	port: number,
	databasePath: string,
	env: Record<string, string> = {}
): NodeJS.ProcessEnv {
	return {
		...process.env,
		...(env.ADDRESS_HEADER && !env.ORIGIN ? { ORIGIN: `http://127.0.0.1:${port}` } : {}),
		...env,
		PORT: String(port),
		HOST: '127.0.0.1',
		DATABASE_PATH: databasePath
	};
}

/** Starts the built portal (`npm start`'s script) on a free loopback port and a given database. */
export async function startPortal(
	databasePath: string,
	env: Record<string, string> = {},
	/** Node flags added to the server's own (the benchmark's --profile: --cpu-prof…). */
	nodeFlags: string[] = []
): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
	const port = await freePort();
	const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...nodeFlags, startScript()], {
		env: { ...SERVER_ENV, ...childPortalEnv(port, databasePath, env) },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	// The output is kept until the portal says it is ready, for the message if it stops before.
	// After that it is read and dropped: the server logs a line per request at the default level,
	// and keeping them (searched again on each chunk) had the benchmark's own process, which also
	// runs autocannon, slow down more and more over a run.
	let output = '';
	let ready = false;
	await new Promise<void>((resolve, reject) => {
		child.stdout!.on('data', (chunk: Buffer) => {
			if (ready) return;
			output += chunk.toString();
			if (output.includes('disponible sur')) {
				ready = true;
				output = '';
				resolve();
			}
		});
		child.stderr!.on('data', (chunk: Buffer) => {
			if (!ready) output += chunk.toString();
		});
		child.on('exit', (code) =>
			reject(new Error(`Le portail s’est arrêté (code ${code}) : ${output.trim()}`))
		);
	});
	const stop = () =>
		new Promise<void>((resolve) => {
			if (child.exitCode !== null) return resolve();
			child.once('exit', () => resolve());
			child.kill('SIGTERM');
		});
	return { url: `http://127.0.0.1:${port}`, child, stop };
}
