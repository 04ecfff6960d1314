import { getDb } from '$lib/server/db/instance';
import { openDataAnswer, openDataResponse, resourceOrNotFound } from '$lib/server/opendata/http';
import { openDataFile } from '$lib/server/opendata/published';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ params, request }) =>
	openDataAnswer(request, async () =>
		openDataResponse(await openDataFile(getDb(), resourceOrNotFound(params.fichier)), 'sdusn')
	);
