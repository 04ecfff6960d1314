// What enhanceOnce (send-once.ts) shows when a form's answer did nothing: the French alert at the
// form's top (`formAlert`, `showAlert`), the page's earlier confirmations hidden meanwhile
// (`hideConfirmations`), and for a form gone while it waited, the alert left where it was
// (`LEFT_BEHIND`, `removeLeftBehind`) with what was typed in it (`typedTexts`, `showTyped`).

import { frenchSpacing } from '$lib/utils/french-spacing';
import { focusOwn } from './focus';
import { TYPED } from './held-fields';

/**
 * The alert put at the top of a form whose answer did not come or was a refusal of the whole page
 * (`data-send-failed`: removed when the form is sent again); with `signIn`, a link to the sign-in
 * page in another tab, so that this one keeps the typing — which says the session ended when it
 * did (`sessionEnded`: its cookie was no longer valid), as after a page's redirect.
 */
export function formAlert(message: string, signIn: boolean, sessionEnded = false): HTMLElement {
	const alert = document.createElement('div');
	alert.className = 'notice warning';
	alert.setAttribute('role', 'alert');
	alert.dataset.sendFailed = '';
	const text = document.createElement('p');
	text.textContent = frenchSpacing(message);
	alert.append(text);
	if (signIn) {
		const link = document.createElement('a');
		link.href = sessionEnded ? '/connexion?session=finie' : '/connexion';
		link.target = '_blank';
		link.textContent = 'Se connecter dans un nouvel onglet';
		const line = document.createElement('p');
		line.append(link);
		alert.append(line);
	}
	return alert;
}

/**
 * Puts `alert` at the form's top. The button pressed is at the form's end: the alert is brought
 * into view, and takes the focus, so that its sign-in link is the next Tab (on a phone, the focus
 * stayed on the button, off screen, 16 Shift+Tab from the link).
 */
export function showAlert(place: Element, alert: HTMLElement): void {
	place.prepend(alert);
	alert.tabIndex = -1;
	alert.scrollIntoView({ block: 'nearest' });
	focusOwn(alert, { preventScroll: true });
}

/** The message of an error SvelteKit passed on (`error(401, message)` in an action). */
export function errorMessage(error: unknown): string | undefined {
	const message = (error as { message?: unknown } | null)?.message;
	return typeof message === 'string' && message !== '' ? message : undefined;
}

/** Marks the confirmations hidden by hideConfirmations, to show them again. */
const HIDDEN_CONFIRMATION = 'data-hidden-by-refusal';

/**
 * The page's confirmations and error summaries of earlier answers (a `.notice` with
 * `role="status"`, not a warning, not one inside the form; a `data-error-summary`, which every
 * form's refusal message carries, inside the form too), hidden while the form's alert says that
 * this answer did nothing: « Le formulaire contient des erreurs » of the sending before is not left
 * beside « Votre session a pris fin ».
 */
export function hideConfirmations(form: HTMLFormElement): void {
	for (const notice of document.querySelectorAll<HTMLElement>(
		'main .notice[role="status"]:not(.warning), main [data-error-summary]'
	)) {
		if (notice.hidden) continue;
		if (form.contains(notice) && !notice.hasAttribute('data-error-summary')) continue;
		notice.hidden = true;
		notice.setAttribute(HIDDEN_CONFIRMATION, '');
	}
}

/** Before the next answer is drawn: the notices hidden are the page's own again. */
export function showConfirmations(): void {
	for (const notice of document.querySelectorAll<HTMLElement>(`[${HIDDEN_CONFIRMATION}]`)) {
		notice.hidden = false;
		notice.removeAttribute(HIDDEN_CONFIRMATION);
	}
}

/**
 * The mark of an alert of a form given back, gone with no form in its place: shown outside any
 * form (in the root layout's `main`, which Svelte draws once), it would stay on every page opened
 * next, the typing it shows back included, until a full reload (`removeLeftBehind`).
 */
export const LEFT_BEHIND = 'data-left-behind';

/**
 * Removes the alerts of forms given back outside any form (`LEFT_BEHIND`): the root layout's
 * `afterNavigate`, once the person has left the page where they were shown. Shown once the
 * navigation that led to that page is over (the save waited for, its answer applied), they stay
 * there until the next one.
 */
export function removeLeftBehind(): void {
	for (const alert of document.querySelectorAll(`[${LEFT_BEHIND}]`)) alert.remove();
}

/** The elements `element` is in, nearest first, up to the page's `main`. */
export function placesOf(element: Element): Element[] {
	const places: Element[] = [];
	for (let place = element.parentElement; place; place = place.parentElement) {
		places.push(place);
		if (place.tagName === 'MAIN') break;
	}
	return places;
}

/**
 * A form that waited for another one's answer, gone with it, and no form of the page in its place
 * (`successor`): not sent. Said where it was, naming the button pressed.
 */
export function waitedGoneMessage(submitter: HTMLElement | null): string {
	// Its words, a part hidden but to screen readers (« à zoe@… ») drawn without a space before.
	const pressed = submitter ? wordsOf(submitter) : '';
	return `Rien n’a été envoyé${pressed ? ` pour « ${pressed} »` : ''} : la page, relue après votre envoi précédent, ne propose plus ce formulaire tel que vous l’aviez envoyé. Relisez-la, puis recommencez si c’est toujours voulu.`;
}

/** A text typed in a form, and the label of its field (empty when it has none). */
interface TypedText {
	label: string;
	text: string;
}

/**
 * The texts typed in the form's text areas and text fields (not its hidden fields), as they are,
 * each with its field's label: a form that waited and is gone with the page (« Valider » answered
 * meanwhile, the update's page left for the list) takes them along, and its alert shows them back
 * (`showTyped`). A value the page put there and left as it was (its `defaultValue`: a name, a date
 * of today) is no typing: shown back, it would hide what was typed among what was not.
 */
export function typedTexts(form: HTMLFormElement): TypedText[] {
	return [...form.elements].flatMap((field) =>
		(field instanceof HTMLTextAreaElement ||
			(field instanceof HTMLInputElement && TYPED.has(field.type) && field.type !== 'password')) &&
		field.value.trim() !== '' &&
		field.value.trim() !== field.defaultValue.trim()
			? [{ label: labelOf(field), text: field.value }]
			: []
	);
}

/**
 * What a field is called on the page: its `<label>` (without its hint, « (facultatif) »), else its
 * `aria-label`, else the legend of its group of fields; empty when none.
 */
function labelOf(field: HTMLInputElement | HTMLTextAreaElement): string {
	const [label] = field.labels ?? [];
	if (label) {
		const copy = label.cloneNode(true) as HTMLElement;
		for (const hint of copy.querySelectorAll('.hint')) hint.remove();
		const words = wordsOf(copy);
		return words.endsWith(':') ? words.slice(0, -1).trimEnd() : words;
	}
	const named = field.getAttribute('aria-label')?.trim();
	if (named) return named;
	const legend = field.closest('fieldset')?.querySelector(':scope > legend');
	return legend ? wordsOf(legend) : '';
}

/**
 * Adds to `alert` what the form gone held typed, to be copied: it was not sent. Each text follows
 * its field's label (« Raison de la modification : … »), the text alone in `.typed-text`.
 */
export function showTyped(alert: HTMLElement, typed: TypedText[]): void {
	if (typed.length === 0) return;
	const intro = document.createElement('p');
	intro.textContent = frenchSpacing('Votre saisie, qui n’a pas été envoyée :');
	alert.append(intro);
	for (const { label, text } of typed) {
		const kept = document.createElement('p');
		if (label) kept.append(frenchSpacing(`${label} : `));
		const value = document.createElement('span');
		value.className = 'typed-text';
		value.textContent = text;
		kept.append(value);
		alert.append(kept);
	}
}

/** The text of `element`, its parts (text nodes) apart by a space, spaces collapsed. */
function wordsOf(element: Node): string {
	const parts: string[] = [];
	const walk = (node: Node) => {
		if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
		for (const child of node.childNodes) walk(child);
	};
	walk(element);
	return parts.join(' ').replace(/\s+/g, ' ').trim();
}
