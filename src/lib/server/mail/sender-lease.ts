import { readlinkSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import process from 'node:process';
import { randomToken } from '../auth/tokens';
import type { Db } from '../db';
import {
	databaseFile,
	readSenderLease,
	releaseSenderLease,
	renewSenderLease,
	takeSenderLease,
	type SenderLeaseRow
} from './sender-lease-repository';

/** How long a lease lasts without being renewed: a sender that died is replaced after this. */
export const SENDER_LEASE_MS = 60_000;

/** Random per process: tells this process from an earlier one that had the same pid. */
const PROCESS = randomToken(10);

/**
 * Where pids are this process's: the machine's name and, on Linux, its pid namespace (two
 * containers may share a name, each with its own pid 1). Only there does a pid say whether a
 * process lives.
 */
function pidSpace(): string {
	try {
		return `${hostname()} ${readlinkSync('/proc/self/ns/pid')}`;
	} catch {
		return hostname();
	}
}
export const PID_SPACE = pidSpace();

/**
 * The database file itself (device and inode), whatever path reaches it (a bind mount, a link);
 * '' for one in memory. A copy is another file.
 */
function fileIdentity(path: string): string {
	if (path === '') return '';
	try {
		const { dev, ino } = statSync(path);
		return `${dev}:${ino}`;
	} catch {
		return path;
	}
}

/**
 * Whether `row` no longer holds `database`: it was copied with the file (a backup, a test's copy),
 * or its process is known to be dead (same pid namespace of the same machine only; elsewhere, its
 * lease runs out).
 */
function holderIsGone(row: SenderLeaseRow, database: string): boolean {
	if (row.database !== database) return true;
	if (row.host !== PID_SPACE) return false;
	// This pid is ours: the holder was an earlier process with the same number (a container's pid 1).
	if (row.pid === process.pid) return row.process !== PROCESS;
	try {
		process.kill(row.pid, 0);
		return false;
	} catch (error) {
		// EPERM: the process lives, under another user.
		return (error as NodeJS.ErrnoException).code !== 'EPERM';
	}
}

export type LeaseOutcome =
	/** Just taken (at start-up, or after the holder stopped or died): the sender takes over. */
	| 'taken'
	/** Still this sender's. */
	| 'kept'
	/** Another live sender holds it; `row` says which. */
	| { waiting: SenderLeaseRow };

/**
 * The right to send one database's mail, held by one sender at a time (table `mail_sender`): a
 * second server on the same database, or `vite dev` beside `npm start`, waits instead of sending
 * the same outbox and running the same scheduled jobs, and does not mark the first's message in
 * flight as interrupted. The holder renews it; when it stops it gives it up; when it dies, another
 * takes it at once in the same pid namespace of the same machine, otherwise after SENDER_LEASE_MS.
 */
export class SenderLease {
	private readonly holder = randomToken(15);
	private held = false;
	private database: string | undefined;

	constructor(
		private readonly db: Db,
		private readonly now: () => number
	) {}

	/** Whether this sender held the lease at its last take or renewal. */
	get holding(): boolean {
		return this.held;
	}

	/** Takes the lease, or keeps it (renewed when half of it has run). */
	async take(): Promise<LeaseOutcome> {
		const now = this.now();
		this.database ??= fileIdentity(await databaseFile(this.db));
		const current = await readSenderLease(this.db);
		if (
			this.held &&
			current?.holder === this.holder &&
			current.leaseUntil - now > SENDER_LEASE_MS / 2
		)
			return 'kept';
		const gone = current && current.holder !== this.holder && holderIsGone(current, this.database);
		const taken = await takeSenderLease(
			this.db,
			{
				holder: this.holder,
				process: PROCESS,
				host: PID_SPACE,
				pid: process.pid,
				database: this.database
			},
			now,
			now + SENDER_LEASE_MS,
			gone ? current.holder : null
		);
		const wasHeld = this.held;
		this.held = taken;
		if (taken) return wasHeld ? 'kept' : 'taken';
		// Refused: held by another live sender (read again only if it was written since the read).
		return { waiting: current ?? (await readSenderLease(this.db))! };
	}

	/** Pushes the lease back while a round is long; false when it was lost meanwhile. */
	async renew(): Promise<boolean> {
		if (!this.held) return false;
		this.held = await renewSenderLease(this.db, this.holder, this.now() + SENDER_LEASE_MS);
		return this.held;
	}

	async release(): Promise<void> {
		if (!this.held) return;
		this.held = false;
		await releaseSenderLease(this.db, this.holder);
	}
}
