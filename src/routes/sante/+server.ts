import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/instance';
import { checkHealth } from '$lib/server/health';
import type { RequestHandler } from './$types';

/** Health check for the supervisor or the proxy: 200 when the portal can serve, 503 otherwise. */
export const GET: RequestHandler = async () => {
	let db = null;
	try {
		db = getDb();
	} catch {
		db = null;
	}
	const health = await checkHealth(db);
	return json(health, {
		status: health.statut === 'ok' ? 200 : 503,
		headers: { 'cache-control': 'no-store' }
	});
};
