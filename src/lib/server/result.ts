/**
 * The one shape every service that decides something returns: `ok(value)`, or a refusal with an
 * HTTP status, a French sentence the page shows as it is, and optionally the message for each
 * field and the changes a conflicting writer made. Routes turn a refusal into a form answer with
 * `refusalAnswer` ($lib/server/http/form-answer).
 */
export type Result<T = undefined> = Ok<T> | Refusal;

export interface Ok<T> {
	ok: true;
	value: T;
}

/**
 * 401: the person's session was ended by the refusal itself (sign in again). 410: a link used up.
 * 413: a file over the server's body limit.
 */
export type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 429 | 503;

/**
 * One field that another writer changed since the form was opened (optimistic concurrency): on a
 * conflict screen, `before` is the version stored now and `after` what this person typed.
 */
export interface FieldChange {
	field: string;
	label: string;
	before: string;
	after: string;
}

/** The record as stored now, beside `changes`, for a conflict screen that offers a way out. */
export interface StoredVersion {
	id: number;
	version: number;
	state: string;
	updatedByName: string | null;
	updatedAt: string | null;
	/** Whether this person may knowingly save their version over the stored one. */
	canReplace: boolean;
	/** Whether, the stored one being out of reach (validated), the typing may become a new record. */
	canSaveAsNew: boolean;
}

/**
 * What a caller may need to tell apart among refusals of one status, named for code: a route that
 * answers one of them its own way compares this, never the French sentence (which may be reworded).
 */
export type RefusalReason =
	| 'sitting-deleted'
	| 'sitting-closed'
	| 'closing-changed'
	| 'draft-changed'
	| 'withdrawn'
	| 'organisation-off-fiche'
	| 'draft-discarded'
	/** A partner's update validated since the page was drawn, its form refused for its fields. */
	| 'update-validated'
	/** A new version of a published bilan sent without the texts of its latest version. */
	| 'published-texts'
	/** The address names no fiche (a page may then look for the code it moved to). */
	| 'fiche-not-found'
	/** A 403 with no particular reason to tell: a page says it generally (`deny` without one). */
	| 'forbidden';

export interface RefusalDetails {
	reason?: RefusalReason;
	fieldErrors?: Record<string, string>;
	changes?: FieldChange[];
	stored?: StoredVersion;
	/** A 403's link onward, shown by the error page (refusalReason's, as a page's guard gives it). */
	next?: { href: string; label: string };
}

export interface Refusal extends RefusalDetails {
	ok: false;
	status: RefusalStatus;
	message: string;
}

export function ok(): Ok<undefined>;
export function ok<T>(value: T): Ok<T>;
export function ok<T>(value?: T): Ok<T | undefined> {
	return { ok: true, value };
}

export function refuse(
	status: RefusalStatus,
	message: string,
	details: RefusalDetails = {}
): Refusal {
	return { ok: false, status, message, ...details };
}

/** The sentence above a form some of whose fields do not pass, each with its own message. */
export const INVALID_FORM_MESSAGE =
	'Le formulaire contient des erreurs : corrigez les champs signalés.';

/** A form refused field by field: 400, INVALID_FORM_MESSAGE above it, a message under each field. */
export function invalidFields(fieldErrors: Record<string, string>): Refusal {
	return refuse(400, INVALID_FORM_MESSAGE, { fieldErrors });
}
