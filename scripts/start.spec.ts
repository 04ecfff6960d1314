import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS, withoutPreviewHint } from './start.js';

describe('npm start', () => {
	it('gives the server the same memory budget as the benchmark does', () => {
		const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
			scripts: Record<string, string>;
		};
		expect(pkg.scripts.start).toBe(`node ${SERVER_NODE_FLAGS.join(' ')} scripts/start.js`);
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
			expect(result.stdout).not.toContain('Construction du portail');
			expect(existsSync(database)).toBe(false);
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
