import { availableParallelism } from 'node:os';
import { sveltekit } from '@sveltejs/kit/vite';
import { configDefaults, defineConfig } from 'vitest/config';
import { serverHashes } from './scripts/vite-server-hashes.js';

/**
 * Tests that take seconds (a server or the mail sender killed and restarted again and again, the
 * command-line tools run through npm): `npm test` runs them, `npm run test:fast` leaves them out.
 */
const SLOW = [
	'src/lib/server/progress/durability.spec.ts',
	'src/lib/server/mail/crash.spec.ts',
	'scripts/commands.spec.ts',
	'scripts/plan-commands.spec.ts'
];

export default defineConfig({
	plugins: [serverHashes(), sveltekit()],
	// The charts' script of the pages rendered without SvelteKit's client is built like a worker
	// (src/lib/components/charts/ChartsScript.svelte) and loaded as a module.
	worker: { format: 'es' },
	test: {
		environment: 'node',
		expect: { requireAssertions: true },
		pool: 'forks',
		// Two files at a time at least: on a two-core machine Vitest's default (cores − 1) runs one
		// file at a time, while a file spends much of its time waiting (processes it started,
		// SQLite's files, a worker being forked).
		maxWorkers: Math.max(2, availableParallelism() - 1),
		// Migrates and seeds the test database once per run; createTestDb() clones it.
		globalSetup: ['./src/lib/server/db/testing.global-setup.ts'],
		// The operations log (pino) stays quiet in unit tests; tests that read it spy on it.
		env: { LOG_LEVEL: 'silent' },
		projects: [
			{
				extends: true,
				test: {
					name: 'fast',
					// The files of a worker share their loaded modules (the libraries, the compiled
					// sources): twice as fast as loading them again for each file. Each test still
					// gets its own database (createTestDb); a file that opens the process's one
					// (initDatabase) closes it when done (closeDatabase), and a file that mocks a module
					// (vi.mock) drops the modules it loaded when done (vi.resetModules).
					isolate: false,
					// A time limit catches a test that hangs; it is not a speed check (`npm run bench` is).
					// `npm test` runs these beside the e2e suite at a lower priority: with one more process
					// loading the machine, tests quick alone went over Vitest's default of 5 s there
					// (docs/performance.md, « figures moved out of code comments »).
					testTimeout: 20_000,
					include: ['src/**/*.spec.ts', 'scripts/**/*.spec.ts', 'migrations/**/*.spec.ts'],
					exclude: [...configDefaults.exclude, ...SLOW]
				}
			},
			// Each test starts Node processes again and again: seconds each on a loaded machine. Their
			// programs are compiled once per run (scripts/test-children.ts), not at every start.
			{
				extends: true,
				test: {
					name: 'slow',
					include: SLOW,
					testTimeout: 30_000,
					globalSetup: ['./scripts/test-children.ts']
				}
			}
		]
	}
});
