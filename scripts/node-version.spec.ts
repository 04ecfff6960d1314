import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MINIMUM_NODE_MAJOR, unsupportedNodeMessage } from './node-version.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
	engines: { node: string };
	dependencies: Record<string, string>;
	devDependencies: Record<string, string>;
};
const majorOf = (range: string) => Number(/(\d+)/.exec(range)?.[1]);

describe('the Node the portal runs on', () => {
	it('is one version for engines, .nvmrc, @types/node and the guard', () => {
		expect(majorOf(pkg.engines.node)).toBe(MINIMUM_NODE_MAJOR);
		expect(majorOf(read('.nvmrc'))).toBe(MINIMUM_NODE_MAJOR);
		expect(majorOf(pkg.devDependencies['@types/node'] ?? '')).toBe(MINIMUM_NODE_MAJOR);
	});

	it('accepts the Node that runs this suite', () => {
		expect(unsupportedNodeMessage(process.version, process.execPath)).toBeNull();
	});

	it.each([
		['v16.20.0', false],
		['v18.19.0', false],
		['v20.20.2', true],
		['v22.14.0', true],
		['v24.0.0', true],
		['v24.21.0', true],
		['v26.10.0', true]
	])('%s is accepted: %s', (version, accepted) => {
		const message = unsupportedNodeMessage(version, '/usr/bin/node');
		if (accepted) expect(message).toBeNull();
		else
			expect(message).toBe(
				`Le portail demande Node 20 ou plus récent, et /usr/bin/node est Node ${version} : ` +
					'installez Node 20 ou plus récent, puis relancez « npm ci ».'
			);
	});
});

// The machine's own Node, when it is older than the portal's (Node 20 on this workplace's
// machines and in CI): started with it directly, the server and the ops commands refuse in French
// before anything opens the database (better-sqlite3 13 would crash Node 20 without a word).
const systemNode = '/usr/bin/node';
const systemNodeVersion = existsSync(systemNode)
	? spawnSync(systemNode, ['-p', 'process.version'], { encoding: 'utf8' }).stdout.trim()
	: '';
const oldSystemNode = unsupportedNodeMessage(systemNodeVersion, systemNode) !== null;

describe.skipIf(!systemNodeVersion || !oldSystemNode)(`started with ${systemNode}`, () => {
	it.each([['start.js'], ['ops.js', 'db-migrate']])(
		'scripts/%s refuses, with one French line, without creating the database',
		(script, ...args) => {
			const dir = mkdtempSync(join(tmpdir(), 'sdusn-node-'));
			try {
				const database = join(dir, 'jamais-creee.db');
				const result = spawnSync(
					systemNode,
					[fileURLToPath(new URL(`./${script}`, import.meta.url)), ...args],
					{
						env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: database },
						encoding: 'utf8',
						timeout: 20_000
					}
				);
				expect(result.status).toBe(1);
				expect(result.stderr).toBe(`${unsupportedNodeMessage(systemNodeVersion, systemNode)}\n`);
				expect(existsSync(database)).toBe(false);
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		}
	);
});
