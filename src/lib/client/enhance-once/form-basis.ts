// What a form that waited for another one's answer goes with (enhanceOnce, send-once.ts): the
// record, row or item it acts on (`recordOf`, `identity`), the form drawn in its place
// (`successor`, `rebased`), the version and the fields marked `data-basis` it may take from the
// person's own saves (`ownVersion`, `ownBasis`), and those it sends as pressed (`basisKept`).

import { hiddenField } from '$lib/utils/hidden-fields';
import type { Answer } from './read-again';

/**
 * A save: the address its form was sent to (its action's path, as pressed: a save may lead to
 * another address, a fiche moved under another objective), and the version it was sent with (it
 * wrote the next); what it acted on (`recordOf`), its fields marked `data-basis` as sent
 * (`basis`), and those its answer says it wrote (`wrote`: an answer's `basis`, the end of the
 * invitation « Renvoyer l'invitation » sent).
 */
export interface Save {
	page: string;
	version: string | undefined;
	record: string;
	basis: Map<string, string>;
	wrote: Map<string, string>;
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
export function recordOf(form: HTMLFormElement): string {
	return JSON.stringify(identifyingFields(form).sort(([a], [b]) => (a! < b! ? -1 : 1)));
}

/**
 * What an answer that saved says it wrote of the fields marked `data-basis` of the forms acting on
 * the same record (its `basis`: « Renvoyer l'invitation », the end of the link it sent).
 */
export function basisWritten(result: Answer['result']): Map<string, string> {
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
export function ownBasis(
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
export function basisNames(form: HTMLFormElement): Set<string> {
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
export function basisKept(
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
export function successor(form: HTMLFormElement): HTMLFormElement | null {
	const action = form.getAttribute('action');
	if (action === null) return null;
	const own = identity(form);
	const drawn = [
		...document.querySelectorAll<HTMLFormElement>(`main form[action="${CSS.escape(action)}"]`)
	].filter((candidate) => candidate !== form && identity(candidate) === own);
	return drawn.length === 1 ? drawn[0]! : null;
}

/**
 * For a form gone while it waited (drawn anew by another form's answer): `pressed`, what it held
 * when pressed, with the hidden fields (a version) of the form drawn in its place, the page's form
 * acting on the same record, row or item (`successor`); null when there is none.
 */
export function rebased(pressed: FormData, form: HTMLFormElement): FormData | null {
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
export function current(form: HTMLFormElement, submitter: HTMLElement | null): FormData {
	return submitter?.isConnected && (submitter as HTMLButtonElement).form === form
		? new FormData(form, submitter)
		: new FormData(form);
}

/** Puts in `formData` the entries of `next` instead of its own. */
export function replaceEntries(formData: FormData, next: FormData): void {
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
export function ownVersion(
	pressed: FormData,
	next: FormData,
	page: string,
	saves: Save[]
): boolean {
	const before = pressed.get('version');
	const now = next.get('version');
	if (typeof before !== 'string' || now === before) return true;
	let written = before;
	while (saves.some((save) => save.page === page && save.version === written))
		written = String(Number(written) + 1);
	return now === written;
}
