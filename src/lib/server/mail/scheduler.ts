import { oneTimeLinkProblem } from '../auth/recovery';
import { sendCampaignReminders } from '../campaigns/service';
import type { Config } from '../config.js';
import type { Db } from '../db';
import { log } from '../log.js';
import { sendSubmissionDigest } from './notifications';
import { configureMail } from './outbox';
import { unwantedNotification } from './preferences';
import { MailSender, smtpTransport } from './sender';

/** A job run by the scheduler at most once a minute (digests, campaign reminders). */
export type ScheduledJob = (db: Db, now: number) => Promise<unknown>;

/** The jobs, in order: each is idempotent (what it sent is recorded in its own transaction). */
const jobs: ScheduledJob[] = [sendSubmissionDigest, sendCampaignReminders];

/** Runs every job once; a job that throws does not stop the others. */
async function runJobs(db: Db, now: number): Promise<void> {
	for (const job of jobs) {
		try {
			await job(db, now);
		} catch (error) {
			log().error(
				{ event: 'job-error', err: error instanceof Error ? error.message : String(error) },
				'Tâche programmée en erreur'
			);
		}
	}
}

const JOB_EVERY_MS = 60_000;
// For the end-to-end tests only (tests/e2e/helpers/portal.ts): scheduled jobs every N ms
// (docs/operations.md, « Variables d’environnement »).
const JOB_EVERY_OVERRIDE = Number(process.env.SDUSN_JOBS_EVERY_MS) || 0;

/**
 * The mail part of the server: links built from ORIGIN, messages from MAIL_FROM, the sender
 * polling the outbox (SMTP when SMTP_URL is set, otherwise the embedded default) and, before its
 * rounds, the scheduled jobs once a minute. `now` is injectable (tests).
 */
export async function startMail(
	db: Db,
	config: Pick<Config, 'origin' | 'host' | 'port' | 'smtp' | 'mailFrom'>,
	now: () => number = Date.now
): Promise<MailSender> {
	const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
	configureMail({
		origin: config.origin ?? `http://${host}:${config.port}`,
		from: config.mailFrom,
		relayed: config.smtp !== null
	});
	let lastJobs = -Infinity;
	const sender = new MailSender(db, {
		transport: config.smtp ? smtpTransport(config.smtp) : null,
		from: config.mailFrom,
		now,
		linkProblem: (link, at) => oneTimeLinkProblem(db, link, at),
		recipientProblem: (message, at) => unwantedNotification(db, message, at),
		beforeDelivery: async (at) => {
			if (at - lastJobs < (JOB_EVERY_OVERRIDE || JOB_EVERY_MS) && at >= lastJobs) return;
			lastJobs = at;
			await runJobs(db, at);
		}
	});
	await sender.start();
	log().info(
		{ event: 'mail-start', smtp: config.smtp ? config.smtp.url : null },
		config.smtp
			? `Courriels envoyés par ${config.smtp.url}`
			: 'Courriels gardés dans la base (pas de SMTP_URL) : voir /admin/courriels'
	);
	return sender;
}
