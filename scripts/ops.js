// `npm run user:create|db:backup|db:restore|db:migrate|export|plan:export|plan:import|report`: runs the ops command
// compiled in build/ops (`npm run build`), which needs only the production dependencies. In a development
// checkout whose build is missing or older than the sources, runs its TypeScript source with tsx.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { requireSupportedNode } from './node-version.js';
import { buildIsStale } from './start.js';

requireSupportedNode();

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const [name = '', ...args] = process.argv.slice(2);
const compiled = join(root, 'build', 'ops', `${name}.js`);
const source = join(root, 'scripts', `${name}.ts`);
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

if (!existsSync(source) && !existsSync(compiled)) {
	process.stderr.write(`Commande inconnue « ${name} ».\n`);
	process.exit(1);
}
if (existsSync(tsx) && existsSync(source) && (!existsSync(compiled) || buildIsStale())) {
	const result = spawnSync(process.execPath, [tsx, source, ...args], { stdio: 'inherit' });
	process.exit(result.status ?? 1);
} else if (existsSync(compiled)) {
	// The command reads its arguments from process.argv, as when run directly.
	process.argv = [process.argv[0] ?? process.execPath, compiled, ...args];
	try {
		await import(pathToFileURL(compiled).href);
	} catch (error) {
		// A production dependency missing: its import fails before the command's own handler
		// (scripts/cli.ts) runs, which would have said it in French; said here in one line.
		const missing = /Cannot find package '([^']+)'/.exec(
			/** @type {{ code?: unknown, message?: unknown }} */ (error)?.code === 'ERR_MODULE_NOT_FOUND'
				? String(/** @type {Error} */ (error).message)
				: ''
		)?.[1];
		if (!missing) throw error;
		process.stderr.write(
			`La dépendance « ${missing} » n’est pas installée : lancez « npm ci --omit=dev » dans le dossier du portail (« npm ci » sur un poste de développement), puis relancez la commande.\n`
		);
		process.exit(1);
	}
} else {
	process.stderr.write(
		'Les commandes d’exploitation ne sont pas construites : lancez « npm run build » (sur la machine de construction) puis réessayez.\n'
	);
	process.exit(1);
}
