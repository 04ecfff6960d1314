import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import { createPartner } from '../progress/testing';
import { pruneExpired } from './cleanup';
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
