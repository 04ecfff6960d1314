// Who may reach a progress update, and do what with it: the one decision of the progress
// services and their pages (updateAccess in a transaction, readUpdateAccess for a page), the
// fiche a partner may write on (reportingContext), /espace's list of pending updates, a draft
// its own organisation discarded (ownDiscardedDraft).
import type { Db, Executor } from '../db';
import { recordBounded, recordDenial } from '../audit/repository';
import { log } from '../log.js';
import {
	can,
	NOT_THE_ORGANISATIONS_FICHE,
	partnerOffFiche,
	refusalReason
} from '../auth/permissions';
import type { User } from '../auth/users';
import { ok, refuse, type Refusal, type Result } from '../result';
import { FICHE_NOT_FOUND, UPDATE_NOT_FOUND } from '../../utils/vocabulary';
import { formatMoment } from '../../utils/format';
import {
	findFicheForReporting,
	findFicheOrganisationIds,
	findProgressUpdate,
	findDiscardedUpdate,
	listOrganisationPendingUpdates,
	wasSentToLotNumerique,
	type DiscardedUpdate,
	type PendingUpdateRecord,
	type ProgressUpdateRecord
} from './repository';

/** What a partner asks of an update: each is decided by `updateAccess`, in one place. */
export type UpdateAction = 'view' | 'save' | 'withdraw' | 'discard';

/** An update the person may reach, its fiche's organisations, and what they may do with it. */
export interface UpdateAccess {
	/** The update, with its fiche (`ficheId`, `ficheCode`, `ficheTitle`). */
	update: ProgressUpdateRecord;
	ficheOrganisationIds: number[];
	/** Their organisation still carries or partners the fiche (`update.create`). */
	carried: boolean;
	/** Sent to Lot numérique once (submitted, withdrawn, returned): read for a draft only. */
	sent: boolean;
	/** « Retirer » (`update.withdraw`). */
	canWithdraw: boolean;
	/** « Supprimer le brouillon » (`update.discard`): a draft never sent to Lot numérique. */
	canDiscard: boolean;
}

/**
 * Whether the person's organisation still carries or partners a fiche that works with these
 * organisations (`update.create`): an update's `carried`, on its page (`updateAccess`), on the page
 * of a discarded draft and in the list of /espace (`listPendingUpdates`) alike.
 */
function stillCarried(user: User, ficheOrganisationIds: number[]): boolean {
	return can(user, 'update.create', { ficheOrganisationIds });
}

/** An update of the list of /espace, `carried` as its own page says it. */
export type PendingUpdate = Omit<PendingUpdateRecord, 'ficheOrganisationIds'> & {
	carried: boolean;
};

/**
 * The updates of the person's organisation not yet published (/espace), newest first, each with
 * `carried` decided as its page decides it (`stillCarried`, on the fiche's organisations read by
 * the same query, in the list's one statement): the list and the page cannot disagree. None for a
 * person without organisation.
 */
export async function listPendingUpdates(db: Executor, user: User): Promise<PendingUpdate[]> {
	if (user.organisationId === null) return [];
	const updates = await listOrganisationPendingUpdates(db, user.organisationId);
	return updates.map(({ ficheOrganisationIds, ...update }) => ({
		...update,
		carried: stillCarried(user, ficheOrganisationIds)
	}));
}

/** A decision and the denial it journals, if any (`updateAccess`, `readUpdateAccess`). */
interface AccessDecision {
	result: Result<UpdateAccess>;
	denial?: Parameters<typeof recordBounded>[1];
}

/**
 * A number that names no update: the draft its own organisation discarded is said as such (the
 * « Brouillon supprimé » paths: its page, a save refused 409 with the typing kept, a second discard
 * 410); for anyone else, and for a number never given, a missing update, journaled as nothing.
 */
async function noUpdate(
	db: Executor,
	user: User,
	updateId: number,
	action: UpdateAction
): Promise<Refusal> {
	const discarded = action === 'withdraw' ? undefined : await ownDiscardedDraft(db, user, updateId);
	if (!discarded) return refuse(404, UPDATE_NOT_FOUND);
	if (action === 'save')
		return refuse(
			409,
			`Ce brouillon de la fiche ${discarded.ficheCode} a été supprimé${discardedWords(discarded)}, pendant que vous le modifiiez.`,
			{ reason: 'draft-discarded' }
		);
	return refuse(
		410,
		`Ce brouillon de la fiche ${discarded.ficheCode} a déjà été supprimé${discardedWords(discarded)}.`,
		{ reason: 'draft-discarded' }
	);
}

async function decideUpdateAccess(
	db: Executor,
	user: User,
	updateId: number,
	action: UpdateAction,
	clientAddress: string | null
): Promise<AccessDecision> {
	const update = await findProgressUpdate(db, updateId);
	if (!update) return { result: await noUpdate(db, user, updateId, action) };
	const ficheOrganisationIds = await findFicheOrganisationIds(db, update.ficheId);
	const access = { ficheOrganisationIds, updateOrganisationId: update.organisationId };
	// Another organisation's update is answered as a missing one, journaled as a denial: neither
	// its existence nor its fiche is told.
	if (!can(user, 'update.view', access))
		return {
			result: refuse(404, UPDATE_NOT_FOUND),
			denial: {
				actor: user,
				action: 'access.denied',
				target: { type: 'suivi', id: update.id },
				summary: `Mise à jour d’une autre organisation demandée (fiche ${update.ficheCode}) : refusé (update.${action})`,
				clientAddress
			}
		};
	const state = update.state;
	const sent = state === 'draft' && (await wasSentToLotNumerique(db, update.id));
	return {
		result: ok({
			update,
			ficheOrganisationIds,
			carried: stillCarried(user, ficheOrganisationIds),
			sent,
			canWithdraw: can(user, 'update.withdraw', { ...access, state }),
			canDiscard: can(user, 'update.discard', { ...access, state, sent })
		})
	};
}

/**
 * Whether the person may reach update `updateId` to `action` it: the one decision of the
 * progress services, the partner's form and the update's page. Allowed: the update, its fiche's
 * organisations and what the person may do with it (its state is the action's to judge). Refused:
 * another organisation's update as a missing one (404), journaled once, in the caller's
 * transaction; a discarded draft as `noUpdate` says.
 */
export async function updateAccess(
	trx: Executor,
	user: User,
	updateId: number,
	action: UpdateAction,
	clientAddress: string | null,
	now = new Date()
): Promise<Result<UpdateAccess>> {
	const { result, denial } = await decideUpdateAccess(trx, user, updateId, action, clientAddress);
	if (denial) await recordBounded(trx, denial, 'access.denied', now);
	return result;
}

/**
 * `updateAccess` for a page (its load, an action before it reads its form): read without a
 * transaction, a denial journaled in its own; a journal busy with another process's write
 * (SQLITE_BUSY) does not turn the 404 into a 500.
 */
export async function readUpdateAccess(
	db: Db,
	user: User,
	updateId: number,
	action: UpdateAction,
	clientAddress: string | null
): Promise<Result<UpdateAccess>> {
	const { result, denial } = await decideUpdateAccess(db, user, updateId, action, clientAddress);
	if (denial)
		await recordDenial(db, denial).catch((failure: unknown) =>
			log().error(
				{ event: 'audit-error', err: failure instanceof Error ? failure.message : String(failure) },
				'Refus d’accès non journalisé'
			)
		);
	return result;
}

export type Fiche = NonNullable<Awaited<ReturnType<typeof findFicheForReporting>>>;

/** The fiche, its organisations and the update named, once the person may write there. */
export interface ReportingContext {
	fiche: Fiche;
	ficheOrganisationIds: number[];
	current: ProgressUpdateRecord | null;
	/** What the person may do with the update named (`updateAccess`); null for a new update. */
	access: UpdateAccess | null;
}

/** How an update named is reached: `updateAccess` in a save's transaction, `readUpdateAccess` for a page. */
type Reach = (updateId: number) => Promise<Result<UpdateAccess>>;

/** The fiche of code `ficheCode` as the partner's form and a save read it; 404 when there is none. */
export async function reportingFiche(trx: Executor, ficheCode: string): Promise<Result<Fiche>> {
	const fiche = await findFicheForReporting(trx, ficheCode);
	return fiche ? ok(fiche) : refuse(404, FICHE_NOT_FOUND, { reason: 'fiche-not-found' });
}

/**
 * Reads what a save needs and decides whether the person may write: a new update needs
 * `update.create` on the fiche; an existing one must be theirs to reach (`reach`) and belong
 * to the fiche (its state is decided later, with what changed). A 403 with no reason to tell
 * (`refusalReason` has none) is marked `forbidden`: a page says it generally.
 */
export async function reportingContext(
	trx: Executor,
	user: User,
	fiche: Fiche,
	updateId: number | null,
	reach: Reach
): Promise<Result<ReportingContext>> {
	const ficheOrganisationIds = await findFicheOrganisationIds(trx, fiche.id);
	if (updateId === null) {
		// A partner whose organisation is not on the fiche (taken off it while writing a new
		// update) passes here: `refusedOffFiche` answers them after, as for a draft: a 409, the
		// typing kept, journaled as a refused save.
		const resource = { ficheOrganisationIds };
		if (!can(user, 'update.create', resource) && !partnerOffFiche(user, ficheOrganisationIds)) {
			const reason = refusalReason(user, 'update.create', resource);
			return refuse(403, reason?.message ?? NOT_THE_ORGANISATIONS_FICHE, {
				next: reason?.next,
				reason: reason ? undefined : 'forbidden'
			});
		}
		return ok({ fiche, ficheOrganisationIds, current: null, access: null });
	}
	const access = await reach(updateId);
	if (!access.ok) return access;
	const current = access.value.update;
	if (current.ficheId !== fiche.id) return refuse(404, UPDATE_NOT_FOUND);
	return ok({ fiche, ficheOrganisationIds, current, access: access.value });
}

/** What a discarded draft's page and refusals say of it: who discarded it, and when. */
export function discardedWords(discarded: DiscardedUpdate): string {
	return `${discarded.discardedByName ? ` par ${discarded.discardedByName}` : ''} le ${formatMoment(discarded.discardedAt)}`;
}

/** A discarded draft as its page shows it: whether the organisation still works on its fiche. */
export type OwnDiscardedDraft = DiscardedUpdate & { carried: boolean };

/**
 * The draft its own organisation discarded, for one of its partners; undefined for anyone else,
 * who is answered as for a number that never existed (not journaled: nothing is there to hide).
 */
export async function ownDiscardedDraft(
	db: Executor,
	user: User,
	updateId: number
): Promise<OwnDiscardedDraft | undefined> {
	const discarded = await findDiscardedUpdate(db, updateId);
	if (!discarded) return undefined;
	// `update.view` without the fiche's organisations: a partner of the organisation that wrote it.
	if (
		!can(user, 'update.view', {
			ficheOrganisationIds: [],
			updateOrganisationId: discarded.organisationId
		})
	)
		return undefined;
	const ficheOrganisationIds = await findFicheOrganisationIds(db, discarded.ficheId);
	return { ...discarded, carried: stillCarried(user, ficheOrganisationIds) };
}
