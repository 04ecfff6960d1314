import { getDb } from '$lib/server/db/instance';
import { publishedPlanCsv } from '$lib/server/opendata/published';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	const body = await publishedPlanCsv(getDb());
	return new Response(body, {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8; header=present',
			'Content-Disposition': 'attachment; filename="sdusn-fiches.csv"',
			'Access-Control-Allow-Origin': '*'
		}
	});
};
