import { getDb } from '$lib/server/db/instance';
import { publishedPlanJson } from '$lib/server/opendata/published';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	const body = await publishedPlanJson(getDb());
	return new Response(body, {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': 'inline; filename="sdusn-plan.json"',
			'Access-Control-Allow-Origin': '*'
		}
	});
};
