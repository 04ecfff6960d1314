import type { Db, Executor } from '../db';
import { replacedValuesMail, reviewMail, submissionsDigest } from './messages';
import {
	findUpdateForNotice,
	lastDigestAt,
	recordDigest,
	undigestedSubmissions
} from './notifications-repository';
import { queueNotification } from './outbox';
import { activeRecipients } from './preferences-repository';

/*
 * The notifications of progress updates: the administrators' digest of submissions and the
 * review's notice to the organisation. A séance's mailings (convocation, closing, cancellation)
 * are the commission's: src/lib/server/commission/convocation.ts and sitting-notices.ts.
 */

export const DIGEST_EVERY_MS = 60 * 60 * 1000;

/**
 * Scheduled job: the admins' digest of submitted updates, at most one an hour, each update in one
 * digest per submission. Written in one transaction with the record of what it mentioned.
 */
export async function sendSubmissionDigest(db: Db, now: number): Promise<number> {
	return db.transaction().execute(async (trx) => {
		const last = await lastDigestAt(trx);
		if (last !== null && now - last < DIGEST_EVERY_MS && now >= last) return 0;
		const updates = await undigestedSubmissions(trx);
		if (updates.length === 0) return 0;
		const list = updates.map((u) => ({
			id: u.id,
			fiche: u.fiche,
			ficheTitle: u.ficheTitle,
			organisation: u.organisation ?? 'organisation inconnue'
		}));
		for (const admin of await activeRecipients(trx, { role: 'admin' }))
			await queueNotification(
				trx,
				'digest',
				'validations',
				admin,
				submissionsDigest(admin, list),
				now
			);
		await recordDigest(
			trx,
			updates.map((u) => u.id),
			now
		);
		return updates.length;
	});
}

/** In the review's transaction: tells the people of the submitting organisation. */
export async function notifyReview(
	db: Executor,
	review: {
		updateId: number;
		decision: 'validate' | 'return';
		comment: string;
		carried: boolean;
	},
	now: number
): Promise<void> {
	const update = await findUpdateForNotice(db, review.updateId);
	if (!update || update.organisationId === null) return;
	for (const person of await activeRecipients(db, { organisationId: update.organisationId }))
		await queueNotification(
			db,
			review.decision === 'validate' ? 'validated' : 'returned',
			'validations',
			person,
			reviewMail(person, {
				decision: review.decision,
				fiche: update.code,
				ficheTitle: update.title,
				comment: review.comment,
				updateId: update.id,
				carried: review.carried
			}),
			now
		);
}

/**
 * In a validation's transaction: tells the people of each other organisation whose published
 * values it replaced (`replaced`, each with its update and its words), one message per update of
 * theirs, with the people's preferences (« validations ») and unsubscribe link as any notice.
 */
export async function notifyReplacedValues(
	db: Executor,
	notice: {
		fiche: string;
		ficheTitle: string;
		by: string | null;
		replaced: { organisationId: number; updateId: number; line: string }[];
	},
	now: number
): Promise<void> {
	const byUpdate = new Map<number, typeof notice.replaced>();
	for (const r of notice.replaced)
		byUpdate.set(r.updateId, [...(byUpdate.get(r.updateId) ?? []), r]);
	for (const [updateId, values] of byUpdate)
		for (const person of await activeRecipients(db, { organisationId: values[0]!.organisationId }))
			await queueNotification(
				db,
				'replaced',
				'validations',
				person,
				replacedValuesMail(person, {
					fiche: notice.fiche,
					ficheTitle: notice.ficheTitle,
					by: notice.by,
					values: values.map((v) => v.line),
					updateId
				}),
				now
			);
}
