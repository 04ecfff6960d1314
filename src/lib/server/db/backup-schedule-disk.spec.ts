import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { log } from '../log.js';
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

// The files of a worker share their loaded modules (vite.config.ts, isolate: false): the schedule
// is loaded anew against the mock above (an earlier file may have loaded it with the real backup,
// which then succeeded), with a /sante state no other file has set, and dropped afterwards.
vi.resetModules();
afterAll(() => {
	vi.resetModules();
});
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
