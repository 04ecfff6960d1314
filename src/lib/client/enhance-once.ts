// SvelteKit's `use:enhance`, one submission at a time per form. Enhanced, a form sent twice before
// its first answer (a double click, or a second button of the same form) sends two requests whose
// answers are applied in the order they arrive, not the order they were sent: a conflict answer
// could arrive after the save that followed it and show the conflict again over a saved draft.
import { enhance } from '$app/forms';
import type { SubmitFunction } from '@sveltejs/kit';

/**
 * `use:enhanceOnce`, or `use:enhanceOnce={submit}` as with `use:enhance`: while a submission of the
 * form waits for its answer, the form is `aria-busy` and sending it again does nothing.
 * The focus stays where it was (no button is disabled under it).
 */
export function enhanceOnce(form: HTMLFormElement, submit?: SubmitFunction) {
	let pending = false;
	return enhance(form, async (input) => {
		if (pending) {
			input.cancel();
			return;
		}
		let cancelled = false;
		const after = await submit?.({
			...input,
			cancel: () => {
				cancelled = true;
				input.cancel();
			}
		});
		if (cancelled) return;
		pending = true;
		form.setAttribute('aria-busy', 'true');
		return async (answer) => {
			try {
				await (after ? after(answer) : answer.update());
			} finally {
				pending = false;
				form.removeAttribute('aria-busy');
			}
		};
	});
}
