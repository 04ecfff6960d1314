// A partner takes a submitted update back to draft (withdrawProgressUpdate), within the day's
// bound of WITHDRAWALS_PER_DAY that « replace » of a submitted update counts against too.
import type { Db, Executor } from '../db';
import { countTodaysActions, recordAudit } from '../audit/repository';
import type { User } from '../auth/users';
import { ok, refuse, type Result } from '../result';
import { UPDATE_STATE_LABELS as STATE_LABELS } from '../../utils/vocabulary';
import { withdrawUpdate, type ProgressUpdateRecord } from './repository';
import { updateAccess } from './access';

/** Withdrawals a partner account may make in a day (in Paris), « replace » of a submitted one included. */
export const WITHDRAWALS_PER_DAY = 20;

export const WITHDRAWALS_SPENT_MESSAGE = `Vous avez déjà repris ${WITHDRAWALS_PER_DAY} mises à jour soumises aujourd’hui : celle-ci reste soumise à Lot numérique. Pour la corriger, demandez à l’équipe de vous la renvoyer.`;

/**
 * Whether the account has taken back WITHDRAWALS_PER_DAY submitted updates today: each withdrawal
 * and the submission after it is a row of the journal, which keeps them; a loop of the two would
 * fill it (security probe). Read in the transaction that writes the next one.
 */
export async function withdrawalsSpent(trx: Executor, user: User, now: Date): Promise<boolean> {
	return (await countTodaysActions(trx, user.id, 'update.withdrawn', now)) >= WITHDRAWALS_PER_DAY;
}

/**
 * Why « Retirer » is refused, in the order that holds: staff acted on it; the organisation was
 * taken off the fiche (a submitted update stays readable, not withdrawable); nothing submitted.
 */
function notWithdrawable(update: ProgressUpdateRecord, carried: boolean): string {
	if (update.state === 'validated' || update.state === 'returned')
		return `Lot numérique a déjà traité cette mise à jour (${STATE_LABELS[update.state]}) : elle ne peut plus être retirée.`;
	if (!carried)
		return 'Votre organisation ne porte plus cette fiche et n’en est plus partenaire : cette mise à jour reste lisible, mais ne se retire pas.';
	return 'Cette mise à jour n’est pas soumise : il n’y a rien à retirer.';
}

/**
 * A partner takes their organisation's submitted update back to draft, until staff have acted on
 * it (validated or returned). The version seen on the page guards against a decision in between.
 */
export async function withdrawProgressUpdate(
	db: Db,
	user: User,
	updateId: number,
	version: number,
	clientAddress: string | null,
	now = new Date()
): Promise<Result<{ ficheCode: string }>> {
	return db.transaction().execute(async (trx) => {
		const access = await updateAccess(trx, user, updateId, 'withdraw', clientAddress, now);
		if (!access.ok) return access;
		const { update, carried, canWithdraw } = access.value;
		if (!canWithdraw) return refuse(409, notWithdrawable(update, carried));
		if (update.version !== version)
			return refuse(409, 'Cette mise à jour a changé depuis l’ouverture de la page : relisez-la.');
		if (await withdrawalsSpent(trx, user, now)) return refuse(429, WITHDRAWALS_SPENT_MESSAGE);
		await withdrawUpdate(trx, update.id, update.version, user.id, now.toISOString());
		await recordAudit(
			trx,
			{
				actor: user,
				action: 'update.withdrawn',
				target: { type: 'suivi', id: update.id },
				summary: `Mise à jour de la fiche ${update.ficheCode} retirée avant validation : revenue en brouillon`,
				before: { state: 'submitted' },
				after: { state: 'draft' },
				clientAddress
			},
			now
		);
		return ok({ ficheCode: update.ficheCode });
	});
}
