import type { EditionOpenData } from '$lib/server/editions/snapshot';
import { planDocumentToCsv } from '$lib/server/opendata/plan-document';
import { publishedOpenData } from '../edition';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url }) => {
	const openData = await publishedOpenData(params.year, url);
	return new Response(planDocumentToCsv(JSON.parse(openData.json) as EditionOpenData), {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8; header=present',
			'Content-Disposition': `attachment; filename="bilan-${openData.year}-fiches.csv"`,
			'Access-Control-Allow-Origin': '*'
		}
	});
};
