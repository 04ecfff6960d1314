import { getDb } from '$lib/server/db/instance';
import { asPublicFile } from '$lib/server/opendata/http';
import { editionChartsJson, editionKeyOfUrl } from '../edition';
import type { RequestHandler } from './$types';

/** The edition's charts, drawn by its page's script (ChartsScript.svelte). */
export const GET: RequestHandler = async ({ params, url }) => {
	const { body, publishedAt } = await editionChartsJson(getDb(), editionKeyOfUrl(params.year, url));
	return asPublicFile(
		new Response(body, { headers: { 'Content-Type': 'application/json; charset=utf-8' } }),
		publishedAt
	);
};
