import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import { createPartner } from '../progress/testing';
import { pruneExpired, schedulePruning } from './cleanup';
import { diskRecentlyFull, noteDiskFull } from '../db/dialect';
import { log } from '../log.js';
import { createSession } from './sessions';
import { SESSION_IDLE_MS, SESSION_MAX_MS } from '../../utils/rules';
import { recordAttempt, throttleKey } from './throttle-repository';

let db: Db;
beforeEach(async () => {
	db = await createTestDb();
});
afterEach(async () => {
	await db.destroy();
});

const HOUR = 60 * 60 * 1000;

describe('pruning', () => {
	it('removes expired sessions and forgotten counters, and keeps everything still in use', async () => {
		const now = Date.UTC(2026, 10, 30);
		const user = await createPartner(db, 'cdg46', 'paul@cdg46.test');
		const live = await createSession(db, user.id, now - HOUR);
		await createSession(db, user.id, now - SESSION_IDLE_MS - HOUR);
		const old = await createSession(db, user.id, now - SESSION_MAX_MS - HOUR);
		// Kept in use until now, but past its absolute lifetime.
		await db
			.updateTable('user_session')
			.set({ expires_at: now + HOUR })
			.where('id', '=', old.session.id)
			.execute();
		const forgotten = throttleKey('account', 'ancien@cdg46.test');
		const recent = throttleKey('account', 'recent@cdg46.test');
		const blocked = throttleKey('address', '192.0.2.1');
		await recordAttempt(db, forgotten, now - 2 * HOUR);
		await recordAttempt(db, recent, now - HOUR / 2);
		for (let i = 0; i < 40; i++) await recordAttempt(db, blocked, now - 2 * HOUR);
		// Still blocked although its last failure is old: kept.
		await db
			.updateTable('login_throttle')
			.set({ blocked_until: now + HOUR })
			.where('key', '=', blocked.key)
			.execute();

		// Its block ended half an hour ago: remembered for an hour after that end, kept.
		const ended = throttleKey('account', 'bloque@cdg46.test');
		for (let i = 0; i < 13; i++) await recordAttempt(db, ended, now - (3 * HOUR) / 2);

		expect(await pruneExpired(db, now)).toEqual({ sessions: 2, throttles: 1 });
		const sessions = await db.selectFrom('user_session').select('id').execute();
		expect(sessions.map((s) => s.id)).toEqual([live.session.id]);
		const keys = await db.selectFrom('login_throttle').select('key').orderBy('key').execute();
		expect(keys.map((k) => k.key)).toEqual([recent.key, blocked.key, ended.key].sort());
	});
});

describe('pruning on a full disk', () => {
	// Every six hours, the pruning and the purge each logged their refusal as an error, beside the
	// disk-full line the requests and the mail sender already write.
	it('says it once, at warn level, as disk-full, and tells /sante', async () => {
		const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
		// A database every write of which the full disk refuses.
		const refusing = new Proxy(
			{},
			{
				get: () => {
					throw full;
				}
			}
		) as Db;
		const error = vi.spyOn(log(), 'error').mockImplementation(() => undefined);
		const warn = vi.spyOn(log(), 'warn').mockImplementation(() => undefined);
		noteDiskFull(0);
		const timer = schedulePruning(refusing, 365);
		try {
			await vi.waitFor(() => expect(warn).toHaveBeenCalled());
			await new Promise((resolve) => setTimeout(resolve, 20));
			expect(error).not.toHaveBeenCalled();
			expect(warn.mock.calls.map(([fields]) => fields)).toEqual([
				{ event: 'disk-full', task: 'cleanup' }
			]);
			expect(diskRecentlyFull()).toBe(true);
		} finally {
			clearInterval(timer);
			error.mockRestore();
			warn.mockRestore();
		}
	});
});
