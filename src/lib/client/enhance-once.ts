// SvelteKit's `use:enhance`, one submission at a time per form. Enhanced, a form sent twice before
// its first answer (a double click, or a second button of the same form) sends two requests whose
// answers are applied in the order they arrive, not the order they were sent: a conflict answer
// could arrive after the save that followed it and show the conflict again over a saved draft.
import { applyAction, enhance } from '$app/forms';
import { invalidateAll } from '$app/navigation';
import { navigating } from '$app/state';
import { tick } from 'svelte';
import { frenchSpacing } from '$lib/utils/french-spacing';
import { hiddenField } from '$lib/utils/hidden-fields';
import type { SubmitFunction } from '@sveltejs/kit';
import { answered, leaveUnasked } from './unsaved-typing';
import { shownAnswer } from './refused-answer.svelte';

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
 * A save: the address its form was sent to (its action's path, as pressed: a save may lead to
 * another address, a fiche moved under another objective), and the version it was sent with (it
 * wrote the next); what it acted on (`recordOf`), its fields marked `data-basis` as sent
 * (`basis`), and those its answer says it wrote (`wrote`: an answer's `basis`, the end of the
 * invitation « Renvoyer l'invitation » sent).
 */
interface Save {
	page: string;
	version: string | undefined;
	record: string;
	basis: Map<string, string>;
	wrote: Map<string, string>;
}

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
	let pending = false;
	/** Its last answer saved, and the page's data could not be read again. */
	let savedUnread = false;
	/** What its last send was sent with, and whether that send saved, the page read again. */
	let sent: Save | undefined;
	let saved: Save | undefined;
	let release = () => {};
	/** `waiting`: for the page's other forms under way, itself not yet sent (not under way). */
	const setSending = (sending: boolean, waiting = false) => {
		pending = sending;
		if (sending) form.setAttribute('aria-busy', 'true');
		else form.removeAttribute('aria-busy');
		// form.elements: the buttons placed outside the form with form="…" too.
		for (const element of form.elements)
			if (element instanceof HTMLButtonElement) element.toggleAttribute('data-sending', sending);
		release();
		release = sending ? holdFields(form) : () => {};
		if (sending && !waiting) release = holdUnderWay(release, () => ({ read: !savedUnread, saved }));
	};
	return enhance(form, async (input) => {
		if (pending) {
			input.cancel();
			return;
		}
		form.querySelector(':scope > [data-send-failed]')?.remove();
		const { submitter } = input;
		// Where the focus is as the form is sent: waiting for the answer, or while it is applied (the
		// page's data read again after a refusal), the person may move on to another field.
		const focusedAtSend = focusNow();
		const basis = basisNames(form);
		const record = recordOf(form);
		if (underWay.size > 0) {
			setSending(true, true);
			// Where it is on the page: gone meanwhile, with no form in its place, it is said there.
			const places = placesOf(form);
			// The page's address as pressed: a save waited for may lead to another record's page.
			const pressedAt = window.location.pathname;
			// What was typed in it, held as pressed: gone with the page meanwhile, it is shown back.
			const typed = typedTexts(form);
			const giveBack = (message: string) => {
				setSending(false);
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
			// Drawn with what the earlier answers read (the version a save wrote, in a hidden field);
			// of the forms waiting, the first given back goes first, the others wait for it.
			const waited: Outcome[] = [];
			while (underWay.size > 0) {
				waited.push(...(await Promise.all(underWay)));
				await tick();
			}
			if (waited.some((outcome) => !outcome.read)) {
				// The form holds the version that save replaced: sent, it would be refused as a
				// conflict over the person's own save. Given back, its typing kept.
				giveBack(WAITED_UNREAD_MESSAGE);
				return;
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
				return;
			}
			setSending(true);
			if (ownVersion(input.formData, next, input.action.pathname, saves))
				replaceEntries(input.formData, next);
		}
		const version = input.formData.get('version');
		sent = {
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
		saved = undefined;
		const shownBefore = shownStatuses();
		const pathBefore = window.location.pathname;
		let cancelled = false;
		let after: Awaited<ReturnType<SubmitFunction>>;
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
			setSending(false);
			throw error;
		}
		if (cancelled) {
			setSending(false);
			return;
		}
		setSending(true);
		// A request aborted through its controller gets no answer callback from SvelteKit.
		input.controller.signal.addEventListener('abort', () => setSending(false), { once: true });
		return async (answer) => {
			showConfirmations();
			let stored = false;
			savedUnread = false;
			try {
				// An error without a status is SvelteKit's own: no answer, or none it could read; a 401
				// is the guards' (requireUser): the session ended; a 403 theirs too (deny): the account
				// signed in now may not do this, or not see what it names (a 404 offering to sign in,
				// `missing`). Either way the page stays as typed.
				const { result } = answer;
				const refused =
					result.type === 'error' &&
					(result.status === 401 ||
						result.status === 403 ||
						(result.status === 404 &&
							(result.error as Partial<App.Error> | null)?.signIn === true));
				// A server's failure (5xx: the database busy, the disk full, an unexpected error), or a
				// form too large for it (413: a long text pasted, http/body-limits.ts): its French
				// message above the form, the typing kept (to shorten), rather than the error page.
				const failed =
					result.type === 'error' && ((result.status ?? 0) >= 500 || result.status === 413);
				if (result.type === 'error' && (result.status === undefined || refused || failed)) {
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
					return;
				}
				const apply = async (read: () => Promise<void>) => {
					// The submit function's steps after `update()` (a form drawn anew on its save) wait
					// for the page's data: read, or else never.
					const update: Answer['update'] = async (options) => {
						await answer.update(options);
						await read();
					};
					await (after ? after({ ...answer, update }) : update());
				};
				const saves = result.type === 'success' || result.type === 'redirect';
				// The page's title says whether this answer refused the form (the root layout).
				shownAnswer.refused = result.type === 'failure';
				if (result.type === 'error') await apply(async () => {});
				else if (
					// A save that leads to another page is what the person asked for: not questioned
					// for typing in the page's other forms.
					!(await (result.type === 'redirect'
						? leaveUnasked(() => readingPageData(apply, result.location))
						: readingPageData(apply)))
				) {
					// A refusal's message stays (a field to correct, the conflict), and a saved form
					// shows what was saved: the alert says that the page was not read again.
					const alert = formAlert(saves ? SAVED_UNREAD_MESSAGE : READ_FAILED_MESSAGE, false);
					if (movedOn(focusedAtSend)) form.prepend(alert);
					else showAlert(form, alert);
					stored = saves;
					savedUnread = saves;
					return;
				}
				stored = saves;
				if (saves && sent) saved = { ...sent, wrote: basisWritten(result) };
				if (answer.result.type === 'failure') {
					await tick();
					if (!movedOn(focusedAtSend)) focusRefusal(form);
				} else if (
					(result.type === 'success' || result.type === 'redirect') &&
					window.location.pathname === pathBefore
				) {
					await tick();
					if (!movedOn(focusedAtSend))
						focusOutcome(shownBefore, submitter, result.type === 'redirect');
				} else if (result.type === 'redirect') {
					await tick();
					focusArrival();
				} else if (result.type === 'error') {
					// The page's error replaced the page (a séance deleted meanwhile), the button pressed
					// with it: its heading takes the focus, or a screen reader would hear nothing.
					await tick();
					focusHeading();
				}
			} finally {
				setSending(false);
				answered(form, stored);
			}
		};
	});
}

/**
 * Puts `alert` at the form's top. The button pressed is at the form's end: the alert is brought
 * into view, and takes the focus, so that its sign-in link is the next Tab (on a phone, the focus
 * stayed on the button, off screen, 16 Shift+Tab from the link).
 */
function showAlert(place: Element, alert: HTMLElement): void {
	place.prepend(alert);
	alert.tabIndex = -1;
	alert.scrollIntoView({ block: 'nearest' });
	focusOwn(alert, { preventScroll: true });
}

/** The `<input>` types that `readOnly` holds (the others are held by their events). */
const TYPED = new Set([
	'text',
	'search',
	'url',
	'tel',
	'email',
	'password',
	'number',
	'date',
	'month',
	'week',
	'time',
	'datetime-local'
]);

/** The `<input>` types chosen by a click or a key, whose changes are refused while held. */
const CHOSEN = new Set(['checkbox', 'radio', 'file', 'range', 'color']);

/** What chooses in a list or a box: a click (a tap), a press, a key. */
const HELD_EVENTS = ['click', 'mousedown', 'keydown'];

/** Keys that move the focus on, or close a list: left to a held field. */
const PASSING_KEYS = new Set(['Tab', 'Escape', 'Shift', 'Control', 'Alt', 'Meta']);

/**
 * Holds the form's fields while it is sent (`data-sending`, shown as waiting in app.css): its
 * text fields and text areas become read-only (they keep the focus; a screen reader says them
 * read-only), its lists, boxes and buttons of choice do not change (their clicks and keys are
 * refused). What they show is then what was sent, until the answer is fully applied: typing
 * done meanwhile was wiped by the form drawn anew after the save, or left on screen as if saved.
 * Returns what gives them back; a field already read-only stays so.
 */
function holdFields(form: HTMLFormElement): () => void {
	const refuse = (event: Event) => {
		if (event instanceof KeyboardEvent && PASSING_KEYS.has(event.key)) return;
		event.preventDefault();
	};
	const releases: (() => void)[] = [];
	const hold = (field: Element, release: () => void) => {
		field.setAttribute('data-sending', '');
		releases.push(() => {
			field.removeAttribute('data-sending');
			release();
		});
	};
	for (const field of form.elements) {
		if (
			field instanceof HTMLTextAreaElement ||
			(field instanceof HTMLInputElement && TYPED.has(field.type))
		) {
			hold(field, holdReadOnly(field));
		} else if (
			field instanceof HTMLSelectElement ||
			(field instanceof HTMLInputElement && CHOSEN.has(field.type))
		) {
			for (const type of HELD_EVENTS) field.addEventListener(type, refuse);
			hold(field, () => {
				for (const type of HELD_EVENTS) field.removeEventListener(type, refuse);
			});
		}
	}
	return () => {
		for (const release of releases) release();
	};
}

/**
 * Makes a text field read-only while it is held; returns what gives it back. The answer drawn
 * meanwhile may make it read-only itself (the bilan's year, fixed by the refusal that names the
 * draft of that year): Svelte sets the element's `readOnly`, and remembers what it set, so as not
 * to set it again. Given back as it was before the send, the field was editable again under a
 * page that says it is not. That setting is taken while held, and applied on release.
 */
function holdReadOnly(field: HTMLInputElement | HTMLTextAreaElement): () => void {
	let drawn = field.readOnly;
	field.setAttribute('readonly', '');
	Object.defineProperty(field, 'readOnly', {
		configurable: true,
		get: () => true,
		set: (value: unknown) => {
			drawn = Boolean(value);
		}
	});
	return () => {
		// The prototype's own `readOnly` again, set to what the page drew.
		Reflect.deleteProperty(field, 'readOnly');
		field.readOnly = drawn;
	};
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

/**
 * The mark of a hidden field that records what the person saw when the page was drawn (`shownUntil`
 * of an invitation, `currentRole`, `shown_place`, `convened_at`…), for the server to refuse the
 * form if it changed since: a form that waited goes with what it held when pressed, never with
 * what the page read since shows (`basisKept`). Every hidden field of a page is either marked so or
 * named among those that are not (architecture.spec.ts).
 */
const BASIS_MARK = 'data-basis';

/** Whether `field` is a hidden field of what a form acts on (a row's ids: `userId`, `itemId`). */
function identifies(field: Element): field is HTMLInputElement {
	return (
		field instanceof HTMLInputElement &&
		field.type === 'hidden' &&
		// Not its version (HIDDEN_FIELDS): a save moves it on, the form drawn in its place holds the next.
		hiddenField(field.name)?.role !== 'version' &&
		!field.hasAttribute(BASIS_MARK)
	);
}

/** What a form acts on: its action, and its other hidden fields (`identifies`). */
function identity(form: HTMLFormElement): string {
	return JSON.stringify([form.getAttribute('action'), identifyingFields(form)]);
}

function identifyingFields(form: HTMLFormElement): string[][] {
	return [...form.elements].flatMap((field) =>
		identifies(field) ? [[field.name, field.value]] : []
	);
}

/**
 * The record, row or item a form acts on, whatever its action (`identifies`: a row's `userId`):
 * « Renvoyer l'invitation » and « Révoquer l'invitation » of the same account act on the same.
 */
function recordOf(form: HTMLFormElement): string {
	return JSON.stringify(identifyingFields(form).sort(([a], [b]) => (a! < b! ? -1 : 1)));
}

/**
 * What an answer that saved says it wrote of the fields marked `data-basis` of the forms acting on
 * the same record (its `basis`: « Renvoyer l'invitation », the end of the link it sent).
 */
function basisWritten(result: Answer['result']): Map<string, string> {
	const written = result.type === 'success' ? (result.data?.['basis'] as unknown) : undefined;
	if (typeof written !== 'object' || written === null) return new Map();
	return new Map(
		Object.entries(written).flatMap(([name, value]) =>
			typeof value === 'string' ? [[name, value] as const] : []
		)
	);
}

/**
 * Of a form that waited, the fields marked `data-basis` (`basis`) as the person's own saves it
 * waited for wrote them from what it held when pressed (`pressed`): each sent to the same address
 * (`page`), acting on the same record (`record`: « Renvoyer l'invitation » of the account whose
 * « Révoquer l'invitation » waited), with the value pressed or one an earlier of those saves wrote,
 * as `ownVersion` follows a version. A value the page read since shows and none of them wrote is a
 * colleague's: not taken (`basisKept`).
 */
function ownBasis(
	pressed: FormData,
	basis: Set<string>,
	page: string,
	record: string,
	saves: Save[]
): Map<string, string> {
	const own = new Map<string, string>();
	const mine = saves.filter((save) => save.page === page && save.record === record);
	for (const name of basis) {
		const values = pressed.getAll(name);
		let value = values.length === 1 ? values[0] : undefined;
		if (typeof value !== 'string') continue;
		for (let step = 0; step < mine.length; step++) {
			const from: string = value;
			const save = mine.find((candidate) => candidate.basis.get(name) === from);
			const written = save?.wrote.get(name);
			if (written === undefined || written === value) break;
			value = written;
		}
		own.set(name, value);
	}
	return own;
}

/** The names of the form's hidden fields marked as what the person saw (`BASIS_MARK`). */
function basisNames(form: HTMLFormElement): Set<string> {
	return new Set(
		[...form.elements].flatMap((field) =>
			field instanceof HTMLInputElement && field.hasAttribute(BASIS_MARK) ? [field.name] : []
		)
	);
}

/**
 * `next` (what a form that waited holds now, or the hidden fields of the form drawn in its place),
 * its fields named in `basis` given back the values they had when pressed (`pressed`): the page
 * read after the wait may show a colleague's change (an invitation sent again: a new `shownUntil`),
 * which the person never saw; sent with it, the form would act over that change unseen (the fresh
 * link revoked). Sent as pressed, it is refused, as a conflict over a version is. A field whose
 * value now is the one the person's own saves wrote (`own`, ownBasis) keeps it: « Révoquer
 * l'invitation » pressed after « Renvoyer l'invitation » of the same account revokes the link the
 * person just sent, rather than being refused over a colleague who does not exist.
 */
function basisKept(
	next: FormData,
	pressed: FormData,
	basis: Set<string>,
	own: Map<string, string>
): FormData {
	for (const name of basis) {
		const now = next.getAll(name);
		if (now.length === 1 && own.get(name) === now[0]) continue;
		next.delete(name);
		for (const value of pressed.getAll(name)) next.append(name, value);
	}
	return next;
}

/**
 * `form`, gone: the one form of the page drawn in its place, of the same action and acting on the
 * same record, row or item (`identity`); none when no form, or more than one, does (a list's rows:
 * taken, another row's form would act on that row).
 */
function successor(form: HTMLFormElement): HTMLFormElement | null {
	const action = form.getAttribute('action');
	if (action === null) return null;
	const own = identity(form);
	const drawn = [
		...document.querySelectorAll<HTMLFormElement>(`main form[action="${CSS.escape(action)}"]`)
	].filter((candidate) => candidate !== form && identity(candidate) === own);
	return drawn.length === 1 ? drawn[0]! : null;
}

/**
 * The mark of an alert of a form given back, gone with no form in its place: shown outside any
 * form (in the root layout's `main`, which Svelte draws once), it would stay on every page opened
 * next, the typing it shows back included, until a full reload (`removeLeftBehind`).
 */
const LEFT_BEHIND = 'data-left-behind';

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
function placesOf(element: Element): Element[] {
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
function waitedGoneMessage(submitter: HTMLElement | null): string {
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
function typedTexts(form: HTMLFormElement): TypedText[] {
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
function showTyped(alert: HTMLElement, typed: TypedText[]): void {
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

/**
 * For a form gone while it waited (drawn anew by another form's answer): `pressed`, what it held
 * when pressed, with the hidden fields (a version) of the form drawn in its place, the page's form
 * acting on the same record, row or item (`successor`); null when there is none.
 */
function rebased(pressed: FormData, form: HTMLFormElement): FormData | null {
	const drawn = successor(form);
	if (!drawn) return null;
	const next = new FormData();
	for (const [name, value] of pressed) next.append(name, value);
	for (const field of drawn.elements)
		if (field instanceof HTMLInputElement && field.type === 'hidden' && next.has(field.name))
			next.set(field.name, field.value);
	return next;
}

/**
 * What `form` holds now, sent by `submitter`: the form waited for another one's answer, which may
 * have drawn anew its hidden fields (a version moved on by that save).
 */
function current(form: HTMLFormElement, submitter: HTMLElement | null): FormData {
	return submitter?.isConnected && (submitter as HTMLButtonElement).form === form
		? new FormData(form, submitter)
		: new FormData(form);
}

/** Puts in `formData` the entries of `next` instead of its own. */
function replaceEntries(formData: FormData, next: FormData): void {
	for (const name of new Set(formData.keys())) formData.delete(name);
	for (const [name, value] of next) formData.append(name, value);
}

/**
 * Whether a form that waited may go with `next` (what it holds now, or the hidden fields of the
 * form drawn in its place) rather than `pressed`, what it held when pressed: its version is the
 * one pressed, or the one the person's own saves waited for wrote from it (`saves`: each wrote
 * the version after the one it was sent with, in the same transaction, as OwnSaves reckons), saves
 * sent to the address this form is sent to (`page`, its action's path as pressed: read after the
 * wait, the page may be at the save's redirect, another address). The page read after a
 * colleague's save shows theirs: taken, it would save over their change unseen; sent as pressed,
 * it is refused as a conflict, and the typing given back.
 */
function ownVersion(pressed: FormData, next: FormData, page: string, saves: Save[]): boolean {
	const before = pressed.get('version');
	const now = next.get('version');
	if (typeof before !== 'string' || now === before) return true;
	let written = before;
	while (saves.some((save) => save.page === page && save.version === written))
		written = String(Number(written) + 1);
	return now === written;
}

/**
 * Told when the page's data could not be read, for each read under way (readingPageData);
 * `navigation`: the read was a navigation's, answered all the same (watchedFetch).
 */
const dataReads = new Set<(navigation: boolean) => void>();
let nativeFetch: typeof window.fetch | undefined;
/** The addresses the saves being applied lead to (their redirect's), as `pageAddress` writes them. */
const redirects: string[] = [];

/**
 * Applies an answer (`apply`), which reads the page's data again (after a save, or a refusal
 * read again: readAgainOnRefusal); `false` if that read got no answer (the connection lost) or a
 * failing one (503). SvelteKit, the page's data not read, reloads the whole page (client.js:
 * load_root_error_page, then native_navigation), without the leave question during a navigation
 * (a save's redirect to its page, « ?enregistre=1 »): the typing in the page's other forms lost.
 * The read that failed is instead:
 * - an invalidation's (a save or a refusal on the page): never answered to SvelteKit, it stays
 *   unfinished (the next navigation or read replaces it) and the page stays as it is;
 * - a navigation's to the save's redirect (`location`): answered « nothing changed » (each node's
 *   data kept as it is), the page kept, at the redirect's address: left unfinished, the
 *   navigation would leave SvelteKit navigating, which then calls no `beforeNavigate`, and so asks
 *   no question before leaving. A navigation meanwhile to another address of the page (a link
 *   with another query) is left to SvelteKit: answered so, it would show the page's data as it was
 *   under that address.
 * Either way the submit function's steps after `update()` never run (`read`, given to `apply`):
 * a form drawn anew from the page's data as it was would show the record before its save.
 * Only the page's own data (`…/__data.json`) is watched, and only meanwhile: `window.fetch`,
 * which SvelteKit calls for it, is wrapped until the answer is applied.
 */
async function readingPageData(
	apply: (read: () => Promise<void>) => Promise<void>,
	location?: string
): Promise<boolean> {
	let failed = false;
	let stop = () => {};
	const stopped = new Promise<false>((resolve) => (stop = () => resolve(false)));
	const told = (navigation: boolean) => {
		failed = true;
		if (!navigation) stop();
	};
	const read = async () => {
		if (!failed) return;
		stop();
		await new Promise<never>(() => {});
	};
	if (dataReads.size === 0) {
		nativeFetch = window.fetch;
		window.fetch = watchedFetch;
	}
	dataReads.add(told);
	const redirect =
		location === undefined ? undefined : pageAddress(new URL(location, window.location.href));
	if (redirect !== undefined) redirects.push(redirect);
	try {
		return await Promise.race([apply(read).then(() => !failed), stopped]);
	} finally {
		dataReads.delete(told);
		if (redirect !== undefined) redirects.splice(redirects.indexOf(redirect), 1);
		if (dataReads.size === 0 && nativeFetch) window.fetch = nativeFetch;
	}
}

const DATA_SUFFIX = '/__data.json';

/** Whether `url`, a read of the page's data, is the one of a save's redirect being applied. */
function redirectRead(url: URL): boolean {
	const page = new URL(url);
	page.pathname = page.pathname.slice(0, -DATA_SUFFIX.length);
	return redirects.includes(pageAddress(page));
}

/** The page's data as SvelteKit reads it, with no node (each one's kept as it is: `skip`). */
const NOTHING_CHANGED = `${JSON.stringify({ type: 'data', nodes: [] })}\n`;

/** A page's address, its path and query (SvelteKit's own parameters of a data read left out). */
function pageAddress(url: URL): string {
	const query = new URLSearchParams(url.search);
	query.delete('x-sveltekit-invalidated');
	query.delete('x-sveltekit-trailing-slash');
	return `${url.pathname.replace(/\/$/, '') || '/'}?${query}`;
}

async function watchedFetch(resource: RequestInfo | URL, init?: RequestInit): Promise<Response> {
	const fetch = nativeFetch ?? window.fetch;
	const url = new URL(resource instanceof Request ? resource.url : resource, location.href);
	const pageData = url.pathname === location.pathname.replace(/\/$/, '') + DATA_SUFFIX;
	if (!pageData || dataReads.size === 0) return fetch.call(window, resource, init);
	// A navigation meanwhile to another address of the page than a save's redirect (a link with
	// another query) is SvelteKit's own, its failure too.
	const others = () => navigating.type !== null && !redirectRead(url);
	try {
		const response = await fetch.call(window, resource, init);
		if (response.ok || others()) return response;
	} catch (error) {
		// No answer: the connection lost.
		if (others()) throw error;
	}
	const navigation = navigating.type !== null;
	for (const failed of dataReads) failed(navigation);
	if (navigation)
		return new Response(NOTHING_CHANGED, { headers: { 'content-type': 'application/json' } });
	return new Promise<Response>(() => {});
}

/**
 * The element the person last put the focus on (a click, a Tab: not the page's body, nor where
 * enhanceOnce put it, `focusOwn`), and how many times they moved it so far. SvelteKit drops the
 * focus on the page's body once it applies a save (applyAction after a success, a navigation to
 * the save's redirect): `document.activeElement` no longer says where the person is then.
 */
const personFocus: { element: Element | null; moves: number } = { element: null, moves: 0 };
/** Whether enhanceOnce is putting the focus somewhere itself (`focusOwn`). */
let focusingOwn = false;
let followingFocus = false;

/** Whether the person is pressing on the page (a click, a tap: `mousedown`, until its focus moved). */
let pressing = false;

/**
 * Follows where the person puts the focus (`personFocus`), from the first form enhanced on. A click
 * on blank page space takes it from the field to the page's body, with no `focusin`: followed as
 * a move to nowhere (a field left, no field chosen), or an answer would put it back on the field
 * the person left (`movedOn`). The focus dropped on the page's body by SvelteKit, or with an
 * element removed under it, is no move of the person's (no press under way).
 */
function followFocus(): void {
	if (followingFocus) return;
	followingFocus = true;
	document.addEventListener('focusin', (event) => {
		if (focusingOwn || !(event.target instanceof Element) || event.target === document.body) return;
		personFocus.element = event.target;
		personFocus.moves++;
	});
	document.addEventListener(
		'mousedown',
		() => {
			pressing = true;
			// The focus moves with the press's default action, before any timer.
			setTimeout(() => (pressing = false));
		},
		true
	);
	document.addEventListener('focusout', (event) => {
		if (!pressing || focusingOwn || event.relatedTarget !== null) return;
		personFocus.element = null;
		personFocus.moves++;
	});
}

/** Puts the focus on `element` as enhanceOnce's own move (an alert, a confirmation). */
function focusOwn(element: HTMLElement, options?: FocusOptions): void {
	focusingOwn = true;
	try {
		element.focus(options);
	} finally {
		focusingOwn = false;
	}
}

/** Where the focus is as a form is sent, and how many times the person had moved it (`movedOn`). */
interface FocusAtSend {
	element: Element | null;
	moves: number;
}

function focusNow(): FocusAtSend {
	return { element: document.activeElement, moves: personFocus.moves };
}

/**
 * Whether the person moved the focus since sending the form: they put it on another element of the
 * page than then, still there (not one removed under it: the focus is then on the page's body).
 * Their typing goes on where they put it: moved to the refused field instead, the next keys would
 * land there. Dropped on the page's body meanwhile (SvelteKit, applying another form's save), the
 * focus is put back where they put it.
 */
function movedOn(atSend: FocusAtSend): boolean {
	const moved = personFocus.moves > atSend.moves ? personFocus.element : null;
	if (!(moved instanceof HTMLElement) || moved === atSend.element || !moved.isConnected)
		return false;
	const focused = document.activeElement;
	if (focused === null || focused === document.body) focusOwn(moved, { preventScroll: true });
	return true;
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
function hideConfirmations(form: HTMLFormElement): void {
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
function showConfirmations(): void {
	for (const notice of document.querySelectorAll<HTMLElement>(`[${HIDDEN_CONFIRMATION}]`)) {
		notice.hidden = false;
		notice.removeAttribute(HIDDEN_CONFIRMATION);
	}
}

function focusHeading(): void {
	const heading = document.querySelector<HTMLElement>('main h1');
	if (!heading) return;
	if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
	focusOwn(heading);
}

/** After a refusal: the first refused field of the form, or else the alert nearest above it. */
function focusRefusal(form: HTMLFormElement): void {
	// The summary listing the refused fields (ErrorSummary, focusable) before any other refusal
	// message marked as such (a conflict notice): the first shown, made focusable.
	const summaries = form.hasAttribute('data-refusal-summary')
		? [...document.querySelectorAll<HTMLElement>('main [data-error-summary]')].filter(
				(candidate) => !candidate.hidden
			)
		: [];
	const summary = summaries.find((s) => s.hasAttribute('tabindex')) ?? summaries[0];
	if (summary) {
		if (!summary.hasAttribute('tabindex')) summary.setAttribute('tabindex', '-1');
		focusOwn(summary);
		return;
	}
	// The form may have been drawn anew with the answer (the plan import's confirmation): the
	// page's first refused field then.
	const invalid = (
		form.isConnected ? form : (document.querySelector('main') ?? document.body)
	).querySelector('[aria-invalid="true"]');
	if (invalid instanceof HTMLElement) {
		focusOwn(invalid);
		return;
	}
	const alerts = [
		...(document.querySelector('main') ?? document.body).querySelectorAll<HTMLElement>(
			'[role="alert"]'
		)
	];
	// The form may be gone with the refusal (the page read again shows why): its first alert.
	const alert = form.isConnected
		? alerts
				.filter(
					(candidate) =>
						form.contains(candidate) ||
						Boolean(candidate.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING)
				)
				.at(-1)
		: alerts[0];
	if (!alert) return;
	if (!alert.hasAttribute('tabindex')) alert.setAttribute('tabindex', '-1');
	focusOwn(alert);
}

/** The message of an error SvelteKit passed on (`error(401, message)` in an action). */
function errorMessage(error: unknown): string | undefined {
	const message = (error as { message?: unknown } | null)?.message;
	return typeof message === 'string' && message !== '' ? message : undefined;
}

/** The page's confirmations (`role="status"`) and their texts, to tell a new one from those shown. */
function shownStatuses(): { elements: Set<Element>; texts: Set<string> } {
	const elements = [...document.querySelectorAll<HTMLElement>('main [role="status"]')];
	return {
		elements: new Set(elements),
		texts: new Set(elements.map((status) => status.textContent?.trim() ?? ''))
	};
}

/**
 * After an answer that stays on the page: its confirmation (one drawn or worded anew; else, the
 * button pressed being gone with what it removed, the page's confirmation, « Point retiré. » said
 * again), or else the button pressed. An answer that leads to the page again (a redirect: a
 * second « Enregistrer le brouillon ») draws the page's confirmation anew even when its words
 * have not changed: it takes the focus, or a screen reader would hear nothing of the save.
 */
function focusOutcome(
	before: ReturnType<typeof shownStatuses>,
	submitter: HTMLElement | null,
	redirected: boolean
): void {
	const visible = [...document.querySelectorAll<HTMLElement>('main [role="status"]')].filter(
		(status) => status.getClientRects().length > 0
	);
	const fresh = visible.find(
		(status) => !before.elements.has(status) || !before.texts.has(status.textContent?.trim() ?? '')
	);
	const pressed = submitter?.isConnected && !submitter.matches(':disabled') ? submitter : null;
	const target = fresh ?? (redirected ? visible[0] : undefined) ?? pressed ?? visible[0];
	if (!target) return;
	if (target !== pressed && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
	focusOwn(target);
}

/**
 * After an answer that leads to another page (« Mise à jour de la fiche 1-2 validée et publiée. »
 * on the list of updates): its confirmation, drawn with the page, would not be read (a live region
 * speaks of changes only), and the focus would be on the page's body: the confirmation takes it,
 * and is read.
 */
function focusArrival(): void {
	const status = [...document.querySelectorAll<HTMLElement>('main [role="status"]')].find(
		(candidate) => candidate.getClientRects().length > 0
	);
	if (!status) return;
	if (!status.hasAttribute('tabindex')) status.setAttribute('tabindex', '-1');
	focusOwn(status);
}

/**
 * The alert put at the top of a form whose answer did not come or was a refusal of the whole page
 * (`data-send-failed`: removed when the form is sent again); with `signIn`, a link to the sign-in
 * page in another tab, so that this one keeps the typing — which says the session ended when it
 * did (`sessionEnded`: its cookie was no longer valid), as after a page's redirect.
 */
function formAlert(message: string, signIn: boolean, sessionEnded = false): HTMLElement {
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

type Answer = Parameters<Exclude<Awaited<ReturnType<SubmitFunction>>, void>>[0];

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
