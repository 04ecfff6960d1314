// A partner discards a draft never sent to Lot numérique, for good (discardProgressDraft), and
// why one cannot be (notDiscardable).
import type { Db } from '../db';
import { recordAudit } from '../audit/repository';
import type { User } from '../auth/users';
import { ok, refuse, type Result } from '../result';
import { formatDate, formatMoment } from '../../utils/format';
import { discardDraft, type ProgressUpdateRecord } from './repository';
import { updateAccess } from './access';

/** Why a partner's draft cannot be discarded (`update.discard` refused on an update it may read). */
function notDiscardable(update: ProgressUpdateRecord, sent: boolean, carried: boolean): string {
	const who = update.updatedByName ?? 'Une autre personne de votre organisation';
	if (update.state === 'submitted')
		return `${who} a soumis cette mise à jour à Lot numérique${update.submittedAt ? ` le ${formatDate(update.submittedAt)}` : ''} : elle n’est plus un brouillon et ne se supprime pas. Rien n’a été supprimé.`;
	if (update.state === 'validated')
		return 'Cette mise à jour a été validée et publiée par Lot numérique : elle ne se supprime pas.';
	if (update.state === 'returned' || update.reviewComment !== null)
		return 'Lot numérique a renvoyé cette mise à jour pour qu’elle soit corrigée : elle ne se supprime pas. Corrigez-la puis soumettez-la de nouveau, ou écrivez à Lot numérique si elle n’a plus lieu d’être.';
	if (!carried)
		return 'Votre organisation ne porte plus cette fiche et n’en est plus partenaire : ce brouillon reste lisible, mais ne se reprend ni ne se supprime.';
	if (sent)
		return 'Ce brouillon a déjà été soumis à Lot numérique, puis retiré : il fait partie de vos échanges avec Lot numérique et ne se supprime pas. Modifiez-le puis soumettez-le, ou écrivez à Lot numérique s’il n’a plus lieu d’être.';
	return 'Cette mise à jour ne peut pas être supprimée.';
}

/**
 * A partner discards their organisation's draft for good, with its measurements: only a draft
 * never sent to Lot numérique (`update.discard`), over the version seen on the page (a colleague's
 * save in between wins: nothing is deleted, the page reads it again). Its number is kept
 * (`discarded_update`), never given to another update. Another organisation's update, or anyone
 * else, is answered as a missing one (404, journaled); a draft discarded already (a second tab)
 * by 410, which the page says as such.
 */
export async function discardProgressDraft(
	db: Db,
	user: User,
	updateId: number,
	version: number,
	clientAddress: string | null,
	now = new Date()
): Promise<Result<{ ficheCode: string }>> {
	return db.transaction().execute(async (trx) => {
		const access = await updateAccess(trx, user, updateId, 'discard', clientAddress, now);
		if (!access.ok) return access;
		const { update, sent, carried, canDiscard } = access.value;
		if (!canDiscard) return refuse(409, notDiscardable(update, sent, carried));
		const discarded =
			update.version === version &&
			(await discardDraft(
				trx,
				{ id: update.id, ficheId: update.ficheId, organisationId: update.organisationId!, version },
				user.id,
				now.toISOString()
			));
		if (!discarded) {
			const self = update.updatedBy === user.id;
			const who = self
				? 'Vous avez enregistré ce brouillon depuis un autre onglet, une autre fenêtre ou un autre appareil'
				: `${update.updatedByName ?? 'Une autre personne de votre organisation'} a enregistré ce brouillon`;
			return refuse(
				409,
				`${who}${update.updatedAt ? ` le ${formatMoment(update.updatedAt)}` : ''}, après l’ouverture de cette page : rien n’a été supprimé. Relisez-le ci-dessous ; s’il faut encore le supprimer, cochez de nouveau la case.`
			);
		}
		// Who, which fiche, when: a draft's content was never journaled, and is not now either.
		await recordAudit(
			trx,
			{
				actor: user,
				action: 'update.discarded',
				target: { type: 'suivi', id: update.id },
				summary: `Brouillon de la fiche ${update.ficheCode} supprimé par son organisation`,
				before: { state: 'draft', version },
				clientAddress
			},
			now
		);
		return ok({ ficheCode: update.ficheCode });
	});
}
