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
	pollMs: 5
});
await sender.start();
process.stdout.write('PRÊT\n');
