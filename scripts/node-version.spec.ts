import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MINIMUM_NODE_VERSION, unsupportedNodeMessage } from './node-version.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
	engines: { node: string };
	dependencies: Record<string, string>;
	devDependencies: Record<string, string>;
};
const majorOf = (range: string) => Number(/(\d+)/.exec(range)?.[1]);

describe('the Node the portal runs on', () => {
	it('is one version for engines, .nvmrc, @types/node and the guard', () => {
		expect(pkg.engines.node).toBe(`>=${MINIMUM_NODE_VERSION}`);
		const major = majorOf(MINIMUM_NODE_VERSION);
		expect(majorOf(read('.nvmrc'))).toBe(major);
		expect(majorOf(pkg.devDependencies['@types/node'] ?? '')).toBe(major);
	});

	it('accepts the Node that runs this suite', () => {
		expect(unsupportedNodeMessage(process.version, process.execPath)).toBeNull();
	});

	it.each([
		['v16.20.0', false],
		['v18.19.0', false],
		['v20.0.0', false],
		['v20.5.0', false],
		['v20.18.3', false],
		['v20.19.0', true],
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
				`Le portail demande Node 20.19 ou plus récent, et /usr/bin/node est Node ${version} : ` +
					'installez Node 20.19 ou plus récent, puis relancez « npm ci ».'
			);
	});
});

// Started with a Node older than the portal's, the server and the ops commands refuse in French
// before anything opens the database. No older Node is installed here: the Node that runs the
// suite is told it is 20.18.3 by a module loaded before the script (`--import`), which is what the
// guard reads (process.version).
const oldVersion = 'v20.18.3';
const pretendOld = `data:text/javascript,Object.defineProperty(process,"version",{value:"${oldVersion}"})`;

describe(`started with a Node ${oldVersion}`, () => {
	it.each([['start.js'], ['ops.js', 'db-migrate']])(
		'scripts/%s refuses, with one French line, without creating the database',
		(script, ...args) => {
			const dir = mkdtempSync(join(tmpdir(), 'sdusn-node-'));
			try {
				const database = join(dir, 'jamais-creee.db');
				const result = spawnSync(
					process.execPath,
					['--import', pretendOld, fileURLToPath(new URL(`./${script}`, import.meta.url)), ...args],
					{
						env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: database },
						encoding: 'utf8',
						timeout: 20_000
					}
				);
				expect(result.status).toBe(1);
				expect(result.stderr).toBe(`${unsupportedNodeMessage(oldVersion, process.execPath)}\n`);
				expect(existsSync(database)).toBe(false);
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		}
	);
});
