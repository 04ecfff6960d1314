import { getDb } from '$lib/server/db/instance';
import { buildPlanDocument, planDocumentToJson } from '$lib/server/opendata/plan-document';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	const body = planDocumentToJson(await buildPlanDocument(getDb()));
	return new Response(body, {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': 'inline; filename="sdusn-plan.json"',
			'Access-Control-Allow-Origin': '*',
			'Cache-Control': 'public, max-age=60'
		}
	});
};
