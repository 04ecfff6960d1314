import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/instance';
import { safeClientAddress } from '$lib/server/auth/guards';
import { checkHealth, isLoopback } from '$lib/server/health';
import type { RequestHandler } from './$types';

/** Health check for the supervisor or the proxy: 200 when the portal can serve, 503 otherwise. */
export const GET: RequestHandler = async (event) => {
	let db = null;
	try {
		db = getDb();
	} catch {
		db = null;
	}
	// The version and the uptime for the operator: this machine itself, or an admin signed in.
	const health = await checkHealth(
		db,
		isLoopback(safeClientAddress(event)) || event.locals.user?.role === 'admin'
	);
	return json(health, {
		status: health.statut === 'ok' ? 200 : 503,
		headers: { 'cache-control': 'no-store' }
	});
};
