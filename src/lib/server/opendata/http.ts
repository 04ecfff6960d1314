import { error } from '@sveltejs/kit';
import { mediaTypeOf, pathOfResource, resourceOfPath } from './resources';

/** The resource a URL's file name names (`mesures-2019.csv` → `mesures-2019`), or a French 404. */
export function resourceOrNotFound(fileName: string): string {
	return resourceOfPath(fileName) ?? error(404, 'Ce fichier de données n’existe pas.');
}

/** An open-data file as served: its bytes, its media type, open to every origin. */
export function openDataResponse(
	file: { name: string; body: Uint8Array } | undefined,
	downloadPrefix: string
): Response {
	if (!file) error(404, 'Ce fichier de données n’existe pas.');
	const path = pathOfResource(file.name);
	return new Response(file.body as Uint8Array<ArrayBuffer>, {
		headers: {
			'Content-Type': mediaTypeOf(path),
			'Content-Disposition': `${path.endsWith('.json') ? 'inline' : 'attachment'}; filename="${downloadPrefix}-${path}"`,
			'Access-Control-Allow-Origin': '*'
		}
	});
}
