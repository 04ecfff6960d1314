// The submit functions given to enhanceOnce (`use:enhanceOnce={readAgainOnConflict}`): after a
// refusal, the page's data read again, so that the page shows what the refusal speaks of.

import { applyAction } from '$app/forms';
import { invalidateAll } from '$app/navigation';
import type { SubmitFunction } from '@sveltejs/kit';

/**
 * `use:enhanceOnce={readAgainOnConflict}`: a refusal because what the page shows changed meanwhile
 * (409: someone else acted) also reads the page's data again, so the page shows what the refusal
 * speaks of; what was typed stays (the form's answer is kept), and a version the form carries
 * becomes the one now shown: the person decides again on what they now read. Only for pages whose
 * refusal message is outside the forms that may disappear, and where taking the current version is
 * what the person would do (not the update form's conflict screen, whose choice is explicit).
 */
export const readAgainOnConflict: SubmitFunction =
	() =>
	async ({ result, update }) => {
		await update();
		if (result.type === 'failure' && result.status === 409) await invalidateAll();
	};

/**
 * `use:enhanceOnce={readAgainOnRefusal}`: any refusal also reads the page's data again, as the
 * page drawn anew after a form sent without script would: what was typed stays (the form's
 * answer is kept) over the record as it is now (its version, after a conflict). For the
 * administration's plan forms, enhanced so that a session ended in another tab keeps the typing,
 * and the accounts' buttons (a second admin told an account is already disabled sees it so).
 */
export const readAgainOnRefusal: SubmitFunction = () => readAgain;

export type Answer = Parameters<Exclude<Awaited<ReturnType<SubmitFunction>>, void>>[0];

async function readAgain({ result, update }: Answer): Promise<void> {
	await update();
	if (result.type === 'failure') await readAgainKeeping(result);
}

/**
 * Reads the page's data again after a refusal. Read again, the page may have been sent to another
 * address (a fiche moved to another objective meanwhile: its new code) without the answer: the
 * answer (the refusal, and what was typed) is shown there.
 */
async function readAgainKeeping(result: Answer['result']): Promise<void> {
	const path = window.location.pathname;
	await invalidateAll();
	if (window.location.pathname !== path) await applyAction(result);
}

/**
 * `use:enhanceOnce={readAgainOnRefusalThen(() => saves++)}`: readAgainOnRefusal, then `saved()`
 * once an answer saved (a success, or a redirect to the page saved). A page of several forms keys
 * each on its own count: its save draws it anew from the record (a reason typed for one change is
 * not left for the next), while the others keep their typing, based on the record as they were
 * drawn (DrawnRecord, drawn-record.svelte.ts; `savedThen` there feeds this count).
 */
export function readAgainOnRefusalThen(saved: () => void): SubmitFunction {
	return () => async (answer) => {
		await readAgain(answer);
		if (answer.result.type === 'success' || answer.result.type === 'redirect') saved();
	};
}

/**
 * `use:enhanceOnce={readAgainWhenGone}`: a refusal because part of the form no longer exists
 * (410: an indicator retired from the plan meanwhile) reads the page's data again, so that the
 * form is drawn without it; what was typed in the rest stays, at the fiche's new address too when
 * it was moved meanwhile. The form's conflict screen (409) is left as it is.
 */
export const readAgainWhenGone: SubmitFunction =
	() =>
	async ({ result, update }) => {
		await update();
		if (result.type === 'failure' && result.status === 410) await readAgainKeeping(result);
	};
