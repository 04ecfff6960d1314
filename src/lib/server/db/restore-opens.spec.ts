import { afterAll, describe, expect, it, vi } from 'vitest';

// Every file better-sqlite3 opens, in order (the restore's own openings among them).
const opened = vi.hoisted(() => [] as string[]);
vi.mock('better-sqlite3', async (importOriginal) => {
	// The module's default export, the constructor (its types declare it as the module itself).
	const actual = await importOriginal<{ default: typeof import('better-sqlite3') }>();
	const counting = new Proxy(actual.default, {
		construct(target, args: unknown[], newTarget) {
			opened.push(String(args[0]));
			return Reflect.construct(target, args, newTarget) as object;
		}
	});
	return { ...actual, default: counting };
});
// The files of a worker share their loaded modules (vite.config.ts, isolate: false): the modules
// below are loaded anew against the mock above, and dropped afterwards for the files after this one.
vi.resetModules();
afterAll(() => {
	vi.resetModules();
});
const { restoreDatabase } = await import('./restore');
const { migratedWithBackup } = await import('./testing');

// Review s45, ops: the database being replaced was opened twice, once for the mail and access it
// says of since the backup (readReplaced) and again for the preferences, stopped messages and
// accounts enabled again (keepReplacedSince): two readings of one file that could differ.
describe('a restore reads the database it replaces', () => {
	it('in one opening', async () => {
		const { target, backup } = await migratedWithBackup('restauration-une-lecture');

		opened.length = 0;
		expect(restoreDatabase(backup, target).aside).toMatch(/sdusn\.db\.avant-restauration-/);
		expect(opened.filter((file) => file === target)).toHaveLength(1);
	});
});
