/**
 * What a service that changes data returns: `{ ok: true, ... }`, or its refusal, an HTTP status
 * and a French sentence the page shows as it is.
 */
export type ServiceResult<T = object> = ({ ok: true } & T) | Refusal;

export interface Refusal {
	ok: false;
	status: 400 | 404 | 409;
	message: string;
}

export function refuse(status: Refusal['status'], message: string): Refusal {
	return { ok: false, status, message };
}
