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

export type RefusalStatus = 400 | 403 | 404 | 409 | 429;

/** One field that another writer changed since the form was opened (optimistic concurrency). */
export interface FieldChange {
	field: string;
	label: string;
	before: string;
	after: string;
}

export interface Refusal {
	ok: false;
	status: RefusalStatus;
	message: string;
	fieldErrors?: Record<string, string>;
	changes?: FieldChange[];
}

export function ok(): Ok<undefined>;
export function ok<T>(value: T): Ok<T>;
export function ok<T>(value?: T): Ok<T | undefined> {
	return { ok: true, value };
}

export function refuse(
	status: RefusalStatus,
	message: string,
	details: { fieldErrors?: Record<string, string>; changes?: FieldChange[] } = {}
): Refusal {
	return { ok: false, status, message, ...details };
}

/**
 * The older shape, `{ ok: true, ...fields }`: kept while services move to `Result`.
 * @deprecated use Result<T>
 */
export type ServiceResult<T = object> = ({ ok: true } & T) | Refusal;
