import { error, redirect } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import {
	ficheEditor,
	indicatorKindErrors,
	readLinkedCodes,
	rebaseTyping,
	repeatedOrganisationErrors,
	retireFiche,
	updateFiche
} from '$lib/server/authoring/fiches';
import { getDb } from '$lib/server/db/instance';
import { savedMarker } from '$lib/server/http/done-answer';
import { notFound, retryUnderMovedCode, toldMoved } from '$lib/server/http/moved-fiche';
import { invalidFormAnswer, readPostedForm, refusalAnswer } from '$lib/server/http/form-answer';
import { setFicheStatus } from '$lib/server/progress/service';
import { ABANDON_FIELDS, AbandonSchema } from '$lib/schemas/retire';
import { parseFicheForm, STATUS_FIELDS, StatusSchema } from '$lib/schemas/plan-edit';
import type { Result } from '$lib/server/result';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const admin = await authorize(event, 'plan.edit');
	const { answer: editor } = await retryUnderMovedCode(
		event,
		(code) => ficheEditor(getDb(), code),
		notFound
	);
	if (!editor.ok) error(editor.status, editor.message);
	const { fiche } = editor.value;
	// « ajout »: the fiche was just added (/admin/plan leads here), « abandon »: just abandoned
	// (said while it is); « statut »: its status set; « 1 »: a change saved. Each only after this
	// admin's own act on it (savedMarker).
	const saved = await savedMarker(
		getDb(),
		event.url,
		admin.id,
		{ type: 'fiche', id: fiche.code },
		{
			'1': 'plan.fiche_updated',
			ajout: 'plan.fiche_created',
			abandon: fiche.status === 'abandonnee' && 'plan.fiche_retired',
			statut: 'plan.fiche_status'
		}
	);
	return { ...editor.value, saved };
};

export const actions: Actions = {
	enregistrer: async (event) => {
		const admin = await authorize(event, 'plan.edit');
		const parsed = parseFicheForm(await event.request.formData());
		if (!parsed.input) {
			// Unknown linked codes are told with the other refusals, not at the next try; with a
			// code written wrong, in the field's one message.
			// So are the rows repeating an organisation, named (the schema has only its id), and an
			// indicator's new kind that its values do not fit (beside its target's problem).
			const rowErrors = {
				...(await repeatedOrganisationErrors(getDb(), event.params.code, parsed.organisations)),
				...(await indicatorKindErrors(getDb(), event.params.code, parsed.indicators))
			};
			for (const [field, message] of Object.entries(rowErrors)) parsed.errors[field] ??= message;
			if (parsed.linkedCodes.length > 0) {
				const { problem } = await readLinkedCodes(getDb(), event.params.code, parsed.linkedCodes);
				if (problem)
					parsed.errors.links = parsed.errors.links ? `${parsed.errors.links} ${problem}` : problem;
			}
			return invalidFormAnswer(parsed.errors, parsed.values);
		}
		// Opened before the fiche moved: refused as a conflict (the move changed its version), with
		// the typing kept, on the fiche under its new code.
		const { answer: result, code } = await retryUnderMovedCode(
			event,
			(code) => updateFiche(getDb(), admin, code, parsed.input!, safeClientAddress(event)),
			notFound
		);
		if (!result.ok && result.status === 409)
			return refusalAnswer(
				result,
				await rebaseTyping(getDb(), code, parsed.values, parsed.input, result.changes ?? [])
			);
		if (!result.ok) return refusalAnswer(result, parsed.values);
		redirect(303, `/admin/plan/fiches/${result.value.code}?enregistre=1`);
	},
	statut: async (event) => {
		const admin = await authorize(event, 'plan.edit');
		const { answer, values, data } = readPostedForm(
			await event.request.formData(),
			STATUS_FIELDS,
			StatusSchema,
			{ which: 'statut' }
		);
		if (answer) return answer;
		const why = { reason: data.reason, decisionId: data.decision };
		return actOnFiche(event, values, 'statut', (code) =>
			setFicheStatus(
				getDb(),
				admin,
				code,
				{ ...why, status: data.status, shownStatus: data.shown_status },
				safeClientAddress(event)
			)
		);
	},
	abandonner: async (event) => {
		const admin = await authorize(event, 'plan.edit');
		const { answer, values, data } = readPostedForm(
			await event.request.formData(),
			ABANDON_FIELDS,
			AbandonSchema,
			{ which: 'abandonner' }
		);
		if (answer) return answer;
		const why = { reason: data.reason, decisionId: data.decision };
		return actOnFiche(event, values, 'abandon', (code) =>
			retireFiche(getDb(), admin, code, { ...why, version: data.version }, safeClientAddress(event))
		);
	}
};

/** One of the page's acts on the fiche of code `code`. */
type FicheAct = (code: string) => Promise<Result>;

/**
 * Runs one of the page's acts on the fiche — under its new code when it moved since the page was
 * opened — then leads back to its page, which says `done`; a refusal keeps what was typed, and
 * says first that the fiche moved when it did (toldMoved).
 */
async function actOnFiche(
	event: RequestEvent,
	values: Record<string, string>,
	done: 'statut' | 'abandon',
	act: FicheAct
) {
	const { answer: result, code } = await retryUnderMovedCode(event, act, notFound);
	if (!result.ok) return refusalAnswer(toldMoved(event, code, result), values);
	redirect(303, `/admin/plan/fiches/${code}?enregistre=${done}`);
}
