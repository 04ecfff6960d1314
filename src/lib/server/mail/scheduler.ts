import { oneTimeLinkProblem } from '../auth/recovery';
import { sendCampaignReminders } from '../campaigns/service';
import type { Config } from '../config.js';
import type { Db } from '../db';
import { DiskFullEpisode } from '../db/disk-full-episode';
import { log } from '../log.js';
import { sendSubmissionDigest } from './notifications';
import { configureMail } from './outbox';
import { unwantedNotification } from './preferences';
import { MailSender, smtpTransport } from './sender';

/** A job run by the scheduler at most once a minute (digests, campaign reminders). */
export type ScheduledJob = (db: Db, now: number) => Promise<unknown>;

/** The jobs, in order: each is idempotent (what it sent is recorded in its own transaction). */
const JOBS: ScheduledJob[] = [sendSubmissionDigest, sendCampaignReminders];

/**
 * What runs the jobs once, each time it is called: a job that throws does not stop the others. A
 * full disk is no error of a job's: one line an episode (DiskFullEpisode, `"task":"jobs"`), not a
 * `job-error` each minute, which the alert of docs/operations.md would catch each time; the
 * episode ends once a run had no job refused and the database grew. `jobs` is for the tests.
 */
export function jobRunner(db: Db, jobs: ScheduledJob[] = JOBS): (now: number) => Promise<void> {
	let current = 0;
	const diskFull = new DiskFullEpisode(
		db,
		'jobs',
		{
			full: 'Espace disque plein : synthèse des mises à jour et rappels des campagnes remises à leur passe suivante, chaque minute',
			over: 'Espace disque de nouveau disponible : tâches programmées reprises'
		},
		() => current
	);
	return async (now) => {
		current = now;
		let refused = false;
		for (const job of jobs) {
			try {
				await job(db, now);
			} catch (error) {
				if (await diskFull.refused(error)) refused = true;
				else
					log().error(
						{ event: 'job-error', err: error instanceof Error ? error.message : String(error) },
						'Tâche programmée en erreur'
					);
			}
		}
		if (!refused) await diskFull.wentThrough();
	};
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
	const runJobs = jobRunner(db);
	const sender = new MailSender(db, {
		transport: config.smtp ? smtpTransport(config.smtp) : null,
		from: config.mailFrom,
		now,
		linkProblem: (link, at) => oneTimeLinkProblem(db, link, at),
		recipientProblem: (message, at) => unwantedNotification(db, message, at),
		beforeDelivery: async (at) => {
			if (at - lastJobs < (JOB_EVERY_OVERRIDE || JOB_EVERY_MS) && at >= lastJobs) return;
			lastJobs = at;
			await runJobs(at);
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
