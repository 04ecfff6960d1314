// SvelteKit's `use:enhance`, one submission at a time per form. Enhanced, a form sent twice before
// its first answer (a double click, or a second button of the same form) sends two requests whose
// answers are applied in the order they arrive, not the order they were sent: a conflict answer
// could arrive after the save that followed it and show the conflict again over a saved draft.

import { enhance } from '$app/forms';
import { tick } from 'svelte';
import type { SubmitFunction } from '@sveltejs/kit';
import { answered, leaveUnasked } from '../unsaved-typing';
import { shownAnswer } from '../refused-answer.svelte';
import {
	LEFT_BEHIND,
	errorMessage,
	formAlert,
	hideConfirmations,
	placesOf,
	showAlert,
	showConfirmations,
	showTyped,
	typedTexts,
	waitedGoneMessage
} from './alerts';
import {
	focusArrival,
	focusHeading,
	focusNow,
	focusOutcome,
	focusRefusal,
	followFocus,
	movedOn,
	shownStatuses,
	type FocusAtSend
} from './focus';
import {
	basisKept,
	basisNames,
	basisWritten,
	current,
	ownBasis,
	ownVersion,
	rebased,
	recordOf,
	replaceEntries,
	successor,
	type Save
} from './form-basis';
import { holdFields } from './held-fields';
import { readingPageData } from './page-data-read';
import type { Answer } from './read-again';

const SEND_FAILED_MESSAGE =
	'L’envoi n’a pas abouti (connexion interrompue ou portail indisponible) : votre saisie est conservée, renvoyez le formulaire.';
/** After a refusal, the page's data could not be read again (readingPageData). */
const READ_FAILED_MESSAGE =
	'Rien n’a été enregistré, et la page n’a pas pu être relue (connexion interrompue ou portail indisponible) : votre saisie est conservée, renvoyez le formulaire.';
/** After a save, the page's data could not be read again (readingPageData). */
const SAVED_UNREAD_MESSAGE =
	'Enregistré. La page n’a pas pu être relue ensuite (connexion interrompue ou portail indisponible) : rechargez-la pour voir ce qui est enregistré.';
/** A form that waited for a save whose page could not be read again: not sent. */
const WAITED_UNREAD_MESSAGE =
	'Rien n’a été envoyé : la page n’a pas pu être relue après l’enregistrement précédent (connexion interrompue ou portail indisponible). Votre saisie est conservée : rechargez la page, puis renvoyez le formulaire.';

/**
 * What a form under way did, once given back: `read`, `false` when it saved and the page's data
 * could not be read again (the forms drawn with the version that save replaced); `saved`, the
 * save it made, the page's data read again.
 */
interface Outcome {
	read: boolean;
	saved?: Save;
}

/**
 * The page's forms sent and not yet answered in full (their answer drawn, the page's data read
 * again included): each resolves when its form is given back.
 */
const underWay = new Set<Promise<Outcome>>();

/**
 * `use:enhanceOnce`, or `use:enhanceOnce={submit}` as with `use:enhance`:
 * - while a submission of the form waits for its answer, the form is `aria-busy`, its buttons are
 *   marked `data-sending` (shown as waiting, app.css), and sending it again does nothing; the focus
 *   stays where it was (no button is disabled under it); its fields hold what was sent until the
 *   answer is fully applied, the page's data read again included (`holdFields`): typed meanwhile,
 *   it would be wiped by the form drawn anew with the save, or left on screen as if saved;
 * - sent while another form of the page is (its answer awaited, or being drawn, the page's data
 *   read again), it waits for that one, shown as sent, and goes with what the form holds then:
 *   the version another form's save wrote (OwnSaves, drawn-record.svelte.ts), not the one that
 *   save replaced, which the server would refuse as a conflict over the person's own save; drawn
 *   anew meanwhile (keyed on the version), what it held when pressed goes all the same, with the
 *   hidden fields of the form drawn in its place (`rebased`); either way only if the version it
 *   finds is the one it was pressed with or the one the person's own save wrote (`ownVersion`):
 *   read after a colleague's save, the page shows theirs, and the form goes as pressed, refused as
 *   a conflict, its typing given back; the hidden fields that record what the person saw
 *   (marked `data-basis`: an invitation's `shownUntil`, an account's `currentRole`) go as they
 *   were when pressed, never as the page read meanwhile shows them (a colleague's invitation sent
 *   again): the server refuses, and the typing is given back; but as the person's own save of the
 *   same record, row or item wrote them (its answer's `basis`: « Révoquer l'invitation » pressed
 *   after « Renvoyer l'invitation » of the same account, `ownBasis`); the form drawn in its place is
 *   the one of the same action acting on the same record, row or item (its hidden fields but the
 *   version and those marked `data-basis`: `successor`), and with none (a row's form gone with that answer, another row's form of the same action left), or
 *   the page now another record's (a merge led to the organisation that stays), it is not sent:
 *   said where it was, or in the form drawn in its place, with an alert; after a save whose page could not be read
 *   again, it is not sent (it holds the version replaced): given back, with an alert;
 * - when the page's data cannot be read again after an answer (the connection lost, the portal
 *   failing), SvelteKit would reload the whole page, the typing in its other forms lost without a
 *   question: the page stays as it is, the form given back, with a French alert at its top, which
 *   says that nothing was saved (a refusal) or that it was, the page to be reloaded to show it
 *   (`readingPageData`);
 * - when no answer comes (the connection failed) or the answer cannot be read, SvelteKit would
 *   replace the page by an English error page and lose what was typed: the form stays as it is,
 *   with a French alert at its top; the same when the server failed (5xx: the database busy, the
 *   disk full), with the server's French message, and when the form is too large for the server
 *   (413: a long text pasted): the typing is kept, to be shortened;
 * - when the session ended meanwhile (401: signed out in another tab), or its account may not do
 *   this (403: signed in again with another account), the same, with the server's message and a
 *   link to sign in in another tab, instead of SvelteKit's error page; the page's confirmation of
 *   an earlier answer (« … a maintenant le rôle … ») is hidden meanwhile, so that it is not read as
 *   this answer's, and shown again with the next answer;
 * - when the answer refuses fields, the focus goes to the first of them (its message is read with
 *   it, and it is scrolled into view): on a phone the messages may sit a screen above the button;
 *   a refusal of the whole form (a conflict) takes it to its alert, the nearest above the button;
 *   a form marked `data-refusal-summary` (a long page whose refusals are listed at its top, in
 *   ErrorSummary) takes it to that summary instead, as when the browser sends it without script;
 *   unless the person has meanwhile put the focus elsewhere (typing on while the page's data is
 *   read again): it stays there, and so do their next keys;
 * - when the answer keeps the person on the same page (« Point retiré. »), the focus goes to the
 *   confirmation that appeared, or else back to the button pressed, where SvelteKit would leave it
 *   on the page's body (a keyboard user then starts again from the top); when it leads to another
 *   page, to that page's confirmation (« Mise à jour de la fiche 1-2 validée et publiée. »);
 * - neither that confirmation nor the alert of a form given back after waiting takes the focus
 *   from a person who moved it elsewhere since the send (`movedOn`): where SvelteKit dropped it on
 *   the page's body meanwhile (applying a save), it is put back where they put it.
 */
export function enhanceOnce(form: HTMLFormElement, submit?: SubmitFunction) {
	followFocus();
	const sending = sendingOf(form);
	return enhance(form, async (input) => {
		if (sending.pending) {
			input.cancel();
			return;
		}
		form.querySelector(':scope > [data-send-failed]')?.remove();
		const pressed: Pressed = {
			input,
			// Where the focus is as the form is sent: waiting for the answer, or while it is applied
			// (the page's data read again after a refusal), the person may move on to another field.
			focusedAtSend: focusNow(),
			basis: basisNames(form),
			record: recordOf(form)
		};
		if (underWay.size > 0 && !(await sentAfterOthers(form, sending, pressed))) return;
		sending.sent = sentWith(pressed);
		sending.saved = undefined;
		const statuses = shownStatuses();
		const path = window.location.pathname;
		const called = await submitted(submit, sending, input);
		if (!called) return;
		const before: Before = { statuses, path, after: called.after };
		sending.set(true);
		// A request aborted through its controller gets no answer callback from SvelteKit.
		input.controller.signal.addEventListener('abort', () => sending.set(false), { once: true });
		return (answer) => applyAnswer(form, sending, pressed, before, answer);
	});
}

/** What SvelteKit gives a submit function when a form is sent. */
type SendInput = Parameters<SubmitFunction>[0];

/** What a submit function gives back: its steps once the answer comes, if any. */
type AfterSubmit = Awaited<ReturnType<SubmitFunction>>;

/** One form's sending, as enhanceOnce follows it from one send to the next. */
interface Sending {
	/** A send of the form is under way, or waits for the page's other forms: another does nothing. */
	pending: boolean;
	/** Its last answer saved, and the page's data could not be read again. */
	savedUnread: boolean;
	/** What its last send was sent with, and whether that send saved, the page read again. */
	sent: Save | undefined;
	saved: Save | undefined;
	/**
	 * Marks the form as sent (`aria-busy`, its buttons `data-sending`, its fields held) or gives it
	 * back; `waiting`: for the page's other forms under way, itself not yet sent (not under way).
	 */
	set: (sending: boolean, waiting?: boolean) => void;
}

function sendingOf(form: HTMLFormElement): Sending {
	let release = () => {};
	const sending: Sending = {
		pending: false,
		savedUnread: false,
		sent: undefined,
		saved: undefined,
		set: (on, waiting = false) => {
			sending.pending = on;
			if (on) form.setAttribute('aria-busy', 'true');
			else form.removeAttribute('aria-busy');
			// form.elements: the buttons placed outside the form with form="…" too.
			for (const element of form.elements)
				if (element instanceof HTMLButtonElement) element.toggleAttribute('data-sending', on);
			release();
			release = on ? holdFields(form) : () => {};
			if (on && !waiting)
				release = holdUnderWay(release, () => ({
					read: !sending.savedUnread,
					saved: sending.saved
				}));
		}
	};
	return sending;
}

/**
 * A send as pressed: SvelteKit's `input`, where the focus was (`movedOn`), the names of the
 * form's fields marked `data-basis` and the record, row or item it acts on (form-basis.ts).
 */
interface Pressed {
	input: SendInput;
	focusedAtSend: FocusAtSend;
	basis: Set<string>;
	record: string;
}

/**
 * The page as the form went (after any wait): its confirmations shown, its path, and the submit
 * function's steps for the answer (`after`).
 */
interface Before {
	statuses: ReturnType<typeof shownStatuses>;
	path: string;
	after: AfterSubmit;
}

/**
 * A form sent while another of the page is under way: it waits, shown as sent, then goes with what
 * it holds then, or with what it held when pressed and the hidden fields of the form drawn in its
 * place (enhanceOnce's comment); `false` when it is given back instead, not sent.
 */
async function sentAfterOthers(
	form: HTMLFormElement,
	sending: Sending,
	pressed: Pressed
): Promise<boolean> {
	const { input, basis, record } = pressed;
	const { submitter } = input;
	sending.set(true, true);
	const giveBack = givingBack(form, sending, pressed);
	// The page's address as pressed: a save waited for may lead to another record's page.
	const pressedAt = window.location.pathname;
	const waited = await othersDone();
	if (waited.some((outcome) => !outcome.read)) {
		// The form holds the version that save replaced: sent, it would be refused as a
		// conflict over the person's own save. Given back, its typing kept.
		giveBack(WAITED_UNREAD_MESSAGE);
		return false;
	}
	// Drawn anew by that answer (a form keyed on the version), the form is gone: what it held
	// when pressed goes all the same, with the hidden fields of the form drawn in its place
	// (the version written); the server decides, and a refusal gives the typing back there.
	// Either way, a version the person's own saves did not write (a colleague's, read with
	// the page) is not taken: the form goes as pressed, and is refused as a conflict. Nor
	// is any other record of what the person saw (`data-basis`: an invitation's `shownUntil`),
	// unless the person's own save of the same record wrote it (`ownBasis`).
	// At another address now (an organisation merged into another: its page), a form drawn
	// there in its place acts on the record shown there: not taken, the form is given back.
	const drawn = form.isConnected
		? current(form, submitter)
		: window.location.pathname === pressedAt
			? rebased(input.formData, form)
			: null;
	const saves = waited.flatMap((outcome) => outcome.saved ?? []);
	const own = ownBasis(input.formData, basis, input.action.pathname, record, saves);
	const next = drawn && basisKept(drawn, input.formData, basis, own);
	if (!next) {
		// Gone, and no form of the page acts on the same record, row or item now (the row's
		// account disabled, the page another record's): sent with another one's ids, or its
		// answer drawn on another record's page, it would act or be refused unseen.
		giveBack(waitedGoneMessage(submitter));
		return false;
	}
	sending.set(true);
	if (ownVersion(input.formData, next, input.action.pathname, saves))
		replaceEntries(input.formData, next);
	return true;
}

/**
 * What gives back a form that waited, not sent, with an alert saying why (`message`): where it
 * is, or, gone meanwhile, in the form drawn in its place or else where it was (its typing shown
 * back). Reads as pressed where the form is and what was typed in it.
 */
function givingBack(
	form: HTMLFormElement,
	sending: Sending,
	{ input, focusedAtSend }: Pressed
): (message: string) => void {
	// Where it is on the page: gone meanwhile, with no form in its place, it is said there.
	const places = placesOf(form);
	// What was typed in it, held as pressed: gone with the page meanwhile, it is shown back.
	const typed = typedTexts(form);
	return (message) => {
		sending.set(false);
		input.cancel();
		const shown = form.isConnected ? form : successor(form);
		const place = shown ?? places.find((candidate) => candidate.isConnected);
		const alert = formAlert(message, false);
		if (!form.isConnected) showTyped(alert, typed);
		// Outside any form (in the page's `main`, the root layout's), Svelte never removes it.
		if (!shown) alert.setAttribute(LEFT_BEHIND, '');
		// Moved on to another field meanwhile, the person types on there: the alert is
		// shown, and read by the next Tab through the form.
		if (movedOn(focusedAtSend)) (place ?? document.body).prepend(alert);
		else showAlert(place ?? document.body, alert);
	};
}

/**
 * Waits for the page's forms under way: drawn with what the earlier answers read (the version a
 * save wrote, in a hidden field); of the forms waiting, the first given back goes first, the
 * others wait for it. What each did (Outcome).
 */
async function othersDone(): Promise<Outcome[]> {
	const waited: Outcome[] = [];
	while (underWay.size > 0) {
		waited.push(...(await Promise.all(underWay)));
		await tick();
	}
	return waited;
}

/** What the send goes with (Save): its address, its version, and its fields marked `data-basis`. */
function sentWith({ input, basis, record }: Pressed): Save {
	const version = input.formData.get('version');
	return {
		page: input.action.pathname,
		version: typeof version === 'string' ? version : undefined,
		record,
		basis: new Map(
			[...basis].flatMap((name) => {
				const value = input.formData.get(name);
				return typeof value === 'string' ? [[name, value] as const] : [];
			})
		),
		wrote: new Map()
	};
}

/**
 * Calls the page's submit function, if any: its steps for the answer (`after`), or `null` when it
 * cancelled the send, the form given back.
 */
async function submitted(
	submit: SubmitFunction | undefined,
	sending: Sending,
	input: SendInput
): Promise<{ after: AfterSubmit } | null> {
	let cancelled = false;
	let after: AfterSubmit;
	try {
		after = await submit?.({
			...input,
			cancel: () => {
				cancelled = true;
				input.cancel();
			}
		});
	} catch (error) {
		// After waiting, the form is marked under way already: a submit function that throws
		// would leave it so, and every form sent after it waiting for good.
		sending.set(false);
		throw error;
	}
	if (cancelled) {
		sending.set(false);
		return null;
	}
	return { after };
}

/**
 * The answer's callback: the answer applied and the page's data read again (or the form kept as
 * typed, with an alert), the focus put where it says (enhanceOnce's comment), the form given back.
 */
async function applyAnswer(
	form: HTMLFormElement,
	sending: Sending,
	pressed: Pressed,
	before: Before,
	answer: Answer
): Promise<void> {
	showConfirmations();
	let stored = false;
	sending.savedUnread = false;
	try {
		const { result } = answer;
		if (alertedInstead(form, result)) return;
		const saves = result.type === 'success' || result.type === 'redirect';
		// The page's title says whether this answer refused the form (the root layout).
		shownAnswer.refused = result.type === 'failure';
		if (!(await applied(answer, before.after))) {
			// A refusal's message stays (a field to correct, the conflict), and a saved form
			// shows what was saved: the alert says that the page was not read again.
			const alert = formAlert(saves ? SAVED_UNREAD_MESSAGE : READ_FAILED_MESSAGE, false);
			if (movedOn(pressed.focusedAtSend)) form.prepend(alert);
			else showAlert(form, alert);
			stored = saves;
			sending.savedUnread = saves;
			return;
		}
		stored = saves;
		if (saves && sending.sent) sending.saved = { ...sending.sent, wrote: basisWritten(result) };
		await focusAfter(form, pressed, before, result);
	} finally {
		sending.set(false);
		answered(form, stored);
	}
}

/**
 * An answer that would replace the page and lose the typing: the form stays as it is, with an
 * alert at its top; `true` then. An error without a status is SvelteKit's own: no answer, or none
 * it could read; a 401 is the guards' (requireUser): the session ended; a 403 theirs too (deny):
 * the account signed in now may not do this, or not see what it names (a 404 offering to sign in,
 * `missing`).
 */
function alertedInstead(form: HTMLFormElement, result: Answer['result']): boolean {
	const refused =
		result.type === 'error' &&
		(result.status === 401 ||
			result.status === 403 ||
			(result.status === 404 && (result.error as Partial<App.Error> | null)?.signIn === true));
	// A server's failure (5xx: the database busy, the disk full, an unexpected error), or a
	// form too large for it (413: a long text pasted, http/body-limits.ts): its French
	// message above the form, the typing kept (to shorten), rather than the error page.
	const failed = result.type === 'error' && ((result.status ?? 0) >= 500 || result.status === 413);
	if (!(result.type === 'error' && (result.status === undefined || refused || failed)))
		return false;
	const alert = failed
		? formAlert(errorMessage(result.error) ?? SEND_FAILED_MESSAGE, false)
		: refused
			? formAlert(
					errorMessage(result.error) ?? SEND_FAILED_MESSAGE,
					(result.error as Partial<App.Error> | null)?.signIn === true,
					(result.error as Partial<App.Error> | null)?.sessionEnded === true
				)
			: formAlert(SEND_FAILED_MESSAGE, false);
	hideConfirmations(form);
	showAlert(form, alert);
	return true;
}

/**
 * Applies the answer, through the submit function's steps (`after`) when it has any; `false` when
 * the page's data, read again, could not be (readingPageData). An error (the page's own) reads
 * nothing.
 */
async function applied(answer: Answer, after: AfterSubmit): Promise<boolean> {
	const { result } = answer;
	const apply = async (read: () => Promise<void>) => {
		// The submit function's steps after `update()` (a form drawn anew on its save) wait
		// for the page's data: read, or else never.
		const update: Answer['update'] = async (options) => {
			await answer.update(options);
			await read();
		};
		await (after ? after({ ...answer, update }) : update());
	};
	if (result.type === 'error') {
		await apply(async () => {});
		return true;
	}
	// A save that leads to another page is what the person asked for: not questioned for
	// typing in the page's other forms.
	return result.type === 'redirect'
		? leaveUnasked(() => readingPageData(apply, result.location))
		: readingPageData(apply);
}

/** After the answer is applied: the focus where it says (enhanceOnce's comment), once drawn. */
async function focusAfter(
	form: HTMLFormElement,
	{ input, focusedAtSend }: Pressed,
	before: Before,
	result: Answer['result']
): Promise<void> {
	if (result.type === 'failure') {
		await tick();
		if (!movedOn(focusedAtSend)) focusRefusal(form);
	} else if (
		(result.type === 'success' || result.type === 'redirect') &&
		window.location.pathname === before.path
	) {
		await tick();
		if (!movedOn(focusedAtSend))
			focusOutcome(before.statuses, input.submitter, result.type === 'redirect');
	} else if (result.type === 'redirect') {
		await tick();
		focusArrival();
	} else if (result.type === 'error') {
		// The page's error replaced the page (a séance deleted meanwhile), the button pressed
		// with it: its heading takes the focus, or a screen reader would hear nothing.
		await tick();
		focusHeading();
	}
}

/**
 * Notes its form as under way until the returned function gives back its fields (`release`);
 * `outcome`: then, what it did (Outcome).
 */
function holdUnderWay(release: () => void, outcome: () => Outcome): () => void {
	let done: (outcome: Outcome) => void = () => {};
	const finished = new Promise<Outcome>((resolve) => (done = resolve));
	underWay.add(finished);
	return () => {
		underWay.delete(finished);
		done(outcome());
		release();
	};
}
