// wrk (Debian's `wrk` package), beside autocannon in the three scenarios: a second load generator,
// written in C, that does not share Node's event loop with the figures it reports. Its figures are
// shown next to autocannon's; the targets stay checked on autocannon's, as before.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WrkRun {
	requestsPerSecond: number;
	latencyP99: number;
	/** Socket errors (connect, read, write, timeout) and answers outside 2xx and 3xx. */
	errors: number;
}

/** Whether wrk is installed (`apt-get install -y wrk`); without it the scenarios skip its figures. */
export function wrkAvailable(): boolean {
	return spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** Reads wrk's report (run with --latency): rate, 99th percentile, errors. */
export function parseWrk(output: string): WrkRun {
	const rate = /^Requests\/sec:\s+([\d.]+)/m.exec(output);
	const p99 = /^\s+99%\s+([\d.]+)(us|ms|s|m)\b/m.exec(output);
	if (!rate || !p99) throw new Error(`Sortie de wrk illisible :\n${output}`);
	const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
		output
	);
	const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output);
	const errors =
		(socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0) +
		(non2xx ? Number(non2xx[1]) : 0);
	return {
		requestsPerSecond: Math.round(Number(rate[1])),
		latencyP99: Math.round(Number(p99[1]) * (UNIT_MS[p99[2] as string] ?? 1) * 10) / 10,
		errors
	};
}

/** The Lua script that makes wrk ask for each path in turn. */
export function rotationScript(paths: string[]): string {
	return [
		`local paths = { ${paths.map((p) => JSON.stringify(p)).join(', ')} }`,
		'local i = 0',
		'request = function()',
		'  i = i % #paths + 1',
		'  return wrk.format(nil, paths[i])',
		'end',
		''
	].join('\n');
}

/** One wrk run (one thread, as autocannon runs on one core) against the paths, in rotation. */
export async function runWrk(
	base: string,
	paths: string[],
	options: { connections: number; duration: number; headers: Record<string, string> }
): Promise<WrkRun> {
	const dir = mkdtempSync(join(tmpdir(), 'sdusn-wrk-'));
	try {
		const script = join(dir, 'rotation.lua');
		writeFileSync(script, rotationScript(paths));
		const args = [
			'-t1',
			`-c${options.connections}`,
			`-d${options.duration}s`,
			'--latency',
			...Object.entries(options.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
			'-s',
			script,
			`${base}${paths[0]}`
		];
		const output = await new Promise<string>((resolve, reject) => {
			const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
			let text = '';
			child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
			child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
			child.on('error', reject);
			child.on('close', () => resolve(text));
		});
		return parseWrk(output);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
