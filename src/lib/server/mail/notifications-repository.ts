import type { Executor } from '../db';

/** Submitted updates no digest has mentioned since their submission, oldest first. */
export async function undigestedSubmissions(db: Executor) {
	return db
		.selectFrom('progress_update')
		.innerJoin('fiche', 'fiche.id', 'progress_update.fiche_id')
		.leftJoin('organisation', 'organisation.id', 'progress_update.organisation_id')
		.select([
			'progress_update.id',
			'progress_update.submitted_at as submittedAt',
			'fiche.code as fiche',
			'fiche.title as ficheTitle',
			'organisation.name as organisation'
		])
		.where('progress_update.state', '=', 'submitted')
		.where('progress_update.submitted_at', 'is not', null)
		.where(({ not, exists, selectFrom }) =>
			not(
				exists(
					selectFrom('notification_event')
						.select('notification_event.id')
						.whereRef('notification_event.update_id', '=', 'progress_update.id')
						.where('notification_event.kind', '=', 'digest')
						.whereRef('notification_event.digested_at', '>=', (eb) =>
							eb.fn('unixepoch', [eb.ref('progress_update.submitted_at')])
						)
				)
			)
		)
		.orderBy('progress_update.submitted_at')
		.execute();
}

/** When the last digest went (ms), or null. */
export async function lastDigestAt(db: Executor): Promise<number | null> {
	const row = await db
		.selectFrom('notification_event')
		.select((eb) => eb.fn.max('created_at').as('at'))
		.where('kind', '=', 'digest')
		.executeTakeFirst();
	return row?.at ?? null;
}

/** Records that these updates were in the digest sent at `now`. */
export async function recordDigest(db: Executor, updateIds: number[], now: number): Promise<void> {
	if (updateIds.length === 0) return;
	await db
		.insertInto('notification_event')
		.values(
			updateIds.map((id) => ({
				kind: 'digest',
				update_id: id,
				created_at: now,
				// Seconds, compared with unixepoch(submitted_at): a resubmission is digested again.
				digested_at: Math.floor(now / 1000)
			}))
		)
		.execute();
}

/** An update, its fiche and the organisation that submitted it (review notifications). */
export async function findUpdateForNotice(db: Executor, updateId: number) {
	return db
		.selectFrom('progress_update')
		.innerJoin('fiche', 'fiche.id', 'progress_update.fiche_id')
		.select([
			'progress_update.id',
			'progress_update.organisation_id as organisationId',
			'fiche.code',
			'fiche.title'
		])
		.where('progress_update.id', '=', updateId)
		.executeTakeFirst();
}
