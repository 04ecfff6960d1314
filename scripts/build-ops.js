// Compiles the ops commands (TypeScript, run with tsx in development) into build/ops/*.js, plain
// JavaScript that a production install (`npm ci --omit=dev`, no tsx) runs with node. Part of
// `npm run build` and of `npm start`'s build. Runtime packages stay imports (node_modules).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The commands, by the name `scripts/ops.js` runs them under. */
export const OPS_COMMANDS = [
	'user-create',
	'db-backup',
	'db-restore',
	'db-migrate',
	'export',
	'plan-export',
	'plan-import',
	'report'
];

export async function buildOps() {
	await build({
		root,
		configFile: false,
		logLevel: 'warn',
		build: {
			ssr: true,
			target: 'node24',
			outDir: 'build/ops',
			emptyOutDir: true,
			minify: false,
			sourcemap: true,
			rollupOptions: {
				input: Object.fromEntries(OPS_COMMANDS.map((name) => [name, `scripts/${name}.ts`])),
				output: {
					format: 'esm',
					entryFileNames: '[name].js',
					chunkFileNames: 'chunks/[name]-[hash].js'
				}
			}
		}
	});
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
	await buildOps();
