import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../db';
import { migrateToLatest } from '../db/migrate';
import { log } from '../log.js';
import { createTestDb } from '../db/testing';
import { insertMessage } from './outbox-repository';
import { MailSender, smtpTransport } from './sender';
import { databaseFile, readSenderLease } from './sender-lease-repository';
import { PID_SPACE, SENDER_LEASE_MS } from './sender-lease';
import { findMessage, startSmtp, type TestSmtp } from './testing';

let db: Db;
let smtp: TestSmtp;
const senders: MailSender[] = [];

beforeEach(async () => {
	db = await createTestDb({ seed: false });
	smtp = await startSmtp({ delayMs: () => 200 });
});
afterEach(async () => {
	await Promise.all(senders.splice(0).map((s) => s.stop()));
	await smtp.close();
	await db.destroy();
});

function message(subject: string) {
	return {
		messageId: `<${subject.replace(/\W/g, '')}-${Math.random().toString(36).slice(2)}@lot-numerique.test>`,
		kind: 'essai',
		recipient: 'claire@adefpat.test',
		userId: null,
		subject,
		text: subject,
		html: `<p>${subject}</p>`,
		unsubscribeUrl: null
	};
}

/** A message written now; returns its id. */
function write(subject: string): Promise<number> {
	return insertMessage(db, message(subject), Date.now());
}

/** A sender polling every 10 ms, as a server's would (stopped after each test). */
async function startSender(): Promise<MailSender> {
	const sender = new MailSender(db, {
		transport: smtpTransport(smtp.config),
		from: 'Portail SDUSN <ne-pas-repondre@lot-numerique.test>',
		pollMs: 10
	});
	senders.push(sender);
	await sender.start();
	return sender;
}

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
	const end = Date.now() + 5_000;
	while (!(await check())) {
		if (Date.now() > end) throw new Error(`toujours pas : ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

/** The lease as a sender of another process left it, for this database unless told otherwise. */
async function leaseOf(holder: {
	host: string;
	pid: number;
	leaseUntil: number;
	database?: string;
}) {
	await db
		.insertInto('mail_sender')
		.values({
			id: 1,
			holder: 'autre-envoyeur',
			process: 'autre-processus',
			host: holder.host,
			pid: holder.pid,
			database: holder.database ?? (await databaseFile(db)),
			lease_until: holder.leaseUntil
		})
		.execute();
}

describe('one sender per database', () => {
	it('a second process waits: the message in flight stays the first’s, and the second sends once the first stops', async () => {
		const first = await write('Premier');
		const a = await startSender();
		await until(async () => (await findMessage(db, first))?.status === 'sending', 'en cours');
		// A second server started on the same database (or `vite dev` beside `npm start`).
		const b = await startSender();
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect((await findMessage(db, first))?.status).not.toBe('interrupted');
		await a.stop();
		expect(await findMessage(db, first)).toMatchObject({ status: 'sent', attempts: 1 });
		const second = await write('Second');
		await until(async () => (await findMessage(db, second))?.status === 'sent', 'envoyé par b');
		expect(smtp.received.map((r) => r.mail.subject)).toEqual(['Premier', 'Second']);
		await b.stop();
		expect(await readSenderLease(db)).toBeUndefined();
	});

	it('takes over at once from a process that died on this machine, its message in flight interrupted', async () => {
		const dead = spawnSync(process.execPath, ['-e', '']).pid!;
		await leaseOf({ host: PID_SPACE, pid: dead, leaseUntil: Date.now() + SENDER_LEASE_MS });
		const inFlight = await write('En cours');
		await db.updateTable('mail_outbox').set({ status: 'sending', attempts: 1 }).execute();
		const waiting = await write('En attente');
		await startSender();
		expect(await findMessage(db, inFlight)).toMatchObject({ status: 'interrupted' });
		await until(async () => (await findMessage(db, waiting))?.status === 'sent', 'envoyé');
		expect(await readSenderLease(db)).toMatchObject({ host: PID_SPACE, pid: process.pid });
	});

	it('does not wait for the sender of the file a copy was made from', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sdusn-bail-'));
		const original = openDatabase(join(dir, 'portail.db'));
		try {
			await migrateToLatest(original);
			const holder = new MailSender(original, { transport: null, from: 'a@lot-numerique.test' });
			await holder.start();
			// A backup or a test's template, made while the original's sender runs.
			await sql`VACUUM INTO ${join(dir, 'copie.db')}`.execute(original);
			const copy = openDatabase(join(dir, 'copie.db'));
			const inFlight = await insertMessage(copy, message('En cours'), Date.now());
			await copy.updateTable('mail_outbox').set({ status: 'sending' }).execute();
			const sender = new MailSender(copy, { transport: null, from: 'a@lot-numerique.test' });
			await sender.start();
			expect(await findMessage(copy, inFlight)).toMatchObject({ status: 'interrupted' });
			// The file itself (device and inode), not the path that reached it: a bind mount or a link
			// to the same file is the same database.
			const { dev, ino } = statSync(join(dir, 'copie.db'));
			expect(await readSenderLease(copy)).toMatchObject({ database: `${dev}:${ino}` });
			await sender.stop();
			await holder.stop();
			await copy.destroy();
		} finally {
			await original.destroy();
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('waits for a holder with its own pid namespace, even one with this process’s pid', async () => {
		// Another container of the same name, its node as pid 1 as ours may be: its pid says nothing here.
		await leaseOf({
			host: `${hostname()} pid:[1]`,
			pid: process.pid,
			leaseUntil: Date.now() + SENDER_LEASE_MS
		});
		const warn = vi.spyOn(log(), 'warn');
		await startSender();
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(await readSenderLease(db)).toMatchObject({ holder: 'autre-envoyeur' });
		// One pid key per line (pino's own is this process's), and a sentence without the namespace.
		const waiting = warn.mock.calls.find(
			([fields]) => (fields as { event?: string }).event === 'mail-sender-waiting'
		);
		expect(waiting?.[0]).toEqual({
			event: 'mail-sender-waiting',
			host: `${hostname()} pid:[1]`,
			holderPid: process.pid
		});
		expect(waiting?.[1]).toBe(
			`Un autre processus du portail (machine ${hostname()}, processus ${process.pid}) envoie les courriels de cette base : celui-ci attend qu’il s’arrête`
		);
		warn.mockRestore();
	});

	it('waits for a live holder, or one on another machine until its lease runs out', async () => {
		// This process's parent lives: its lease is respected however long it has left.
		await leaseOf({ host: PID_SPACE, pid: process.ppid, leaseUntil: Date.now() + 60_000 });
		const inFlight = await write('En cours');
		await db.updateTable('mail_outbox').set({ status: 'sending', attempts: 1 }).execute();
		await startSender();
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(await findMessage(db, inFlight)).toMatchObject({ status: 'sending' });
		expect(await readSenderLease(db)).toMatchObject({ holder: 'autre-envoyeur' });

		// Another machine: its process cannot be checked; its lease ends, and the waiting sender takes over.
		await db
			.updateTable('mail_sender')
			.set({ host: 'autre-machine', lease_until: Date.now() - 1 })
			.execute();
		await until(async () => (await findMessage(db, inFlight))?.status === 'interrupted', 'repris');
		expect(await readSenderLease(db)).toMatchObject({ host: PID_SPACE, pid: process.pid });
	});
});
