import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// A file system without hard links answers link() with one of several codes: a FUSE mount often
// ENOSYS, a target on another device EXDEV (review s57).
const linkFailure = vi.hoisted(() => ({ code: 'ENOSYS' }));
vi.mock('node:fs', async (original) => {
	const fs = await original<typeof import('node:fs')>();
	const linkSync = () => {
		throw Object.assign(new Error(`link: ${linkFailure.code}`), { code: linkFailure.code });
	};
	return { ...fs, default: { ...fs, linkSync }, linkSync };
});

beforeEach(() => {
	vi.resetModules();
});

describe('db:backup on a file system without hard links', () => {
	for (const code of ['ENOSYS', 'EXDEV']) {
		it(`gives the checked copy its name by a rename (${code})`, async () => {
			linkFailure.code = code;
			const { backupDatabase } = await import('./backup');
			const { scratchDir } = await import('./testing');
			const dir = scratchDir('sauvegarde-sans-liens');
			const source = join(dir, 'sdusn.db');
			const db = new SQLite(source);
			db.exec("create table note (text text); insert into note values ('gardée')");
			db.close();
			const target = join(dir, 'copie.db');
			await backupDatabase(source, target);
			const copy = new SQLite(target, { readonly: true });
			expect(copy.prepare('select text from note').pluck().get()).toBe('gardée');
			copy.close();
			expect(readFileSync(target).subarray(0, 15).toString()).toBe('SQLite format 3');
		});
	}
});
