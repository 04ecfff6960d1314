import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/instance';
import { safeClientAddress } from '$lib/server/auth/guards';
import { can } from '$lib/server/auth/permissions';
import { checkHealth, isLoopback } from '$lib/server/health';
import { behindProxy } from '$lib/server/http/request-log';
import type { RequestHandler } from './$types';

/** What a proxy adds to a request it passes on. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/** Health check for the supervisor or the proxy: 200 when the portal can serve, 503 otherwise. */
export const GET: RequestHandler = async (event) => {
	let db = null;
	try {
		db = getDb();
	} catch {
		db = null;
	}
	// The version and the uptime for the operator: this machine itself, or an admin signed in.
	// Behind a proxy without ADDRESS_HEADER every request comes from the proxy, on this machine:
	// one that says it was forwarded is then not taken for a local one.
	const forwarded = FORWARDING_HEADERS.some((name) => event.request.headers.has(name));
	const local = isLoopback(safeClientAddress(event)) && (behindProxy() || !forwarded);
	const health = await checkHealth(db, local || can(event.locals.user, 'health.details'));
	return json(health, {
		status: health.statut === 'ok' ? 200 : 503,
		headers: { 'cache-control': 'no-store' }
	});
};
