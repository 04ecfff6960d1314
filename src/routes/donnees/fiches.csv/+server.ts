import { getDb } from '$lib/server/db/instance';
import { buildPlanDocument, planDocumentToCsv } from '$lib/server/opendata/plan-document';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	const body = planDocumentToCsv(await buildPlanDocument(getDb()));
	return new Response(body, {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8; header=present',
			'Content-Disposition': 'attachment; filename="sdusn-fiches.csv"',
			'Access-Control-Allow-Origin': '*',
			'Cache-Control': 'public, max-age=60'
		}
	});
};
