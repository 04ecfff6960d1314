// Test helpers for e-mailed features (kept apart from testing.ts, which a child process outside
// Vitest imports: this file needs Vitest through createTestDb). Not part of the portal.
import { oneTimeLinkProblem } from '../auth/recovery';
import { createTestUser, PEOPLE } from '../auth/testing';
import type { User } from '../auth/users';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import { configureMail } from './outbox';
import { unwantedNotification } from './preferences';
import { MailSender, smtpTransport } from './sender';
import { startSmtp, type Received, type TestSmtp } from './testing';

const TEST_FROM = 'Portail SDUSN <ne-pas-repondre@sdusn.test>';

export interface MailTest {
	db: Db;
	smtp: TestSmtp;
	/** Hands the messages due at `now()` to the test server; returns those it received. */
	deliver: () => Promise<Received[]>;
	close: () => Promise<void>;
}

/**
 * What the specs of e-mailed features start from: mail configured for https://sdusn.test, a
 * private seeded database, a test SMTP server, and a sender whose clock is `now()`.
 */
export async function startMailTest(now: () => number): Promise<MailTest> {
	const previous = configureMail({
		origin: 'https://sdusn.test',
		from: TEST_FROM,
		relayed: true
	});
	const db = await createTestDb();
	const smtp = await startSmtp();
	return {
		db,
		smtp,
		async deliver() {
			const before = smtp.received.length;
			await new MailSender(db, {
				transport: smtpTransport(smtp.config),
				from: TEST_FROM,
				now,
				// As the server's sender (scheduler.ts): a link that no longer works is not sent.
				linkProblem: (link, at) => oneTimeLinkProblem(db, link, at),
				recipientProblem: (message, at) => unwantedNotification(db, message, at)
			}).deliverDue();
			return smtp.received.slice(before);
		},
		async close() {
			configureMail(previous);
			await smtp.close();
			await db.destroy();
		}
	};
}

/**
 * startMailTest with the accounts the notification specs write to: an administrator, Paul and
 * Chloé of CDG46 (partners) and Claude, a member of the commission.
 */
export async function startMailTestWithPeople(now: () => number): Promise<{
	mail: MailTest;
	admin: User;
	partner: User;
	colleague: User;
	member: User;
}> {
	const mail = await startMailTest(now);
	return {
		mail,
		admin: await createTestUser(mail.db, PEOPLE.admin),
		partner: await createTestUser(mail.db, PEOPLE.paul),
		colleague: await createTestUser(mail.db, PEOPLE.chloe),
		member: await createTestUser(mail.db, PEOPLE.claude)
	};
}
