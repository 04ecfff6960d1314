import { error, type Handle } from '@sveltejs/kit';
import { log } from '../log.js';
import { PUBLIC_ROUTES } from './cacheable-routes';
import { SECURITY_HEADERS } from './security-headers.js';

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * The one spelling of a path: percent-encoded unreserved characters decoded (`/%66iches` →
 * `/fiches`), other escapes in upper case (`%c3%a9` → `%C3%A9`), as RFC 3986 normalises them.
 */
export function canonicalPath(pathname: string): string {
	return pathname.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
		const character = String.fromCharCode(parseInt(hex, 16));
		return UNRESERVED.test(character) ? character : escape.toUpperCase();
	});
}

/** The query as the URL parser reads it, serialised once: `?q=a%20b` and `?q=a+b` are one. */
export function canonicalSearch(search: string): string {
	const normal = new URLSearchParams(search).toString();
	return normal ? `?${normal}` : '';
}

/** Non-canonical spellings of a path are sent to the canonical one: one page, one cache entry. */
export const canonicalPaths: Handle = async ({ event, resolve }) => {
	const requested = new URL(event.request.url);
	const canonical = canonicalPath(requested.pathname);
	if (canonical === requested.pathname) return resolve(event);
	const safe = event.request.method === 'GET' || event.request.method === 'HEAD';
	return new Response(null, {
		status: safe ? 301 : 308,
		headers: { location: `${canonical}${requested.search}` }
	});
};

const MISSING_ADDRESS_MESSAGE =
	'La requête ne dit pas de quelle adresse elle vient : le mandataire inverse doit transmettre l’en-tête configuré dans ADDRESS_HEADER.';

/**
 * The client address is known for every request, or the request is refused (400): with
 * ADDRESS_HEADER set and the header missing, the per-address login limit must not silently stop.
 */
export const requireClientAddress: Handle = async ({ event, resolve }) => {
	try {
		event.getClientAddress();
	} catch {
		log().warn(
			{ event: 'missing-address', method: event.request.method, route: event.route?.id ?? null },
			'400 : adresse du client absente'
		);
		error(400, MISSING_ADDRESS_MESSAGE);
	}
	return resolve(event);
};

export const UNREADABLE_FORM_MESSAGE =
	'Le formulaire envoyé est illisible ou incomplet : rechargez la page et renvoyez-le.';

/**
 * A body that cannot be read as a form (no or wrong multipart boundary, truncated, text/plain, an
 * upload aborted halfway) is the client's fault: the action answers 400 with the French error
 * page, and the server logs one line, never a stack trace.
 */
export const readableForms: Handle = async ({ event, resolve }) => {
	if (event.request.method === 'POST') {
		const request = event.request;
		const formData = request.formData.bind(request);
		request.formData = async () => {
			try {
				return await formData();
			} catch (caught) {
				const reason = caught instanceof Error ? caught.message : String(caught);
				log().warn(
					{
						event: 'unreadable-form',
						route: event.route?.id ?? null,
						reason: reason.split('\n')[0]?.slice(0, 120)
					},
					'400 : formulaire illisible'
				);
				error(400, UNREADABLE_FORM_MESSAGE);
			}
		};
	}
	return resolve(event);
};

/** Routes whose anonymous answer carries personal data or a secret in its address. */
const NO_STORE_ROUTES: ReadonlySet<string> = new Set(['/invitation/[token]']);
const PRIVATE_CACHE_CONTROL = 'private, no-store';

/**
 * Security headers on every rendered answer, and `private, no-store` on every answer that is
 * not a public page: signed-in pages, pages with a token in their address, errors, forms.
 */
export const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	for (const [name, value] of SECURITY_HEADERS) response.headers.set(name, value);
	const route = event.route.id;
	if (event.locals.user || (route && NO_STORE_ROUTES.has(route)))
		response.headers.set('Cache-Control', PRIVATE_CACHE_CONTROL);
	else if (!(route && PUBLIC_ROUTES.has(route)) && !response.headers.has('Cache-Control'))
		response.headers.set('Cache-Control', PRIVATE_CACHE_CONTROL);
	return response;
};
