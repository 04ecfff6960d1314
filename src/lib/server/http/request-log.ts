import { randomUUID } from 'node:crypto';
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { addressHeaderSetting } from '../config.js';
import { log } from '../log.js';
import { sentByScript } from './done-answer';

/** A request id set by the proxy (nginx's $request_id) is kept only when it looks like one. */
const PROXY_REQUEST_ID = /^[A-Za-z0-9-]{8,64}$/;

/** Behind a proxy that names each request's client (ADDRESS_HEADER set, as nginx does). */
export function behindProxy(): boolean {
	return addressHeaderSetting() !== null;
}

/**
 * This request's id: the proxy's X-Request-Id when well formed, otherwise a fresh one. Read only
 * behind a proxy (ADDRESS_HEADER set, as nginx replaces the header): reached directly, a client
 * could give two requests, or someone else's error page, the same id.
 */
export function requestIdOf(event: Pick<RequestEvent, 'locals' | 'request'>): string {
	if (!event.locals.requestId) {
		const given = behindProxy() ? (event.request.headers.get('x-request-id') ?? '') : '';
		event.locals.requestId = PROXY_REQUEST_ID.test(given) ? given : randomUUID();
	}
	return event.locals.requestId;
}

/**
 * One JSON line per request: method, route id (never the path, which may hold an invitation
 * token, nor the query string, which may hold what a person searched), status, duration and
 * request id. No header, cookie or body is read here.
 */
export const logRequests: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	const requestId = requestIdOf(event);
	let status = 500;
	let httpStatus: number | undefined;
	inFlight += 1;
	try {
		const response = await resolve(event);
		status = response.status;
		const outcome = await actionOutcome(event.request, response);
		if (outcome !== null && outcome !== status) [httpStatus, status] = [status, outcome];
		return response;
	} catch (error) {
		// error() and redirect() thrown past the other hooks carry their status.
		const thrown = (error as { status?: unknown } | null)?.status;
		if (typeof thrown === 'number') status = thrown;
		throw error;
	} finally {
		log().info(
			{
				event: 'request',
				requestId,
				method: event.request.method,
				route: event.route.id,
				status,
				...(httpStatus === undefined ? {} : { httpStatus }),
				durationMs: Math.round((performance.now() - started) * 10) / 10
			},
			'requête'
		);
		inFlight -= 1;
		if (inFlight === 0) for (const done of waiting.splice(0)) done();
	}
};

/**
 * A form posted by script (use:enhance, `x-sveltekit-action`) gets 200 with the action's result
 * in JSON: its real outcome (a refused login's 400 or 429, a redirect's 303) is in the body only.
 * Read from a copy, so that the log says refused as it does for the same form posted without
 * script; null for anything else.
 */
async function actionOutcome(request: Request, response: Response): Promise<number | null> {
	if (
		!sentByScript({ request }) ||
		!response.headers.get('content-type')?.startsWith('application/json')
	)
		return null;
	try {
		const result = (await response.clone().json()) as { type?: unknown; status?: unknown };
		return (result.type === 'failure' || result.type === 'redirect') &&
			typeof result.status === 'number'
			? result.status
			: null;
	} catch {
		return null;
	}
}

let inFlight = 0;
const waiting: (() => void)[] = [];

/**
 * Resolves once no request is being handled (at once when none is): at shutdown, a request whose
 * connection was cut at the time limit is logged, and ends, before the database closes.
 */
export function requestsEnded(): Promise<void> {
	return inFlight === 0 ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve));
}
