import { purgeAudit } from '../audit/repository';
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
 * journal's retention purge (security events older than `auditRetentionDays`) runs with it.
 */
export function schedulePruning(db: Db, auditRetentionDays: number): NodeJS.Timeout {
	const run = () => {
		pruneExpired(db).catch((error: unknown) =>
			log().error(
				{ event: 'prune-failed', err: String(error) },
				'Nettoyage des sessions expirées impossible'
			)
		);
		purgeAudit(db, auditRetentionDays).catch((error: unknown) =>
			log().error(
				{ event: 'purge-failed', err: String(error) },
				'Purge de conservation du journal impossible'
			)
		);
	};
	run();
	return setInterval(run, EVERY_MS).unref();
}
