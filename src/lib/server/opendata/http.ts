import { error, isHttpError, json, type Handle } from '@sveltejs/kit';
import { XLSX_MEDIA_TYPE } from '../spreadsheet';
import { mediaTypeOf, pathOfResource, resourceOfPath } from './resources';

/** What a missing file of the open data or of an edition answers (docs/open-data.md). */
export const NO_SUCH_FILE = 'Ce fichier de données n’existe pas.';

/** The resource a URL's file name names (`mesures-2019.csv` → `mesures-2019`), or a French 404. */
export function resourceOrNotFound(fileName: string): string {
	return resourceOfPath(fileName) ?? error(404, NO_SUCH_FILE);
}

/**
 * Open to a script of any origin, which may also read the validators (to ask again with
 * If-None-Match or If-Modified-Since), the download name and the part a range request got.
 */
const CORS_HEADERS = {
	'Access-Control-Allow-Origin': '*',
	'Access-Control-Expose-Headers': 'ETag, Last-Modified, Content-Disposition, Content-Range'
} as const;

/**
 * An open-data file as served: its bytes, its media type, open to every origin. `modifiedAt`: when
 * its bytes may last have changed (live, the last change of published data; in an edition, its
 * publication), sent as Last-Modified.
 */
export function openDataResponse(
	file: { name: string; body: Uint8Array; modifiedAt: string } | undefined,
	downloadPrefix: string
): Response {
	if (!file) error(404, NO_SUCH_FILE);
	const path = pathOfResource(file.name);
	return new Response(file.body as Uint8Array<ArrayBuffer>, {
		headers: {
			'Content-Type': mediaTypeOf(path),
			'Content-Disposition': `${path.endsWith('.json') ? 'inline' : 'attachment'}; filename="${downloadPrefix}-${path}"`,
			'Last-Modified': new Date(file.modifiedAt).toUTCString(),
			// A Range is answered by the page cache's replay, kept or not (rangedAnswer in
			// hooks.server.ts: a signed-in visitor, the cache off): a broken download resumes.
			'Accept-Ranges': 'bytes',
			...CORS_HEADERS
		}
	});
}

/**
 * A file of the public side as its open-data files answer (a figure's table, the charts, the plan's
 * workbook, a séance's record): when known, when its content may last have changed (`modifiedAt`,
 * sent as Last-Modified: an edition's publication, the plan's last published revision), and ranges
 * offered, so that a broken download resumes (the page cache's replay, rangedAnswer) — except for a
 * workbook: ExcelJS zips it anew at each build, each entry dated when written, so two builds of the
 * same content differ byte for byte (a new day's key in the page cache, a restart, a signed-in
 * visitor): the end of one joined to the start of another would be a broken file. A workbook is
 * downloaded whole; its Last-Modified still answers If-Modified-Since with a 304.
 */
export function asPublicFile(response: Response, modifiedAt?: string | null): Response {
	if (modifiedAt) response.headers.set('Last-Modified', new Date(modifiedAt).toUTCString());
	if (response.headers.get('content-type') !== XLSX_MEDIA_TYPE)
		response.headers.set('Accept-Ranges', 'bytes');
	return response;
}

/**
 * The preflight a browser sends before a script's request of another origin that carries a
 * validator (If-None-Match) or asks for a part (If-Range, a Range of several parts): allowed, so
 * that the script can ask again without downloading, or resume (openDataAddresses answers it).
 */
function openDataPreflight(): Response {
	return new Response(null, {
		status: 204,
		headers: {
			...CORS_HEADERS,
			'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
			'Access-Control-Allow-Headers': 'If-None-Match, If-Modified-Since, Range, If-Range',
			'Access-Control-Max-Age': '86400'
		}
	});
}

/**
 * Answers an open-data request. A refusal (404: no such year, version or file) reaches a script of
 * any origin as `{ "message": … }` with the CORS headers, so that it can tell « not published » from
 * a network failure; a browser's navigation (which asks for HTML) still gets the error page.
 */
export async function openDataAnswer(
	request: Request,
	answer: () => Promise<Response>
): Promise<Response> {
	try {
		return await answer();
	} catch (thrown) {
		if (!isHttpError(thrown) || asksForHtml(request)) throw thrown;
		return json({ message: thrown.body.message }, { status: thrown.status, headers: CORS_HEADERS });
	}
}

/** A browser's navigation, which gets the error page rather than `{ message }`. */
const asksForHtml = (request: Request) => request.headers.get('accept')?.includes('text/html');

/**
 * Every file under /donnees/, and every file of an edition (`/bilans/2019/plan.json`); not the
 * data SvelteKit's script asks for a page (`/bilans/2019/__data.json`).
 */
const OPEN_DATA_ADDRESS = /^\/(?:donnees\/|bilans\/[^/]+\/(?=[^/]+\.[^/.]+$))(?!__data\.json$)./;

/**
 * Every answer at an address of the open data carries both CORS headers, refusals included, so that
 * a script of another origin reads « this file does not exist » instead of a network failure, and
 * reads the validators of every file (the figures' tables and `plan.xlsx`, whose routes do not set
 * them, included). Every preflight there is allowed here, whatever route matches or none: a figure's
 * table or `graphiques.json` asked for again with If-None-Match is not refused by a 405. A name no
 * route matches (`/donnees/nope.csv`, `/bilans/2019/mesure.json`, `/bilans/abcd/plan.json`), which
 * the routes' matchers leave to SvelteKit's page, answers as a missing file does (openDataAnswer); a
 * browser's navigation still gets the error page.
 */
export const openDataAddresses: Handle = async ({ event, resolve }) => {
	if (!OPEN_DATA_ADDRESS.test(event.url.pathname)) return resolve(event);
	if (event.request.method === 'OPTIONS') return openDataPreflight();
	if (event.route.id === null && !asksForHtml(event.request))
		return json({ message: NO_SUCH_FILE }, { status: 404, headers: CORS_HEADERS });
	const response = await resolve(event);
	const cors = Object.entries(CORS_HEADERS);
	if (cors.every(([name, value]) => response.headers.get(name) === value)) return response;
	const headers = new Headers(response.headers);
	for (const [name, value] of cors) headers.set(name, value);
	return new Response(response.body, {
		status: response.status,
		statusText: response.statusText,
		headers
	});
};
