import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { inject } from 'vitest';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
	export interface ProvidedContext {
		/** The folder holding the slow tests' child processes, compiled once per run. */
		testChildren: string;
	}
}

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/**
 * The programs the slow tests start again and again (a server killed at random moments, the mail
 * sender, the command-line tools), by the name they are compiled under.
 */
const CHILDREN = {
	'durability-server': 'src/lib/server/progress/durability-server.ts',
	'kill-child': 'src/lib/server/mail/kill-child.ts',
	'user-create': 'scripts/user-create.ts',
	'db-backup': 'scripts/db-backup.ts',
	'db-restore': 'scripts/db-restore.ts',
	'db-migrate': 'scripts/db-migrate.ts',
	demo: 'scripts/demo.ts',
	export: 'scripts/export.ts',
	'plan-export': 'scripts/plan-export.ts',
	'plan-import': 'scripts/plan-import.ts',
	report: 'scripts/report.ts'
} as const;

export type TestChild = keyof typeof CHILDREN;

/**
 * Vitest global setup of the `slow` project: compiles every child once per run (esbuild, the
 * compiler tsx and Vite use), so that each start is a plain `node child.js` instead of tsx
 * compiling the TypeScript again at every start. The packages stay imports: the folder lies under
 * node_modules/.cache, where Node finds them.
 */
export default async function setup(project: TestProject) {
	const cache = join(root, 'node_modules', '.cache');
	mkdirSync(cache, { recursive: true });
	const dir = mkdtempSync(join(cache, 'sdusn-test-children-'));
	await build({
		absWorkingDir: root,
		entryPoints: CHILDREN,
		outdir: dir,
		bundle: true,
		splitting: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		packages: 'external',
		logLevel: 'warning'
	});
	project.provide('testChildren', dir);
	return () => rmSync(dir, { recursive: true, force: true });
}

/** The compiled file of a child, to start with `node` (in a test of the `slow` project). */
export function testChild(name: TestChild): string {
	return join(inject('testChildren'), `${name}.js`);
}
