import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { scratchDir } from './testing';

// The backup itself fails as on a full disk: no small file system to fill here. It rejects as
// the real one does (db/backup.ts): SQLite's error told in French, kept as the cause.
vi.mock('./backup', () => ({
	backupDatabase: () =>
		Promise.reject(
			new Error('Le disque du dossier « sauvegardes » est plein : rien n’a été écrit.', {
				cause: Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
			})
		)
}));
// The files of a worker share their loaded modules (vite.config.ts, isolate: false): the schedule,
// with the log and the disk state it writes to, is loaded anew against the mock above, and the
// mocked backup is dropped for the files after this one (backup-schedule.spec.ts, run after it in
// the same worker, got it: its backups failed « disque plein »).
vi.resetModules();
afterAll(() => {
	vi.resetModules();
});

const { log } = await import('../log.js');
const { scheduleBackups } = await import('./backup-schedule');
const { diskRecentlyFull } = await import('./dialect');

describe('a scheduled backup on a full disk', () => {
	// Review s42, diff: /sante heard of a full disk only from a visitor's refused request; the
	// scheduled backup, often the first to meet it at night, was only logged.
	it('tells /sante', async () => {
		vi.spyOn(log(), 'error').mockImplementation(() => undefined);
		const dir = scratchDir('sauvegarde-disque-plein');
		vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
		try {
			const stop = scheduleBackups(join(dir, 'sdusn.db'), {
				dir: join(dir, 'sauvegardes'),
				everyMs: 3_600_000,
				keep: 2
			});
			expect(diskRecentlyFull()).toBe(false);
			await vi.advanceTimersByTimeAsync(60_000);
			stop();
		} finally {
			vi.useRealTimers();
		}
		await vi.waitFor(() => expect(diskRecentlyFull()).toBe(true));
	});
});
