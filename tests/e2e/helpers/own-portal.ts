import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { childPortalEnv, freePort } from '../../../scripts/serve-child';
import { userCreate } from './accounts';

/** The folders this worker made (scratchDir) and the servers it started, gone when it exits. */
const made = { dirs: new Set<string>(), children: new Set<ChildProcess>() };
process.once('exit', () => {
	for (const child of made.children)
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	for (const dir of made.dirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * A new folder under the system's temporary one, removed when the Playwright worker exits: a test
 * may still read it after its server stopped (the pid file, the database), and a run leaves
 * nothing behind.
 */
export function scratchDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'sdusn-ops-'));
	made.dirs.add(dir);
	return dir;
}

export interface OwnPortal {
	url: string;
	port: number;
	dir: string;
	databasePath: string;
	child: ChildProcess;
	/** Every line the server wrote on standard output and error so far. */
	output: () => string;
	/** The JSON log lines so far. */
	logLines: () => Record<string, unknown>[];
	exited: Promise<number | null>;
}

/**
 * Starts the built portal (scripts/start.js, as `npm start` does) in a process of its own, on a
 * free loopback port and a fresh database (or a copy of `copyOf`): for tests that stop it or read
 * its log, and for every spec that imports its `test` from ./portal.
 */
export async function startOwnPortal(
	env: Record<string, string> = {},
	{ copyOf }: { copyOf?: string } = {}
): Promise<OwnPortal> {
	const dir = scratchDir();
	const databasePath = join(dir, 'sdusn.db');
	// A copy of an already migrated and seeded file starts in a second, without seeding again.
	if (copyOf) copyFileSync(copyOf, databasePath);
	const port = await freePort();
	// The suite's web server has just built the portal: never build again (a source edited since
	// would start a build longer than a test).
	const child = spawn(process.execPath, ['scripts/start.js', '--sans-construction'], {
		env: childPortalEnv(port, databasePath, env),
		stdio: ['ignore', 'pipe', 'pipe']
	});
	made.children.add(child);
	let output = '';
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
	await new Promise<void>((resolve, reject) => {
		const timer = setInterval(() => {
			if (output.includes('disponible sur')) {
				clearInterval(timer);
				clearTimeout(deadline);
				resolve();
			}
		}, 50);
		const deadline = setTimeout(() => {
			clearInterval(timer);
			child.kill('SIGKILL');
			reject(new Error(`Le portail n’a pas démarré en deux minutes : ${output}`));
		}, 120_000);
		void exited.then((code) => {
			clearTimeout(deadline);
			clearInterval(timer);
			reject(new Error(`Le portail s’est arrêté (code ${code}) : ${output}`));
		});
	});
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		dir,
		databasePath,
		child,
		output: () => output,
		logLines: () =>
			output
				.split('\n')
				.filter((line) => line.startsWith('{'))
				.map((line) => JSON.parse(line) as Record<string, unknown>),
		exited
	};
}

/** Creates an account in the portal's database with the real command (password on stdin). */
export function createAccount(
	databasePath: string,
	account: Parameters<typeof userCreate>[1]
): void {
	const result = userCreate(databasePath, account);
	if (result.status !== 0) throw new Error(`user:create: ${result.stderr}`);
}
