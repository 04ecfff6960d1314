import { purgeAudit } from '../audit/repository';
import { isDiskFull, noteDiskFull } from '../db/dialect';
import { log } from '../log.js';
import type { Db } from '../db';
import { deleteExpiredSessions } from './sessions';
import { deleteForgottenFailures } from './throttle-repository';

const EVERY_MS = 6 * 60 * 60 * 1000;

/** Removes expired sessions and forgotten login counters: rows that can no longer serve. */
export async function pruneExpired(
	db: Db,
	now = Date.now()
): Promise<{ sessions: number; throttles: number }> {
	return {
		sessions: await deleteExpiredSessions(db, now),
		throttles: await deleteForgottenFailures(db, now)
	};
}

/**
 * Prunes now, then every six hours, for as long as the server runs (never keeps it alive); the
 * journal's retention purge (security events older than `auditRetentionDays`) runs with it. A full
 * disk is no error of theirs: one warning, `disk-full` as the requests and the mail sender say it,
 * once an episode (until a run goes through), /sante told; the next run tries again.
 */
export function schedulePruning(db: Db, auditRetentionDays: number): NodeJS.Timeout {
	let diskFullSaid = false;
	const failed = (event: string, message: string) => (error: unknown) => {
		if (!isDiskFull(error)) log().error({ event, err: String(error) }, message);
		else {
			noteDiskFull();
			if (!diskFullSaid)
				log().warn(
					{ event: 'disk-full', task: 'cleanup' },
					'Espace disque plein : nettoyage des sessions expirées et purge du journal remis à leur passe suivante, dans 6 heures'
				);
			diskFullSaid = true;
		}
		return false;
	};
	const run = () =>
		void Promise.all([
			pruneExpired(db).then(
				() => true,
				failed('prune-failed', 'Nettoyage des sessions expirées impossible')
			),
			purgeAudit(db, auditRetentionDays).then(
				() => true,
				failed('purge-failed', 'Purge de conservation du journal impossible')
			)
		]).then((done) => {
			if (done.every(Boolean)) diskFullSaid = false;
		});
	run();
	return setInterval(run, EVERY_MS).unref();
}
