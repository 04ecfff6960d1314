import { publishedOpenData } from '../edition';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url }) => {
	const openData = await publishedOpenData(params.year, url);
	return new Response(openData.json, {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': `inline; filename="bilan-${openData.year}-plan.json"`,
			'Access-Control-Allow-Origin': '*'
		}
	});
};
