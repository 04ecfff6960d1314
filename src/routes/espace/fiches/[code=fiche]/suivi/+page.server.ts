import { error, redirect } from '@sveltejs/kit';
import { deny, missing, requireUser, safeClientAddress } from '$lib/server/auth/guards';
import { NOT_THE_ORGANISATIONS_FICHE } from '$lib/server/auth/permissions';
import type { User } from '$lib/server/auth/users';
import { getDb } from '$lib/server/db/instance';
import { notFound, retryUnderMovedCode } from '$lib/server/http/moved-fiche';
import { refusalAnswer, typedValues } from '$lib/server/http/form-answer';
import { markerFreshSince } from '$lib/server/http/done-answer';
import { latestOwnAct } from '$lib/server/audit/repository';
import { refuse } from '$lib/server/result';
import {
	partnerFormContext,
	publishedValuesOf,
	saveProgressForm
} from '$lib/server/progress/service';
import { indicatorField } from '$lib/utils/indicators';
import { parisToday } from '$lib/utils/dates';
import { formatNumberInput } from '$lib/utils/format';
import { ID_PATTERN } from '$lib/utils/text';
import type { Actions, PageServerLoad } from './$types';

/**
 * What this page adds to the service's refusal of a save by an organisation taken off the fiche,
 * or of a draft discarded meanwhile: the service says why, the page what it keeps (the demo command, with no page, says only why).
 */
const TYPING_KEPT =
	'Rien n’a été enregistré ; votre saisie est conservée ci-dessous, pour la copier ou l’envoyer à Lot numérique.';
const TYPING_KEPT_AS_NEW =
	'Rien n’a été enregistré ; votre saisie est conservée ci-dessous : « Enregistrer ma saisie comme nouvelle mise à jour » en fait un nouveau brouillon de la fiche.';

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
 * The fiche, and the update named in the address if any, as the service decides them
 * (`partnerFormContext`); this page answers each reason. Opening the page leads to the update it
 * should show: the organisation's open update (one per fiche), a sent update's own page, the page
 * of a discarded draft, the update's page when the organisation no longer works on the fiche. After
 * a refused post (the page sent without script, rendered with the action's answer) it stays: the
 * answer holds what was typed and what changed meanwhile, which a redirect would lose — a partner
 * taken off the fiche, a draft discarded meanwhile included, drawn as the script shows them rather
 * than replaced by a 403 or a 404. HEAD is decided as GET (same status, same journal line). The
 * update's state is not checked otherwise: a page shows a submitted update read-only, and a post
 * on it is answered by the service with what changed.
 */
async function loadContext(event: Parameters<PageServerLoad>[0], user: User) {
	const opened = event.request.method !== 'POST';
	const { answer: context, code } = await retryUnderMovedCode(
		event,
		(code) => partnerFormContext(getDb(), user, code, draftId(event.url), safeClientAddress(event)),
		(answer) => !answer.ok && answer.reason === 'fiche-not-found'
	);
	if (!context.ok && context.reason === 'fiche-not-found') error(404, context.message);
	// Opened with a `brouillon=` that is not a number: the form as without it (which resumes the
	// organisation's open update, if any), at an address its post can be sent to.
	if (opened && malformedDraft(event.url)) redirect(303, `/espace/fiches/${code}/suivi`);
	if (!context.ok) {
		if (context.status === 403)
			await deny(
				event,
				user,
				'update.create',
				context.reason === 'forbidden'
					? undefined
					: { message: context.message, next: context.next }
			);
		// Another organisation's update, or one on another fiche: answered as a missing one.
		missing(event, context.message);
	}
	const { fiche } = context.value;
	switch (context.value.reason) {
		case 'draft-discarded':
			if (opened) redirect(303, `/espace/suivis/${context.value.updateId}/supprime`);
			return { fiche, draft: null };
		case 'organisation-off-fiche': {
			const { draft } = context.value;
			if (opened && draft) redirect(303, `/espace/suivis/${draft.id}`);
			if (opened)
				await deny(event, user, 'update.create', { message: NOT_THE_ORGANISATIONS_FICHE });
			return { fiche, draft };
		}
		case 'new-update': {
			const open = context.value.resume;
			if (opened && open?.state === 'submitted')
				redirect(303, `/espace/suivis/${open.id}?en-cours=1`);
			if (opened && open)
				redirect(303, `/espace/fiches/${fiche.code}/suivi?brouillon=${open.id}&reprise=1`);
			return { fiche, draft: null };
		}
		case 'draft': {
			const { draft } = context.value;
			if (opened && (draft.state === 'submitted' || draft.state === 'validated'))
				redirect(303, `/espace/suivis/${draft.id}`);
			return { fiche, draft };
		}
	}
}

/** The keys the redirect after a save leaves in the address (`enregistre=`); any other is dropped. */
const SAVED_KEYS = ['1', 'deja', 'inchange', 'nouvelle'] as const;

/**
 * The confirmation the address names (`enregistre=` after a save, `retiree=1` after a withdrawal),
 * said only when the journal holds that act by this person on this update since
 * `markerFreshSince()` (`latestOwnAct`): a link crafted or sent later says nothing. « nouvelle » only
 * when that latest save was the save as new (`intent: 'new'`, saveNew). A draft's saves beyond
 * DRAFT_SAVES_JOURNALED_PER_DAY a day are counted, not journaled: then nothing is said.
 */
async function confirmation(url: URL, user: User, draft: { id: number; state: string } | null) {
	const key = SAVED_KEYS.find((k) => k === url.searchParams.get('enregistre'));
	const withdrawn = url.searchParams.has('retiree') && draft?.state === 'draft';
	// « Une mise à jour … était déjà en cours : la voici » (`reprise=1`, the redirect of a new update
	// to the open one) only over an open update of this organisation: a crafted link says nothing.
	const resumed =
		url.searchParams.has('reprise') && (draft?.state === 'draft' || draft?.state === 'returned');
	if (!draft || (!key && !withdrawn)) return { saved: null, withdrawn: false, resumed };
	const action = key ? 'update.saved' : 'update.withdrawn';
	const onUpdate = { type: 'suivi' as const, id: draft.id };
	const act = await latestOwnAct(getDb(), user.id, action, markerFreshSince(), onUpdate);
	const asNew = (act?.after as { intent?: unknown } | null)?.intent === 'new';
	return {
		saved: act && key && (key !== 'nouvelle' || asNew) ? key : null,
		withdrawn: act !== null && !key,
		resumed
	};
}

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { fiche, draft } = await loadContext(event, user);
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
		published: await publishedValuesOf(getDb(), fiche, user.organisationId),
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
		...(await confirmation(event.url, user, draft)),
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
			// No reason to tell (a commission member, a partner without organisation): said generally,
			// as the page's load says it.
			if (result.status === 403)
				await deny(
					event,
					user,
					'update.save',
					result.reason === 'forbidden' ? undefined : { message: result.message, next: result.next }
				);
			if (result.status === 404) missing(event, result.message);
			const discarded = result.reason === 'draft-discarded';
			const kept =
				result.reason === 'organisation-off-fiche' || discarded
					? {
							...result,
							message: `${result.message} ${discarded ? TYPING_KEPT_AS_NEW : TYPING_KEPT}`
						}
					: result;
			// The update validated meanwhile (the form refused as stale, or for its fields: at the first
			// refusal either way), or the draft discarded meanwhile: « Enregistrer ma saisie comme nouvelle mise à jour » sends this key (the
			// page's may be the validated one's last, answered as sent twice); one key per refusal, so
			// that a double click creates one draft. That save refused (its fields, or
			// another update of the fiche opened meanwhile, which the answer shows beside the typing), the
			// page stays in that mode: its key is what the page draws the one button from. Not once the
			// organisation is off the fiche: nothing can be saved there.
			const offersNew =
				result.stored?.canSaveAsNew ||
				result.reason === 'update-validated' ||
				discarded ||
				(form.get('intent') === 'new' && result.reason !== 'organisation-off-fiche');
			// The draft discarded meanwhile: the page says what the one button does (no version to compare).
			const newKey = offersNew ? { newSubmissionKey: crypto.randomUUID(), discarded } : {};
			return refusalAnswer(kept, typedValues(form), newKey);
		}
		const { id, state, duplicate, unchanged } = result.value;
		const asNew = form.get('intent') === 'new';
		if (state === 'draft' || state === 'returned')
			redirect(
				303,
				`/espace/fiches/${code}/suivi?brouillon=${id}&enregistre=${unchanged ? 'inchange' : duplicate ? 'deja' : asNew ? 'nouvelle' : '1'}`
			);
		if (state === 'validated') redirect(303, `/espace/suivis/${id}`);
		redirect(303, `/espace?soumis=${id}${duplicate ? '&deja=1' : ''}`);
	}
};
