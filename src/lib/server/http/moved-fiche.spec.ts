import { isRedirect, type RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../auth/users';
import { createTestUser, PEOPLE } from '../auth/testing';
import { moveFiche } from '../authoring/testing';
import type { Db } from '../db';
import { closeDatabase } from '../db/instance';
import { createTestInstance } from '../db/testing';
import { refuse } from '../result';
import { notFound, retryUnderMovedCode, toldMoved } from './moved-fiche';

// The retry under a fiche's new code that the pages of a fiche and their forms share.

let db: Db;
let admin: User;
let moved: string;

beforeEach(async () => {
	db = await createTestInstance();
	admin = await createTestUser(db, PEOPLE.admin);
	const result = await moveFiche(db, admin, '9-1', 1, new Date());
	if (!result.ok) throw new Error(result.message);
	moved = result.value.code;
});
afterAll(closeDatabase);

function event(code: string, method: 'GET' | 'POST') {
	const url = new URL(`http://localhost/admin/plan/fiches/${code}`);
	return {
		params: { code },
		url,
		request: new Request(url, { method })
	} as unknown as RequestEvent;
}

/** An act that finds the fiche under `found` only, with the codes it was asked for. */
function actOn(found: string) {
	const asked: string[] = [];
	const act = async (code: string) => {
		asked.push(code);
		return code === found ? { ok: true as const, value: code } : refuse(404, 'Introuvable.');
	};
	return { asked, act };
}

describe('retryUnderMovedCode', () => {
	it('acts once more under the new code when a form posted at the former one found no fiche', async () => {
		const { asked, act } = actOn(moved);
		const { answer, code } = await retryUnderMovedCode(event('9-1', 'POST'), act, notFound);
		expect(moved).not.toBe('9-1');
		expect(asked).toEqual(['9-1', moved]);
		expect(code).toBe(moved);
		expect(answer).toEqual({ ok: true, value: moved });
	});

	it('redirects a page asked for at the former code to the new one (307)', async () => {
		const { act } = actOn(moved);
		const answer = await retryUnderMovedCode(event('9-1', 'GET'), act, notFound).catch(
			(e: unknown) => e
		);
		expect(isRedirect(answer) && [answer.status, answer.location]).toEqual([
			307,
			`/admin/plan/fiches/${moved}`
		]);
	});

	it('acts once when the fiche is found, or when no fiche ever had the code', async () => {
		const found = actOn(moved);
		expect(await retryUnderMovedCode(event(moved, 'POST'), found.act, notFound)).toEqual({
			answer: { ok: true, value: moved },
			code: moved
		});
		const never = actOn(moved);
		const missed = await retryUnderMovedCode(event('99-9', 'POST'), never.act, (a) => !a.ok);
		expect([found.asked, never.asked, missed.code, missed.answer.ok]).toEqual([
			[moved],
			['99-9'],
			'99-9',
			false
		]);
	});
});

describe('toldMoved', () => {
	it('says first that the fiche moved, and what it became, in a refusal decided under its new code', async () => {
		const conflict = refuse(409, 'Quelqu’un a modifié cette fiche.');
		expect(toldMoved(event('9-1', 'POST'), moved, conflict)).toEqual({
			...conflict,
			message: `La fiche 9-1 a été rattachée à un autre objectif entre-temps : elle est devenue la fiche ${moved}. Quelqu’un a modifié cette fiche.`
		});
		// Decided under the address's own code: as it was.
		expect(toldMoved(event(moved, 'POST'), moved, conflict)).toBe(conflict);
	});
});
