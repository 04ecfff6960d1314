import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

// better-sqlite3 whose native module cannot be loaded, as after a Node upgrade without rebuilding
// it: the error comes from the first connection's opening.
vi.mock('better-sqlite3', async (importOriginal) => {
	const real = (await importOriginal<{ default: { SqliteError: unknown } }>()).default;
	class Unloadable {
		static SqliteError = real.SqliteError;
		constructor() {
			throw Object.assign(
				new Error(
					'/srv/sdusn/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node: file too short'
				),
				{ code: 'ERR_DLOPEN_FAILED' }
			);
		}
	}
	return { default: Unloadable };
});
// The files of a worker share their modules (vite.config.ts, isolate: false): the modules are
// loaded again over the mock, and dropped when done, so that no other file gets them.
vi.resetModules();
afterAll(() => {
	vi.resetModules();
});
const { backupDatabase } = await import('./backup');
const { checkBackupFile } = await import('./restore');
const { scratchDir } = await import('./testing');

describe('db:backup and db:restore when SQLite itself cannot be loaded', () => {
	it('say the real cause, not a file that cannot be read or is not SQLite', async () => {
		const dir = scratchDir('native');
		const database = join(dir, 'sdusn.db');
		writeFileSync(database, 'SQLite format 3\0');
		await expect(backupDatabase(database, join(dir, 'copie.db'))).rejects.toThrow(
			/n’a pas pu être ouverte \(.*better_sqlite3\.node: file too short\)/
		);
		expect(() => checkBackupFile(database)).toThrow(
			/n’a pas pu être ouverte \(.*better_sqlite3\.node: file too short\)/
		);
	});
});
