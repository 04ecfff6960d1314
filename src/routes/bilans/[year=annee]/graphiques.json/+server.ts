import { getDb } from '$lib/server/db/instance';
import { editionChartsJson, editionKeyOfUrl } from '../edition';
import type { RequestHandler } from './$types';

/** The edition's charts, drawn by its page's script (ChartsScript.svelte). */
export const GET: RequestHandler = async ({ params, url }) =>
	new Response(await editionChartsJson(getDb(), editionKeyOfUrl(params.year, url)), {
		headers: { 'Content-Type': 'application/json; charset=utf-8' }
	});
