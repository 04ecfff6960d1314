import { planDocumentToCsv } from '$lib/server/opendata/plan-document';
import { publishedEdition } from '../edition';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url }) => {
	const snapshot = await publishedEdition(params.year, url);
	return new Response(planDocumentToCsv(snapshot.plan), {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8; header=present',
			'Content-Disposition': `attachment; filename="bilan-${snapshot.year}-fiches.csv"`,
			'Access-Control-Allow-Origin': '*'
		}
	});
};
