// Leaving a page by a link, the browser's back button or closing the tab loses what was typed in
// its form. A form marked `use:warnOnLeave` is watched: the root layout asks before any navigation
// away while one of them holds typing that was neither sent nor put back as it was.

interface Watched {
	/** The form's values when the page showed it, or when the server last saved them. */
	initial: string;
	/** Sent and not answered yet: the answer may lead to another page (a save, then its page). */
	sent: boolean;
}

const watched = new Map<HTMLFormElement, Watched>();

/**
 * A link marked `data-drops-typing` says itself that it leaves the typing (« Annuler », « Prendre la
 * version enregistrée (abandonner ma saisie) »): followed, it is not asked about. Set while its
 * click is handled (SvelteKit asks `beforeNavigate` within it), cleared right after.
 */
let dropping = false;
let listening = false;
function listenForDroppingLinks() {
	if (listening) return;
	listening = true;
	document.addEventListener(
		'click',
		(event) => {
			if (!(event.target instanceof Element) || !event.target.closest('a[data-drops-typing]'))
				return;
			dropping = true;
			setTimeout(() => (dropping = false));
		},
		{ capture: true }
	);
}

/** A form's values as text: what was typed or chosen, and the name and size of a chosen file. */
function values(form: HTMLFormElement): string {
	return JSON.stringify(
		[...new FormData(form)].map(([name, value]) =>
			typeof value === 'string' ? [name, value] : [name, value.name, value.size]
		)
	);
}

/** `use:warnOnLeave`: asks before leaving the page while the form holds unsent typing. */
export function warnOnLeave(form: HTMLFormElement) {
	listenForDroppingLinks();
	const state: Watched = { initial: values(form), sent: false };
	watched.set(form, state);
	const onSubmit = () => (state.sent = true);
	form.addEventListener('submit', onSubmit);
	return {
		destroy() {
			watched.delete(form);
			form.removeEventListener('submit', onSubmit);
		}
	};
}

/**
 * Called by `enhanceOnce` once the answer to a form is drawn: saved, what the form holds now is
 * what the server keeps; refused or unanswered, the typing is still to be saved.
 */
export function answered(form: HTMLFormElement, saved: boolean): void {
	const state = watched.get(form);
	if (!state) return;
	state.sent = false;
	if (saved) state.initial = values(form);
}

/** Whether a watched form on the page holds typing not sent. */
export function hasUnsentTyping(): boolean {
	if (dropping) return false;
	for (const [form, state] of watched)
		if (!state.sent && form.isConnected && values(form) !== state.initial) return true;
	return false;
}

export const LEAVE_QUESTION =
	'Votre saisie n’est pas enregistrée. Quitter cette page et la perdre ?';
