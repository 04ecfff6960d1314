import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db';
import { migrateToLatest } from '../db/migrate';
import { insertMessage } from './outbox-repository';
import { testChild } from '../../../../scripts/test-children';
import { startSmtp, type TestSmtp } from './testing';

/** kill-child.ts, compiled once per run. */
const CHILD = testChild('kill-child');
const MESSAGES = 60;
const KILLS = 8;

let dir: string;
let path: string;
let smtp: TestSmtp;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'sdusn-courriel-'));
	path = join(dir, 'outbox.db');
	const db = openDatabase(path);
	await migrateToLatest(db);
	for (let i = 0; i < MESSAGES; i++)
		await insertMessage(
			db,
			{
				messageId: `<message-${i}@lot-numerique.test>`,
				kind: 'essai',
				recipient: `personne${i}@cdg46.test`,
				userId: null,
				subject: `Message ${i}`,
				text: `Message ${i}`,
				html: `<p>Message ${i}</p>`,
				unsubscribeUrl: null
			},
			Date.now()
		);
	await db.destroy();
	// The relay takes a few milliseconds to answer after accepting: kills land in that window too.
	smtp = await startSmtp({ delayMs: () => Math.floor(Math.random() * 15) });
	// Migrating a new file took over the default 10 s once, beside three browser-test workers.
}, 60_000);

afterAll(async () => {
	await smtp.close();
	rmSync(dir, { recursive: true, force: true });
});

function startChild(): Promise<ChildProcess> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [CHILD], {
			env: {
				...process.env,
				DATABASE_PATH: path,
				SMTP_PORT: String(smtp.port),
				LOG_LEVEL: 'silent'
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			if (output.includes('PRÊT')) resolve(child);
		});
		child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.on('exit', (code, signal) => {
			if (signal !== 'SIGKILL') reject(new Error(`sender exited (${code}): ${output}`));
		});
	});
}

function killed(child: ChildProcess): Promise<void> {
	return new Promise((resolve, reject) => {
		// A sender that stopped by itself before the kill is a failure, not a wait without end.
		if (child.exitCode !== null) reject(new Error(`sender exited early (${child.exitCode})`));
		child.once('exit', () => resolve());
		child.kill('SIGKILL');
	});
}

function statuses(): Map<string, string> {
	const db = new SQLite(path, { readonly: true });
	try {
		const rows = db.prepare('SELECT message_id AS id, status FROM mail_outbox').all() as {
			id: string;
			status: string;
		}[];
		return new Map(rows.map((r) => [r.id, r.status]));
	} finally {
		db.close();
	}
}

function countByStatus(): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const status of statuses().values()) counts[status] = (counts[status] ?? 0) + 1;
	return counts;
}

describe('SIGKILL of the sending process at random moments', () => {
	it('delivers each message at most once, and every message not interrupted exactly once', async () => {
		for (let kill = 0; kill < KILLS; kill++) {
			const child = await startChild();
			await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 40)));
			await killed(child);
		}
		// The last run, left alone until nothing is waiting. On a machine shared with the e2e suite
		// the unit tests get little of the cores: the wait is long, and a failure says what waits.
		const child = await startChild();
		try {
			const deadline = Date.now() + 60_000;
			while ([...statuses().values()].some((s) => s === 'pending' || s === 'sending')) {
				if (Date.now() > deadline)
					throw new Error(`messages still waiting: ${JSON.stringify(countByStatus())}`);
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
		} finally {
			await killed(child);
		}

		const deliveries = new Map<string, number>();
		for (const { mail } of smtp.received)
			deliveries.set(mail.messageId!, (deliveries.get(mail.messageId!) ?? 0) + 1);
		const final = statuses();
		expect(final.size).toBe(MESSAGES);
		let interrupted = 0;
		for (const [id, status] of final) {
			const count = deliveries.get(id) ?? 0;
			expect(count, id).toBeLessThanOrEqual(1);
			if (status === 'sent') expect(count, id).toBe(1);
			else {
				expect(status, id).toBe('interrupted');
				interrupted += 1;
			}
		}
		// Only a kill can interrupt a message, one at most per kill.
		expect(interrupted).toBeLessThanOrEqual(KILLS);
		expect(smtp.received.length + interrupted).toBeGreaterThanOrEqual(MESSAGES);
	}, 180_000);
});
