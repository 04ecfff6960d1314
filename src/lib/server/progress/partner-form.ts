// The partner's form of a fiche (/espace/fiches/[code]/suivi): what it shows and why
// (partnerFormContext), decided as a save is, by access.ts's reportingContext.
import type { Db } from '../db';
import { partnerOffFiche } from '../auth/permissions';
import type { User } from '../auth/users';
import type { UpdateState } from '../db/schema';
import { ok, type Result } from '../result';
import { findOpenUpdate, type ProgressUpdateRecord } from './repository';
import { readUpdateAccess, type Fiche, reportingFiche, reportingContext } from './access';

/** The update a partner's form shows, with « Supprimer le brouillon » when it may be discarded. */
export type FormDraft = ProgressUpdateRecord & { canDiscard: boolean };

/**
 * What the partner's form of a fiche shows, and why: the page turns each `reason` into its answer
 * (a redirect on opening it; after a refused post, the page drawn with the action's answer).
 */
export type PartnerForm = { fiche: Fiche } &
	/** A new update; `resume`, the organisation's open update on the fiche (one at most), if any. */
	(
		| { reason: 'new-update'; resume: { id: number; state: UpdateState } | null }
		/** The update named, theirs, on this fiche, which their organisation still works on. */
		| { reason: 'draft'; draft: FormDraft }
		/**
		 * Their organisation no longer carries nor partners the fiche: the update named (read on its
		 * own page), or none for a new update (refused as `refusalReason` says).
		 */
		| { reason: 'organisation-off-fiche'; draft: FormDraft | null }
		/** The update named is a draft their organisation discarded (`noUpdate`). */
		| { reason: 'draft-discarded'; updateId: number }
	);

/**
 * The partner's form of fiche `ficheCode`, for a new update (`updateId` null) or the one named,
 * decided as a save is (`reportingContext`, the update reached by `readUpdateAccess`): refused
 * 404 for an unknown fiche (reason `fiche-not-found`) or update (another organisation's, or one
 * on another fiche), 403 for someone who may not write on the fiche (`forbidden` when there is no
 * reason to tell).
 */
export async function partnerFormContext(
	db: Db,
	user: User,
	ficheCode: string,
	updateId: number | null,
	clientAddress: string | null
): Promise<Result<PartnerForm>> {
	const fiche = await reportingFiche(db, ficheCode);
	if (!fiche.ok) return fiche;
	const context = await reportingContext(db, user, fiche.value, updateId, (id) =>
		readUpdateAccess(db, user, id, 'save', clientAddress)
	);
	if (!context.ok) {
		// Discarded by the organisation: the page says so (or, after a refused save, draws the form
		// with its answer, the typing kept).
		if (context.reason === 'draft-discarded' && updateId !== null)
			return ok({ fiche: fiche.value, reason: 'draft-discarded', updateId });
		return context;
	}
	const { access } = context.value;
	if (access) {
		const draft = { ...access.update, canDiscard: access.canDiscard };
		return ok({
			fiche: fiche.value,
			reason: access.carried ? 'draft' : 'organisation-off-fiche',
			draft
		});
	}
	if (partnerOffFiche(user, context.value.ficheOrganisationIds))
		return ok({ fiche: fiche.value, reason: 'organisation-off-fiche', draft: null });
	// One open update per fiche and organisation: the form resumes it.
	const open = await findOpenUpdate(db, fiche.value.id, user.organisationId!);
	return ok({
		fiche: fiche.value,
		reason: 'new-update',
		resume: open ? { id: open.id, state: open.state } : null
	});
}
