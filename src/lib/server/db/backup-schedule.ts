import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { log } from '../log.js';
import { backupDatabase } from './backup';
import { noteIfDiskFull } from './dialect';

/** Backups written by the schedule: `sdusn-<UTC date and time>.db`, sortable by name. */
const STAMPED = 'sdusn-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}-\\d{3}Z\\.db';
const NAME = new RegExp(`^${STAMPED}$`);
/** What an interrupted scheduled backup leaves: its own temporary file, never another command's
 * (`db:backup -- sdusn-2026-12-05.db` writes `sdusn-2026-12-05.db.partiel` in the same folder). */
const LEFTOVER = new RegExp(`^${STAMPED}\\.partiel(-wal|-shm|-journal)?$`);

export function backupName(now = new Date()): string {
	return `sdusn-${now.toISOString().replace(/[:.]/g, '-')}.db`;
}

/**
 * Keeps the `keep` newest scheduled backups of `dir` and removes the others, along with what an
 * interrupted scheduled backup may have left (`sdusn-<date and time>.db.partiel`). Files of other
 * names are never touched, a backup by another command still being written included: the
 * schedule runs one backup at a time and renames it before rotating, so a partial file of its own
 * name is a leftover.
 */
export function rotateBackups(dir: string, keep: number): string[] {
	const entries = readdirSync(dir);
	const backups = entries.filter((name) => NAME.test(name)).sort();
	const removed = [
		...backups.slice(0, Math.max(0, backups.length - keep)),
		...entries.filter((name) => LEFTOVER.test(name))
	];
	for (const name of removed) rmSync(join(dir, name), { force: true });
	return removed;
}

/** One scheduled backup: written, checked (integrity_check), then the folder rotated. */
export async function runScheduledBackup(
	databasePath: string,
	settings: { dir: string; keep: number },
	now = new Date()
): Promise<string> {
	// The backups hold what the database holds: their folder is private, like the database's.
	mkdirSync(settings.dir, { recursive: true, mode: 0o700 });
	const target = join(settings.dir, backupName(now));
	const started = performance.now();
	const { pages } = await backupDatabase(databasePath, target);
	const removed = rotateBackups(settings.dir, settings.keep);
	log().info(
		{
			event: 'backup',
			file: target,
			pages,
			removed: removed.length,
			durationMs: Math.round(performance.now() - started)
		},
		'Sauvegarde écrite et vérifiée'
	);
	return target;
}

/** When a scheduled backup's name says it was written (UTC, to the millisecond). */
function writtenAt(name: string): number {
	const [, day, h, m, s, ms] = /^sdusn-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z/.exec(
		name
	)!;
	return Date.parse(`${day}T${h}:${m}:${s}.${ms}Z`);
}

/**
 * How long after a start the first scheduled backup comes: a minute (or the period, if shorter),
 * or, when the newest scheduled backup of `dir` is younger than the period, when the period since
 * it has run. Every start added a backup a minute after it, and a service restarted often pushed
 * the older copies out of the BACKUP_KEEP kept: a week of copies could shrink to a day. Never more
 * than the period (a copy dated in the future, a clock set back).
 */
export function firstBackupDelay(dir: string, everyMs: number, now = Date.now()): number {
	const soonest = Math.min(60_000, everyMs);
	let names: string[];
	try {
		names = readdirSync(dir).filter((name) => NAME.test(name));
	} catch {
		return soonest;
	}
	const newest = names.sort().at(-1);
	if (!newest) return soonest;
	return Math.min(everyMs, Math.max(soonest, writtenAt(newest) + everyMs - now));
}

/**
 * Backs the database up into BACKUP_DIR every BACKUP_EVERY, keeping BACKUP_KEEP copies; the first
 * one a minute after the start, or a period after the newest copy if that is later
 * (firstBackupDelay). A failed backup is logged and retried at the next turn. The timer never
 * keeps the process alive.
 */
export function scheduleBackups(
	databasePath: string,
	settings: { dir: string; everyMs: number; keep: number }
): () => void {
	let running = false;
	const run = () => {
		if (running) return;
		running = true;
		runScheduledBackup(databasePath, settings)
			.catch((error: unknown) => {
				noteIfDiskFull(error);
				log().error(
					{ event: 'backup-failed', dir: settings.dir, err: String(error) },
					'Sauvegarde programmée impossible'
				);
			})
			.finally(() => (running = false));
	};
	// The first a minute after the start (or sooner, or later: firstBackupDelay), then every period
	// from it: started together, a period of one minute ran both at the same moment.
	let every: ReturnType<typeof setInterval> | undefined;
	const first = setTimeout(
		() => {
			run();
			every = setInterval(run, settings.everyMs).unref();
		},
		firstBackupDelay(settings.dir, settings.everyMs)
	).unref();
	return () => {
		clearTimeout(first);
		clearInterval(every);
	};
}
