import net from 'node:net';
// Test helpers: a real SMTP server (smtp-server) on a free loopback port that parses what it
// receives with mailparser. Not part of the portal.
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { SmtpConfig } from '../config.js';
import type { Executor } from '../db';
import { OUTBOX_COLUMNS, type OutboxRow } from './outbox-repository';

export interface Received {
	envelopeTo: string[];
	mail: ParsedMail;
	secure: boolean;
	/** The name the client gave itself (EHLO). */
	clientName: string;
}

export interface TestSmtp {
	port: number;
	received: Received[];
	config: SmtpConfig;
	/**
	 * What the next DATA gets: undefined accepts, a code refuses (421, 550 « 5.1.1 Boîte inconnue »,
	 * 554 « 5.7.1 » refused for its content…).
	 */
	refuseNext: number[];
	close: () => Promise<void>;
}

/** The settings of a relay on this machine's loopback port, without TLS or credentials. */
export function loopbackSmtp(port: number): SmtpConfig {
	return {
		url: `smtp://127.0.0.1:${port}`,
		host: '127.0.0.1',
		port,
		secure: false,
		requireTls: false,
		user: null,
		password: null,
		clientName: null
	};
}

export async function startSmtp(
	options: Partial<SMTPServerOptions> & { delayMs?: () => number } = {}
): Promise<TestSmtp> {
	const received: Received[] = [];
	const refuseNext: number[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		...options,
		onData(stream, client, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				void (async () => {
					const code = refuseNext.shift();
					if (code) {
						const error = Object.assign(
							new Error(
								code === 554
									? '5.7.1 Message refusé comme indésirable'
									: code >= 500
										? '5.1.1 Boîte inconnue'
										: 'Occupé, réessayez'
							),
							{
								responseCode: code
							}
						);
						return callback(error);
					}
					received.push({
						envelopeTo: client.envelope.rcptTo.map((r) => r.address),
						mail: await simpleParser(Buffer.concat(chunks)),
						secure: client.secure,
						clientName: client.hostNameAppearsAs
					});
					// Accepted, answer not sent yet: the window where a client crash loses the answer.
					const delay = options.delayMs?.() ?? 0;
					if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
					callback();
				})();
			});
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const address = server.server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {
		port,
		received,
		refuseNext,
		config: loopbackSmtp(port),
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

/**
 * A bare SMTP relay whose answers a test chooses, for what smtp-server does not do: a greeting
 * that refuses (`greeting`: « 554 … »), a refused sender or recipient (`mailFrom`, `rcptTo`:
 * « 550 … »), or a connection cut right after the message's final dot, without any answer
 * (`afterData: 'cut'`), as a relay or a firewall may do once it has the message. `bodies` holds
 * every message it took.
 */
export async function startScriptedRelay(script: {
	/** null: the connection is closed before any greeting. */
	greeting?: string | null;
	mailFrom?: string;
	/** An answer to every RCPT TO, or one per recipient address; 'cut' closes the connection. */
	rcptTo?: string | ((address: string) => string);
	auth?: string;
	afterData?: 'cut' | string;
}) {
	const bodies: string[] = [];
	const server = net.createServer((socket) => {
		let buffer = '';
		let inData = false;
		socket.on('error', () => {});
		if (script.greeting === null) return void socket.destroy();
		socket.write(`${script.greeting ?? '220 relais de test'}\r\n`);
		if (script.greeting && !script.greeting.startsWith('2')) return void socket.end();
		socket.on('data', (chunk) => {
			buffer += chunk.toString('latin1');
			for (;;) {
				if (inData) {
					const end = buffer.indexOf('\r\n.\r\n');
					if (end < 0) return;
					bodies.push(buffer.slice(0, end));
					buffer = buffer.slice(end + 5);
					inData = false;
					if (script.afterData === 'cut') return void socket.destroy();
					socket.write(`${script.afterData ?? '250 pris'}\r\n`);
					continue;
				}
				const eol = buffer.indexOf('\r\n');
				if (eol < 0) return;
				const line = buffer.slice(0, eol);
				const verb = line.slice(0, 4).toUpperCase();
				buffer = buffer.slice(eol + 2);
				const rcpt =
					typeof script.rcptTo === 'function'
						? script.rcptTo(/<([^>]*)>/.exec(line)?.[1] ?? '')
						: script.rcptTo;
				if (verb === 'EHLO')
					socket.write(`250-relais\r\n${script.auth ? '250-AUTH PLAIN\r\n' : ''}250 8BITMIME\r\n`);
				else if (verb === 'AUTH') socket.write(`${script.auth ?? '235 OK'}\r\n`);
				else if (verb === 'MAIL') socket.write(`${script.mailFrom ?? '250 OK'}\r\n`);
				else if (verb === 'RCPT' && rcpt === 'cut') return void socket.destroy();
				else if (verb === 'RCPT') socket.write(`${rcpt ?? '250 OK'}\r\n`);
				else if (verb === 'DATA') {
					socket.write('354 la suite\r\n');
					inData = true;
				} else if (verb === 'QUIT') return void socket.end('221 au revoir\r\n');
				else socket.write('250 OK\r\n');
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const port = (server.address() as net.AddressInfo).port;
	return {
		bodies,
		config: loopbackSmtp(port),
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

/** One message of the outbox, every column read. */
export async function findMessage(db: Executor, id: number): Promise<OutboxRow | undefined> {
	return db
		.selectFrom('mail_outbox')
		.select(OUTBOX_COLUMNS)
		.where('id', '=', id)
		.executeTakeFirst();
}
