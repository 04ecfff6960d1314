// Test helpers: a real SMTP server (smtp-server) on a free loopback port that parses what it
// receives with mailparser. Not part of the portal.
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { SmtpConfig } from '../config.js';

export interface Received {
	envelopeTo: string[];
	mail: ParsedMail;
	secure: boolean;
}

export interface TestSmtp {
	port: number;
	received: Received[];
	config: SmtpConfig;
	/** What the next DATA gets: undefined accepts, a code refuses (421, 550…). */
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
		password: null
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
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				void (async () => {
					const code = refuseNext.shift();
					if (code) {
						const error = Object.assign(
							new Error(code >= 500 ? 'Boîte inconnue' : 'Occupé, réessayez'),
							{
								responseCode: code
							}
						);
						return callback(error);
					}
					received.push({
						envelopeTo: session.envelope.rcptTo.map((r) => r.address),
						mail: await simpleParser(Buffer.concat(chunks)),
						secure: session.secure
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
