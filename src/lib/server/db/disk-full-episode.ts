import { sql } from 'kysely';
import { log } from '../log.js';
import { isDiskFull, noteDiskFull } from './dialect';
import type { Executor } from './index';

/** The database's size in pages, or null when it cannot be read now. */
async function pageCount(db: Executor): Promise<number | null> {
	try {
		const { rows } = await sql<{ page_count: number }>`PRAGMA page_count`.execute(db);
		return rows[0]?.page_count ?? null;
	} catch {
		return null;
	}
}

/**
 * How long passes that go through, with no write refused, end an episode whose database did not
 * grow: SQLite reuses the pages freed by deletions (sessions, throttle rows) before it grows the
 * file, so writes may need no new page for hours once the disk has room again — and an episode
 * left open would keep a second full disk, days later, from its own error line.
 */
export const DISK_FULL_QUIET_MS = 10 * 60_000;

/**
 * A full disk met by work that writes outside any request (the mail sender, the scheduled jobs),
 * told once an episode: an `error` line `disk-full` at the first write refused, an `info` line
 * `disk-full-over` once a write needed new pages and got them — the database grew since the
 * episode began — or once passes went through for DISK_FULL_QUIET_MS with no write refused. A
 * write in place (a message's state, the sender's lease) goes through on a full disk, and a pass
 * with nothing to write says nothing of it: neither ends the episode sooner.
 */
export class DiskFullEpisode {
	/**
	 * Outside an episode: undefined. In one: the database's pages when it began (lowered if the
	 * database shrank since, a VACUUM), null while they could not be read.
	 */
	private pages: number | null | undefined;
	/** When a write was last refused for a full disk (the clock given). */
	private lastRefused = 0;

	constructor(
		private readonly db: Executor,
		private readonly task: string,
		private readonly words: { full: string; over: string },
		private readonly now: () => number = Date.now
	) {}

	/** Whether a write was refused for a full disk, and the episode has not ended since. */
	get open(): boolean {
		return this.pages !== undefined;
	}

	/** True when the error is a full disk: /sante told, logged if it begins an episode. */
	async refused(error: unknown): Promise<boolean> {
		if (!isDiskFull(error)) return false;
		noteDiskFull();
		this.lastRefused = this.now();
		if (this.open) return true;
		this.pages = null;
		log().error({ event: 'disk-full', task: this.task }, this.words.full);
		this.pages = await pageCount(this.db);
		return true;
	}

	/**
	 * A pass went through: the episode ends if the database grew since it began, or if no write
	 * was refused for DISK_FULL_QUIET_MS.
	 */
	async wentThrough(): Promise<void> {
		if (!this.open) return;
		if (this.now() - this.lastRefused < DISK_FULL_QUIET_MS) {
			const pages = await pageCount(this.db);
			if (pages === null || this.pages === undefined) return;
			if (this.pages === null || pages <= this.pages) {
				this.pages = Math.min(this.pages ?? pages, pages);
				return;
			}
		}
		this.pages = undefined;
		log().info({ event: 'disk-full-over', task: this.task }, this.words.over);
	}
}
