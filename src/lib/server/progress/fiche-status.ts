// Lot numérique sets a fiche's status itself (a commission's decision), as an update validated
// at once (setFicheStatus).
import type { Db } from '../db';
import { recordAudit } from '../audit/repository';
import { can } from '../auth/permissions';
import type { User } from '../auth/users';
import type { FicheStatus } from '../db/schema';
import { ok, refuse, type Result } from '../result';
import { DECIDED_STATUSES, FICHE_NOT_FOUND, STATUS_LABELS } from '../../utils/vocabulary';
import { ficheDecision } from '../authoring/edits';
import { formatDate, formatPercent } from '../../utils/format';
import { parisDate } from '../../utils/dates';
import { findFicheForReporting, insertStaffStatusUpdate, refreshFicheState } from './repository';

/** What « Changer le statut » sends: the new status, why, and the commission's decision applied. */
export interface StatusDecisionInput {
	status: (typeof DECIDED_STATUSES)[number];
	/** The status the page showed when the change was chosen. */
	shownStatus: FicheStatus;
	reason: string;
	decisionId: number | null;
}

/**
 * Lot numérique sets a fiche's status itself — a commission's decision to suspend it or take it up
 * again — as an update validated at once, dated today, the reason for its text and the decision
 * for its source. The status stays that of the latest validated update: the fiche's page, the
 * dashboard, the bilans and the open data read this one as any other, and a later update of its
 * owners changes it again.
 */
export async function setFicheStatus(
	db: Db,
	admin: User,
	code: string,
	input: StatusDecisionInput,
	clientAddress: string | null,
	now = new Date()
): Promise<Result> {
	if (!can(admin, 'plan.edit'))
		return refuse(403, 'Seule l’équipe de Lot numérique modifie le plan.');
	return db.transaction().execute(async (trx) => {
		const fiche = await findFicheForReporting(trx, code);
		if (!fiche) return refuse(404, FICHE_NOT_FOUND);
		if (fiche.retiredOn)
			return refuse(409, 'Cette fiche est abandonnée : son statut ne change plus.');
		if (fiche.status !== input.shownStatus)
			return refuse(
				409,
				`Le statut de la fiche a changé depuis l’ouverture de la page : elle est maintenant « ${STATUS_LABELS[fiche.status]} » (la page le montre à présent). Vérifiez qu’il faut encore le changer.`
			);
		const fieldErrors: Record<string, string> = {};
		if (fiche.status === input.status)
			fieldErrors.status = `La fiche est déjà « ${STATUS_LABELS[input.status]} » : choisissez un autre statut.`;
		else if (input.status === 'a_lancer' && (fiche.progress ?? 0) > 0)
			fieldErrors.status = `La fiche est avancée à ${formatPercent(fiche.progress)} : elle n’est plus « À lancer ». Choisissez « En cours » ou « Suspendue ».`;
		const cited =
			input.decisionId === null ? null : await ficheDecision(trx, fiche.code, input.decisionId);
		if (cited && !cited.ok) fieldErrors.decision = cited.message;
		const decision = cited?.ok ? cited.value : null;
		if (Object.keys(fieldErrors).length > 0)
			return refuse(400, 'Le statut n’a pas été changé : corrigez les champs signalés.', {
				fieldErrors
			});
		const at = now.toISOString();
		await insertStaffStatusUpdate(trx, {
			ficheId: fiche.id,
			reportedOn: parisDate(now),
			status: input.status,
			reason: input.reason,
			source: decision
				? `Lot numérique, en application de la décision de la commission du ${formatDate(decision.heldOn)}`
				: 'Lot numérique',
			authorId: admin.id,
			at
		});
		await refreshFicheState(trx, fiche.id);
		await recordAudit(
			trx,
			{
				actor: admin,
				action: 'plan.fiche_status',
				target: { type: 'fiche', id: fiche.code },
				summary: `Statut de la fiche ${fiche.code} changé : ${STATUS_LABELS[fiche.status]} → ${STATUS_LABELS[input.status]}`,
				before: { status: fiche.status },
				after: { status: input.status },
				clientAddress
			},
			now
		);
		return ok();
	});
}
