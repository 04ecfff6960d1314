// Leaving a page by a link, the browser's back button or closing the tab loses what was typed in
// its form. A form marked `use:warnOnLeave` is watched: the root layout asks before any navigation
// away while one of them holds typing that was neither sent nor put back as it was.

interface Watched {
	/** The form's values when the page showed it, or when the server last saved them. */
	initial: string;
	/** Typed in (an input or change event) since then: fields the page's script adds or hides are no typing. */
	touched: boolean;
	/** Sent and not answered yet: the answer may lead to another page (a save, then its page). */
	sent: boolean;
	/** The values it was last sent with. */
	sentValues?: string;
	/** Changed after it was sent, before its answer (enhanceOnce holds its fields meanwhile). */
	changedWhileSent?: boolean;
	/** When it was put on the page, and taken off (a count of the forms watched so far). */
	born: number;
	died?: number;
}

let forms = 0;

const watched = new Map<HTMLFormElement, Watched>();
/** The state of forms no longer on the page, for the answer that comes after them. */
const gone = new WeakMap<HTMLFormElement, Watched>();

/**
 * Set while a navigation needs no question: a link marked `data-drops-typing` says itself that it
 * leaves the typing (« Annuler », « Prendre la version enregistrée (abandonner ma saisie) »), and a
 * saved form's answer leads to its next page (the person chose to act, with this form).
 */
let leaving = 0;
let listening = false;
function listenForDroppingLinks() {
	if (listening) return;
	listening = true;
	document.addEventListener(
		'click',
		(event) => {
			if (!(event.target instanceof Element) || !event.target.closest('a[data-drops-typing]'))
				return;
			// SvelteKit asks `beforeNavigate` within the click's handling: cleared right after.
			leaving++;
			setTimeout(() => leaving--);
		},
		{ capture: true }
	);
}

/** Runs `navigate` (a saved form's answer leading to another page) without asking. */
export async function leaveUnasked<T>(navigate: () => Promise<T>): Promise<T> {
	leaving++;
	try {
		return await navigate();
	} finally {
		leaving--;
	}
}

/** A form's values as text: what was typed or chosen, and the name and size of a chosen file. */
function values(form: HTMLFormElement): string {
	return JSON.stringify(
		[...new FormData(form)].map(([name, value]) =>
			typeof value === 'string' ? [name, value] : [name, value.name, value.size]
		)
	);
}

/** Which form a form drawn anew (after a refusal read the page again) takes over from. */
function identity(form: HTMLFormElement): string {
	return `${form.getAttribute('action') ?? ''}#${form.id}`;
}

/**
 * `use:warnOnLeave`: asks before leaving the page while the form holds unsent typing.
 * `use:warnOnLeave={key}`: the same form shows another record when `key` changes (the page of
 * another draft): what it shows then is its new reference.
 */
export function warnOnLeave(form: HTMLFormElement, key?: unknown) {
	let showing = key;
	listenForDroppingLinks();
	const state: Watched = { initial: values(form), touched: false, sent: false, born: ++forms };
	watched.set(form, state);
	// Once the page's script has settled (fields it shows or hides on mount), the form as shown.
	const settle = () =>
		requestAnimationFrame(() => {
			if (!state.touched) state.initial = values(form);
		});
	settle();
	const onTyping = () => {
		state.touched = true;
		if (state.sent) state.changedWhileSent = true;
	};
	const onSubmit = () => {
		state.sent = true;
		state.sentValues = values(form);
		state.changedWhileSent = false;
	};
	form.addEventListener('input', onTyping);
	form.addEventListener('change', onTyping);
	form.addEventListener('submit', onSubmit);
	return {
		update(next?: unknown) {
			if (next === showing) return;
			showing = next;
			state.touched = false;
			settle();
		},
		destroy() {
			state.died = forms;
			watched.delete(form);
			gone.set(form, state);
			form.removeEventListener('input', onTyping);
			form.removeEventListener('change', onTyping);
			form.removeEventListener('submit', onSubmit);
		}
	};
}

/**
 * Called by `enhanceOnce` once the answer to a form is drawn: saved, what the form holds now is
 * what the server keeps (the record saved, drawn again: the words as it keeps them), the form
 * having been held as it was sent; unless it changed meanwhile all the same (a field the answer
 * added): what it holds is then compared to what was sent, the rest still to be saved. Refused or
 * unanswered, the typing is still to be saved — also when the refusal read the page again and
 * drew the form anew with the typing in it.
 */
export function answered(form: HTMLFormElement, saved: boolean): void {
	const state = watched.get(form) ?? gone.get(form);
	if (!state) return;
	state.sent = false;
	if (saved) {
		const sent = state.changedWhileSent ? state.sentValues : undefined;
		state.initial = sent ?? values(form);
		state.touched = sent !== undefined;
		return;
	}
	if (form.isConnected) return;
	// The one form of the same action put on the page after it was taken off: not the page's
	// other forms of that action (one decision form per point of a séance).
	const successors = [...watched].filter(
		([successor, next]) =>
			successor.isConnected &&
			identity(successor) === identity(form) &&
			next.born > (state.died ?? Infinity)
	);
	if (successors.length !== 1) return;
	const [, next] = successors[0]!;
	next.initial = state.initial;
	next.touched = state.touched;
}

/** Whether a watched form on the page holds typing not sent. */
export function hasUnsentTyping(): boolean {
	if (leaving > 0) return false;
	for (const [form, state] of watched)
		if (state.touched && !state.sent && form.isConnected && values(form) !== state.initial)
			return true;
	return false;
}

export const LEAVE_QUESTION =
	'Votre saisie n’est pas enregistrée. Quitter cette page et la perdre ?';
