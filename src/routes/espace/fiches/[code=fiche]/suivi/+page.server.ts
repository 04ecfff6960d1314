import { error, redirect } from '@sveltejs/kit';
import { authorize, deny, missing, requireUser, safeClientAddress } from '$lib/server/auth/guards';
import { partnerOffFiche } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db/instance';
import { notFound, retryUnderMovedCode } from '$lib/server/http/moved-fiche';
import {
	findFicheForReporting,
	findFicheOrganisationIds,
	findOpenUpdate
} from '$lib/server/progress/repository';
import { refusalAnswer, typedValues } from '$lib/server/http/form-answer';
import { refuse } from '$lib/server/result';
import { readUpdateAccess, saveProgressForm } from '$lib/server/progress/service';
import { indicatorField } from '$lib/schemas/progress-update';
import { parisToday } from '$lib/utils/dates';
import { formatNumberInput } from '$lib/utils/format';
import { FICHE_NOT_FOUND, UPDATE_NOT_FOUND } from '$lib/utils/vocabulary';
import { ID_PATTERN } from '$lib/utils/text';
import type { Actions, PageServerLoad } from './$types';

/**
 * What this page adds to the service's refusal of a save by an organisation taken off the fiche,
 * or of a draft discarded meanwhile: the service says why, the page what it keeps (the demo command, with no page, says only why).
 */
const TYPING_KEPT =
	'Rien n’a été enregistré ; votre saisie est conservée ci-dessous, pour la copier ou l’envoyer à Lot numérique.';

/** The draft the address names; null for none, and for a `brouillon=` that is not a number. */
function draftId(url: URL): number | null {
	const raw = url.searchParams.get('brouillon');
	return raw !== null && ID_PATTERN.test(raw) ? Number(raw) : null;
}

/** A `brouillon=` that names no update (not a number: a link cut short or altered). */
function malformedDraft(url: URL): boolean {
	const raw = url.searchParams.get('brouillon');
	return raw !== null && !ID_PATTERN.test(raw);
}

/** A post to such an address: nothing saved (it could not tell which draft), the typing kept. */
const MALFORMED_DRAFT_MESSAGE =
	'Rien n’a été enregistré : l’adresse de cette page est altérée (« brouillon= » n’y est pas suivi d’un numéro). Votre saisie est conservée ci-dessous ; copiez-la, rouvrez le formulaire de cette fiche depuis Mon espace, puis collez-la.';

/**
 * The fiche, and the update named in the address if any (404 for an unknown fiche or update).
 * Without an update, the person must be allowed `update.create` on the fiche, except on a post by
 * a partner whose organisation is off the fiche, already answered by the action (409, the typing
 * kept). With one, the service must let the person reach it (`readUpdateAccess`) and it must be on
 * this fiche, otherwise it is answered as missing; a GET by a partner whose organisation no longer works on
 * the fiche is sent to the update's own page. The update's state is not checked here: a page shows
 * a submitted update read-only, and a post on it is answered by the service with what changed.
 */
async function loadContext(event: Parameters<PageServerLoad>[0]) {
	const db = getDb();
	const { answer: fiche } = await retryUnderMovedCode(
		event,
		(code) => findFicheForReporting(db, code),
		(found) => !found
	);
	if (!fiche) error(404, FICHE_NOT_FOUND);
	// Opened with a `brouillon=` that is not a number: the form as without it (which resumes the
	// organisation's open update, if any), at an address its post can be sent to.
	// HEAD is decided as GET: only a post drawn again after its action is answered otherwise.
	if (event.request.method !== 'POST' && malformedDraft(event.url))
		redirect(303, `/espace/fiches/${fiche.code}/suivi`);
	const ficheOrganisationIds = await findFicheOrganisationIds(db, fiche.id);
	const id = draftId(event.url);
	if (id === null) {
		// A post reaches `load` only once its action has answered: for a partner whose organisation
		// was taken off the fiche while writing, the service's 409, the typing kept, drawn as for a
		// draft below rather than replaced by a 403. Only a post: `load` also answers HEAD, which is
		// decided as GET is (same status, same journal line).
		const signedIn = requireUser(event);
		if (event.request.method === 'POST' && partnerOffFiche(signedIn, ficheOrganisationIds))
			return { user: signedIn, fiche, draft: null };
		const user = await authorize(event, 'update.create', { ficheOrganisationIds });
		return { user, fiche, draft: null };
	}
	const user = requireUser(event);
	// The service decides (`update.save`): another organisation's update is answered as a missing
	// one, on its fiche or on another (neither tells that it exists, nor where), journaled once.
	const access = await readUpdateAccess(db, user, id, 'save', safeClientAddress(event));
	if (!access.ok) {
		// Discarded by the organisation: a tab left open on it, read again, says so; a save refused
		// for it (sent without script) is drawn with its answer, the typing kept.
		if (access.reason !== 'draft-discarded') missing(event, access.message);
		if (event.request.method !== 'POST') redirect(303, `/espace/suivis/${id}/supprime`);
		return { user, fiche, draft: null };
	}
	const { update: draft, carried, canDiscard } = access.value;
	if (draft.ficheId !== fiche.id) missing(event, UPDATE_NOT_FOUND);
	// The organisation no longer works on the fiche: its update is read where it says so. A post
	// reaches `load` only once its action has answered with a refusal (the service's 409 « Votre
	// organisation ne porte plus la fiche… », the typing kept): the page is drawn with that answer,
	// as the script shows it, rather than replaced by a 403 that loses what was typed.
	if (!carried && event.request.method !== 'POST') redirect(303, `/espace/suivis/${draft.id}`);
	return { user, fiche, draft: { ...draft, canDiscard } };
}

export const load: PageServerLoad = async (event) => {
	requireUser(event);
	const { user, fiche, draft } = await loadContext(event);
	// Opening the page leads to the update it should show. After a refused post (the page sent
	// without script, rendered with the action's answer) it stays: the answer holds what was typed
	// and what changed meanwhile, which a redirect would lose. HEAD is answered as GET.
	if (event.request.method !== 'POST') {
		if (!draft) {
			// One open update per fiche and organisation: the form resumes it.
			const open = await findOpenUpdate(getDb(), fiche.id, user.organisationId!);
			if (open?.state === 'submitted') redirect(303, `/espace/suivis/${open.id}?en-cours=1`);
			if (open) redirect(303, `/espace/fiches/${fiche.code}/suivi?brouillon=${open.id}&reprise=1`);
		} else if (draft.state === 'submitted' || draft.state === 'validated') {
			redirect(303, `/espace/suivis/${draft.id}`);
		}
	}
	const today = parisToday();
	const values: Record<string, string> = draft
		? {
				reported_on: draft.reportedOn,
				status: draft.status ?? 'en_cours',
				progress: draft.progress === null ? '' : String(draft.progress),
				done: draft.done,
				next_steps: draft.nextSteps,
				difficulties: draft.difficulties,
				version: String(draft.version)
			}
		: {
				reported_on: today,
				status: fiche.status,
				progress: fiche.progress === null ? '' : String(fiche.progress),
				version: ''
			};
	for (const m of draft?.measurements ?? []) {
		values[indicatorField(m.indicatorId, 'date')] = m.measuredOn;
		values[indicatorField(m.indicatorId, 'value')] = formatNumberInput(m.value);
		values[indicatorField(m.indicatorId, 'comment')] = m.comment ?? '';
	}
	return {
		fiche,
		draft: draft
			? {
					id: draft.id,
					state: draft.state,
					reviewComment: draft.reviewComment,
					returnedAt: draft.returnedAt,
					updatedByName: draft.updatedByName,
					updatedAt: draft.updatedAt,
					// « Supprimer le brouillon », on the update's page: a draft never sent to Lot numérique.
					canDiscard: draft.canDiscard,
					// Values typed before their indicator was retired: said, since the form no
					// longer shows them and the next save does not keep them.
					retiredMeasurements: draft.measurements.filter((m) =>
						fiche.retiredIndicators.some((i) => i.id === m.indicatorId)
					)
				}
			: null,
		values,
		submissionKey: crypto.randomUUID(),
		today
	};
};

export const actions: Actions = {
	default: async (event) => {
		// Signed out meanwhile, the form sent by script is answered 401 and stays as typed.
		const user = requireUser(event);
		const form = await event.request.formData();
		if (malformedDraft(event.url))
			return refusalAnswer(refuse(400, MALFORMED_DRAFT_MESSAGE), typedValues(form));
		// The service reads the fiche and the update, decides and saves in one transaction. A page
		// opened before the fiche moved to another objective saves on its new code.
		const { answer: result, code } = await retryUnderMovedCode(
			event,
			(code) =>
				saveProgressForm(getDb(), user, code, draftId(event.url), form, safeClientAddress(event)),
			notFound
		);
		if (!result.ok) {
			if (result.status === 403)
				await deny(event, user, 'update.save', { message: result.message, next: result.next });
			if (result.status === 404) missing(event, result.message);
			const kept =
				result.reason === 'organisation-off-fiche' || result.reason === 'draft-discarded'
					? { ...result, message: `${result.message} ${TYPING_KEPT}` }
					: result;
			return refusalAnswer(kept, typedValues(form));
		}
		const { id, state, duplicate, unchanged } = result.value;
		if (state === 'draft' || state === 'returned')
			redirect(
				303,
				`/espace/fiches/${code}/suivi?brouillon=${id}&enregistre=${unchanged ? 'inchange' : duplicate ? 'deja' : '1'}`
			);
		if (state === 'validated') redirect(303, `/espace/suivis/${id}`);
		redirect(303, `/espace?soumis=${id}${duplicate ? '&deja=1' : ''}`);
	}
};
