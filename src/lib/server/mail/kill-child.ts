// Child process of crash.spec.ts: runs the real outbox sender on a database file against the
// test's SMTP server, so the test can SIGKILL it at any moment. Not part of the portal.
import process from 'node:process';
import { openDatabase } from '../db';
import { MailSender, smtpTransport } from './sender';
import { loopbackSmtp } from './testing';

const db = openDatabase(process.env.DATABASE_PATH!);
const port = Number(process.env.SMTP_PORT);
const sender = new MailSender(db, {
	transport: smtpTransport(loopbackSmtp(port)),
	from: 'Portail SDUSN <ne-pas-repondre@lot-numerique.test>',
	pollMs: 5,
	// A relay slow to answer on a loaded machine is a temporary failure: tried again at once here
	// (the portal waits a minute), so the test waits for deliveries, not for the back-off.
	retryBaseMs: 50
});
await sender.start();
// The sender's timer does not hold a process open (a server's own listener does): this stand-in for
// the server stays up until the test kills it.
setInterval(() => undefined, 60_000);
process.stdout.write('PRÊT\n');
