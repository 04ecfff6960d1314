import { publishedEdition } from '../edition';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url }) => {
	const snapshot = await publishedEdition(params.year, url);
	return new Response(`${JSON.stringify(snapshot.plan, null, 2)}\n`, {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Access-Control-Allow-Origin': '*',
			'Cache-Control': 'public, max-age=300'
		}
	});
};
