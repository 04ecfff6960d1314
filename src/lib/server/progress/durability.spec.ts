import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/index';
import { migrateToLatest } from '../db/migrate';
import { seedPlan } from '../seed';
import { createTestUser } from '../auth/testing';
import { testChild } from '../../../../scripts/test-children';
import { createPartner } from './testing';
import { scratchDir } from '../db/testing';

/** durability-server.ts, compiled once per run. */
const SERVER = testChild('durability-server');

interface Reporter {
	id: number;
	fiche: string;
}

/**
 * A database with `partners` partners, each of another (organisation, fiche) pair, since an
 * organisation has one open update per fiche at a time; and a staff account that validates.
 */
async function prepareDatabase(
	partners: number
): Promise<{ path: string; reporters: Reporter[]; adminId: number }> {
	const path = join(scratchDir('durability'), 'sdusn.db');
	const db = openDatabase(path);
	await migrateToLatest(db);
	await seedPlan(db);
	const pairs = await db
		.selectFrom('fiche_owner')
		.innerJoin('fiche', 'fiche.id', 'fiche_owner.fiche_id')
		.innerJoin('organisation', 'organisation.id', 'fiche_owner.organisation_id')
		.select(['fiche.code', 'organisation.slug'])
		.union((eb) =>
			eb
				.selectFrom('fiche_partner')
				.innerJoin('fiche', 'fiche.id', 'fiche_partner.fiche_id')
				.innerJoin('organisation', 'organisation.id', 'fiche_partner.organisation_id')
				.select(['fiche.code', 'organisation.slug'])
		)
		.orderBy('code')
		.orderBy('slug')
		.execute();
	const reporters: Reporter[] = [];
	for (const [i, pair] of pairs.slice(0, partners).entries())
		reporters.push({
			id: (await createPartner(db, pair.slug, `partenaire${i}@${pair.slug}.fr`)).id,
			fiche: pair.code
		});
	const { id: adminId } = await createTestUser(db, {
		email: 'equipe@lot-numerique.fr',
		name: 'Équipe',
		role: 'admin',
		password: null
	});
	await db.destroy();
	return { path, reporters, adminId };
}

function startServer(
	path: string,
	adminId: number
): Promise<{ child: ChildProcess; port: number }> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [SERVER], {
			env: { ...process.env, DATABASE_PATH: path, ADMIN_ID: String(adminId) },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			const match = /PORT (\d+)/.exec(output);
			if (match) resolve({ child, port: Number(match[1]) });
		});
		child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.on('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
	});
}

function stopped(child: ChildProcess): Promise<void> {
	return new Promise((resolve) =>
		child.exitCode !== null || child.signalCode !== null
			? resolve()
			: child.once('exit', () => resolve())
	);
}

async function submit(
	port: number,
	reporter: Reporter,
	key: string
): Promise<{ ok: boolean; id?: number }> {
	const query = `user=${reporter.id}&fiche=${reporter.fiche}&key=${key}`;
	const response = await fetch(`http://127.0.0.1:${port}/?${query}`, {
		method: 'POST'
	});
	const result = (await response.json()) as { ok: boolean; value?: { id: number } };
	return { ok: result.ok, id: result.value?.id };
}

function check(path: string): { integrity: string; keys: Map<string, number> } {
	const db = new SQLite(path, { readonly: true });
	try {
		const integrity = db.pragma('integrity_check', { simple: true }) as string;
		const rows = db
			.prepare(
				'SELECT submission_key AS key, count(*) AS n FROM progress_update WHERE submission_key IS NOT NULL GROUP BY submission_key'
			)
			.all() as { key: string; n: number }[];
		return { integrity, keys: new Map(rows.map((r) => [r.key, r.n])) };
	} finally {
		db.close();
	}
}

describe('nothing lost', () => {
	it('keeps every acknowledged submission when the server is killed (SIGKILL) at random moments', async () => {
		const { path, reporters, adminId } = await prepareDatabase(8);
		const acknowledged = new Set<string>();
		const ROUNDS = 8;
		for (let round = 0; round < ROUNDS; round++) {
			const { child, port } = await startServer(path, adminId);
			// A first submission, awaited: on a loaded machine the server's first answer may take
			// longer than the whole kill window, which would then test nothing. The random window
			// opens once the server has answered.
			const first = `r${round}-premier`;
			if ((await submit(port, reporters[0]!, first)).ok) acknowledged.add(first);
			const pending: Promise<void>[] = [];
			let sent = 0;
			const killAfter = 30 + Math.floor(Math.random() * 250);
			const started = Date.now();
			// Keep submissions flowing until the kill; each acknowledgement is recorded as it arrives.
			while (Date.now() - started < killAfter) {
				const key = `r${round}-n${sent++}`;
				pending.push(
					submit(port, reporters[sent % reporters.length]!, key)
						.then((result) => {
							if (result.ok) acknowledged.add(key);
						})
						.catch(() => undefined)
				);
				if (sent % 8 === 0) await new Promise((r) => setTimeout(r, 5));
			}
			child.kill('SIGKILL');
			await Promise.all(pending);
			await stopped(child);
			const { integrity, keys } = check(path);
			expect(integrity, `round ${round}`).toBe('ok');
			for (const key of acknowledged)
				expect(keys.get(key), `acknowledged ${key} after round ${round}`).toBe(1);
		}
		expect(acknowledged.size).toBeGreaterThan(ROUNDS);
	}, 120_000);

	it('stores fifty partners submitting at the same moment, once each, even when they post twice', async () => {
		const { path, reporters, adminId } = await prepareDatabase(50);
		const { child, port } = await startServer(path, adminId);
		try {
			const first = await Promise.all(
				reporters.map((reporter, i) => submit(port, reporter, `simultane-${i}`))
			);
			const again = await Promise.all(
				reporters.map((reporter, i) => submit(port, reporter, `simultane-${i}`))
			);
			expect(first.every((r) => r.ok)).toBe(true);
			expect(again.map((r) => r.id)).toEqual(first.map((r) => r.id));
			expect(new Set(first.map((r) => r.id)).size).toBe(50);
		} finally {
			child.kill('SIGTERM');
			await stopped(child);
		}
		const { integrity, keys } = check(path);
		expect(integrity).toBe('ok');
		expect([...keys.keys()].filter((k) => k.startsWith('simultane-')).sort()).toHaveLength(50);
		expect([...keys.values()].every((n) => n === 1)).toBe(true);
	}, 60_000);
});
