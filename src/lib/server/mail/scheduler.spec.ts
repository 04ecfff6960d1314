import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import { log } from '../log.js';
import { insertMessage } from './outbox-repository';
import { DISK_FULL_QUIET_MS } from '../db/disk-full-episode';
import { jobRunner } from './scheduler';

let db: Db;
beforeEach(async () => {
	db = await createTestDb({ seed: false });
});
afterEach(async () => {
	vi.restoreAllMocks();
	await db.destroy();
});

/** A job as the digest writes one: a new message, new pages. */
const writing = async (trxDb: Db, now: number) =>
	insertMessage(
		trxDb,
		{
			messageId: `<${Math.random().toString(36).slice(2)}@lot-numerique.test>`,
			kind: 'digest',
			recipient: 'anne@lot-numerique.test',
			userId: null,
			subject: 'Synthèse',
			text: 'x'.repeat(20_000),
			html: '<p>Synthèse</p>',
			unsubscribeUrl: null
		},
		now
	);

describe('the scheduled jobs', () => {
	// Review: a full disk logged « job-error » each minute, which the alert filter of
	// docs/operations.md caught each time.
	it('log a full disk once an episode, error at its start and information at its end', async () => {
		const error = vi.spyOn(log(), 'error').mockImplementation(() => undefined);
		const info = vi.spyOn(log(), 'info').mockImplementation(() => undefined);
		const events = (spy: typeof error) => spy.mock.calls.map(([fields]) => fields);
		const { max_page_count: roomy } = (
			await sql<{ max_page_count: number }>`PRAGMA max_page_count`.execute(db)
		).rows[0]!;
		const run = jobRunner(db, [writing, writing]);
		await sql`PRAGMA max_page_count = 1`.execute(db);
		for (let minute = 0; minute < 5; minute += 1) await run(minute * 60_000);
		expect(events(error)).toEqual([{ event: 'disk-full', task: 'jobs' }]);
		expect(events(info)).toEqual([]);
		await sql.raw(`PRAGMA max_page_count = ${roomy}`).execute(db);
		await run(6 * 60_000);
		await run(7 * 60_000);
		expect(events(info)).toEqual([{ event: 'disk-full-over', task: 'jobs' }]);
		// Another failure stays an error of each run.
		const broken = jobRunner(db, [() => Promise.reject(new Error('panne'))]);
		await broken(8 * 60_000);
		await broken(9 * 60_000);
		expect(events(error).slice(1)).toEqual([
			{ event: 'job-error', err: 'panne' },
			{ event: 'job-error', err: 'panne' }
		]);
	});

	// Review: SQLite reuses the pages deletions free before it grows the file, so once the disk
	// had room the database could stay the same size for hours — the episode never ended, and a
	// second full disk days later had no error line of its own.
	it('end an episode after quiet passes though the database reuses freed pages', async () => {
		const error = vi.spyOn(log(), 'error').mockImplementation(() => undefined);
		const info = vi.spyOn(log(), 'info').mockImplementation(() => undefined);
		const events = (spy: typeof error) => spy.mock.calls.map(([fields]) => fields);
		const pages = async () =>
			(await sql<{ page_count: number }>`PRAGMA page_count`.execute(db)).rows[0]!.page_count;
		for (let i = 0; i < 20; i += 1) await writing(db, 0);
		const run = jobRunner(db, [writing]);
		await sql.raw(`PRAGMA max_page_count = ${await pages()}`).execute(db);
		await run(0);
		expect(events(error)).toEqual([{ event: 'disk-full', task: 'jobs' }]);
		// Room comes back as freed pages: the jobs write again, the file does not grow.
		await sql`DELETE FROM mail_outbox`.execute(db);
		const size = await pages();
		const minute = 60_000;
		for (let at = minute; at < DISK_FULL_QUIET_MS; at += minute) await run(at);
		expect(await pages()).toBe(size);
		expect(events(error)).toHaveLength(1);
		expect(events(info)).toEqual([]);
		await run(DISK_FULL_QUIET_MS);
		expect(events(info)).toEqual([{ event: 'disk-full-over', task: 'jobs' }]);
		// The freed pages used up, the disk full again: a new episode, a new error line.
		for (let at = DISK_FULL_QUIET_MS + minute; events(error).length < 2; at += minute) {
			await run(at);
			expect(at).toBeLessThan(DISK_FULL_QUIET_MS + 60 * minute);
		}
		expect(events(error)).toEqual([
			{ event: 'disk-full', task: 'jobs' },
			{ event: 'disk-full', task: 'jobs' }
		]);
	});
});
