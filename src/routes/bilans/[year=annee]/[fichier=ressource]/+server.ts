import { openDataAnswer, openDataResponse, resourceOrNotFound } from '$lib/server/opendata/http';
import { publishedFile } from '../edition';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ params, request, url }) =>
	openDataAnswer(request, async () => {
		const file = await publishedFile(params.year, resourceOrNotFound(params.fichier), url);
		// Named after its version: two versions' files saved side by side keep apart.
		return openDataResponse(file, `bilan-${file.year}-version-${file.version}`);
	});
