import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Review s55, ops: a production dependency missing (node_modules/better-sqlite3 removed) made the
// ops commands print Node's English ERR_MODULE_NOT_FOUND and its stack.
describe('an ops command whose production dependency is missing', () => {
	it('says so in one French line, without a stack', () => {
		const dir = mkdtempSync(join(tmpdir(), 'sdusn-missing-'));
		try {
			const command = join(dir, 'commande.js');
			writeFileSync(command, "import 'sdusn-dependance-absente';\n");
			// scripts/ops.js runs build/ops/<name>.js: the name leads it to this command instead.
			const ops = fileURLToPath(new URL('./ops.js', import.meta.url));
			const name = relative(join(dirname(ops), '..', 'build', 'ops'), command).replace(/\.js$/, '');
			const result = spawnSync(process.execPath, [ops, name], {
				encoding: 'utf8',
				timeout: 20_000
			});
			expect(result.status).toBe(1);
			expect(result.stderr).toBe(
				'La dépendance « sdusn-dependance-absente » n’est pas installée : lancez « npm ci --omit=dev » dans le dossier du portail (« npm ci » sur un poste de développement), puis relancez la commande.\n'
			);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
