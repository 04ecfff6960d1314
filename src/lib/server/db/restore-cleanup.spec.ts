import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { migratedWithBackup } from './testing';

// The restore fails half-way, once its copy of the backup is written beside the database: the
// rights given to that copy are refused (no file system here refuses them on demand).
const refuse = vi.hoisted(() => ({ chmod: false }));
vi.mock('node:fs', async (importOriginal) => {
	const fs = await importOriginal<typeof import('node:fs')>();
	const chmodSync: typeof fs.chmodSync = (...args) => {
		if (refuse.chmod) throw Object.assign(new Error('operation not permitted'), { code: 'EPERM' });
		return fs.chmodSync(...args);
	};
	return { ...fs, default: { ...fs, chmodSync }, chmodSync };
});
// The files of a worker share their loaded modules (vite.config.ts, isolate: false): restore.ts is
// loaded anew against the mock above, and dropped afterwards for the files after this one.
vi.resetModules();
afterAll(() => {
	vi.resetModules();
});
const { restoreDatabase } = await import('./restore');

describe('a restore that fails half-way', () => {
	// Review s42, ops: the removal of the copy it had prepared was untested.
	it('removes the copy it prepared and leaves the database as it was', async () => {
		const { dir, target, backup } = await migratedWithBackup('restauration-interrompue');
		const files = readdirSync(dir).sort();
		const bytes = readFileSync(target);

		refuse.chmod = true;
		try {
			expect(() => restoreDatabase(backup, target)).toThrow(
				'La copie de la sauvegarde n’a pas pu être préparée à côté de la base (erreur EPERM) : rien n’a été changé, la copie est effacée.'
			);
		} finally {
			refuse.chmod = false;
		}
		// Nothing but the database's own WAL files, which reading what it says since the backup
		// (readReplaced) opens.
		expect(
			readdirSync(dir)
				.filter((name) => !/\.db-(wal|shm)$/.test(name))
				.sort()
		).toEqual(files);
		expect(readFileSync(target).equals(bytes)).toBe(true);
		expect(readFileSync(`${target}-wal`).length).toBe(0);
		// And the same restore, once nothing stands in its way, goes through.
		expect(restoreDatabase(backup, target).aside).toMatch(/sdusn\.db\.avant-restauration-/);
	});
});
