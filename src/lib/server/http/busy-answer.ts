import type { Handle, RequestEvent } from '@sveltejs/kit';

/**
 * Requests whose error was the database kept locked by another process (handleError notes them).
 * By their Request: SvelteKit hands the hooks copies of the event (tracing), never the same object.
 */
const busyRequests = new WeakSet<Request>();

/** Seconds a client is told to wait before trying again: about the dialect's patience (5 s). */
const RETRY_AFTER_SECONDS = 5;

/** Notes that `event` failed on a database kept locked past the dialect's patience (SQLITE_BUSY). */
export function noteBusyRequest(event: Pick<RequestEvent, 'request'>): void {
	busyRequests.add(event.request);
}

/**
 * A request that failed on a database another process (a backup, an import, a command) kept
 * locked answers 503 with Retry-After, not 500: nothing is broken and nothing was written; the
 * page says to try again in a moment (DATABASE_BUSY_MESSAGE), and a proxy or a script reads it so.
 */
export const busyAnswers: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (response.status !== 500 || !busyRequests.has(event.request)) return response;
	const headers = new Headers(response.headers);
	headers.set('Retry-After', String(RETRY_AFTER_SECONDS));
	return new Response(response.body, { status: 503, statusText: 'Service Unavailable', headers });
};
