import { error, isHttpError, json, type Handle, type RequestEvent } from '@sveltejs/kit';
import { log } from '../log.js';
import { PRIVATE_CACHE_CONTROL } from './cacheable-routes';
import { CACHED_ROUTES } from '../../utils/public-routes';
import { PAGE_NOT_FOUND } from '../../utils/vocabulary';
import { SECURITY_HEADERS } from './security-headers.js';
import { METHOD_NOT_ALLOWED_MESSAGE } from './method-refusal.js';
import errorTemplate from '../../../error.html?raw';
import { escapeHtml } from '../../utils/html';
import { portalErrorPage } from './error-page';
import { sessionCookieName } from '../auth/sessions';
import { formByteLimit, hasTooManyFields } from './body-limits';
import { sentByScript } from './done-answer';

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * The one spelling of a path: percent-encoded unreserved characters decoded (`/%66iches` →
 * `/fiches`), other escapes in upper case (`%c3%a9` → `%C3%A9`), as RFC 3986 normalises them, and
 * one slash at the start. `//host/…` (or `/\host/…`, which the URL parser reads the same) is an
 * address on another site to a browser: redirected there, it made the portal an open redirect.
 */
export function canonicalPath(pathname: string): string {
	return pathname.replace(/^\/{2,}/, '/').replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
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

export const CROSS_SITE_FORM_MESSAGE =
	'Ce formulaire a été envoyé depuis un autre site que le portail : par sécurité, il est refusé. Ouvrez la page sur le portail et envoyez le formulaire de là.';

/**
 * A form from the portal's own machine name under another scheme or port than ORIGIN's: not
 * another site, but a portal behind a TLS proxy with ORIGIN set to http:// (or the wrong port).
 */
export const MISCONFIGURED_ORIGIN_MESSAGE =
	'Le portail est mal configuré : son adresse publique (ORIGIN) ne correspond pas à celle de cette page, et il refuse donc les formulaires. Rien n’a été enregistré : prévenez l’administrateur du portail.';

const WEB_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:']);

/**
 * `sent` (a browser's Origin), normalised, when it is an address the portal's own pages could have
 * behind a proxy with the wrong ORIGIN, and which part of ORIGIN is wrong:
 * - `scheme`: `expected`'s machine under the other web scheme, on that scheme's default port
 *   (`https://host` for ORIGIN=http://host:3000) or on ORIGIN's own port;
 * - `host`: the machine the request itself names (`host`, its Host header, which nginx passes as
 *   `$host`, without the port), when ORIGIN names another (ORIGIN left as the documentation's
 *   example). A page on another site cannot make a browser send an Origin equal to the portal's
 *   Host; a client that forges both only chooses the wording of its own refusal.
 * Null otherwise: the same scheme on another port, or another machine, is another site (another
 * application, or forged to fill the log), and a made-up scheme (`a://…`), which no browser sends,
 * is not counted. Either way the form is refused: this chooses the message and the log line only.
 */
function misconfiguredOrigin(
	sent: string | null,
	expected: string,
	host: string | null
): { origin: string; wrong: 'scheme' | 'host' } | null {
	if (!sent || !URL.canParse(sent)) return null;
	const from = new URL(sent);
	const to = new URL(expected);
	if (!WEB_SCHEMES.has(from.protocol) || !WEB_SCHEMES.has(to.protocol)) return null;
	if (
		from.hostname === to.hostname &&
		from.protocol !== to.protocol &&
		(from.port === '' || from.port === to.port)
	)
		return { origin: from.origin, wrong: 'scheme' };
	const named = host && URL.canParse(`http://${host}`) ? new URL(`http://${host}`) : null;
	return named &&
		from.hostname !== to.hostname &&
		from.hostname === named.hostname &&
		(named.port === '' || named.port === from.port)
		? { origin: from.origin, wrong: 'host' }
		: null;
}

/**
 * Origins already logged as a misconfiguration, by what is wrong (two at most per ORIGIN for the
 * scheme): once each, a few in all. The host's have a set of their own: a client chooses the Host
 * it sends, and its forged ones must not leave a wrong scheme unlogged. A client forging both
 * Origin and Host could also fill the host's ten, and hide a real ORIGIN left as the example: that
 * set is emptied each hour (`HOST_LINES_EVERY_MS`), ten lines an hour at most, so that a forger
 * fills it for an hour only, and a real misconfiguration is said again within the next.
 */
const misconfigurationsLogged = { scheme: new Set<string>(), host: new Set<string>() };
const MISCONFIGURATIONS_LOGGED_AT_MOST = 10;
const HOST_LINES_EVERY_MS = 60 * 60_000;
let hostLinesSince = Date.now();

/** The bodies a browser's form sends, which a page on another site can post (CSRF). */
const FORM_TYPES: ReadonlySet<string> = new Set([
	'application/x-www-form-urlencoded',
	'multipart/form-data',
	'text/plain',
	'application/x-sveltekit-formdata'
]);
const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether a request is a form sent from a page of another origin than `origin`. */
export function isCrossSiteForm(request: Request, origin: string): boolean {
	if (!WRITE_METHODS.has(request.method)) return false;
	const type = (request.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
	return FORM_TYPES.has(type) && request.headers.get('origin') !== origin;
}

/**
 * RFC 8058 one-click unsubscribe: mail providers POST it from their servers, without an Origin
 * header; its signed token alone decides, and its body is never read.
 */
const ONE_CLICK_ROUTE = '/desabonnement/[token]/un-clic';

/**
 * A form posted from another site is refused (403) with the French error page: the check
 * SvelteKit would make (its own is switched off in svelte.config.js, since it answers in English
 * plain text), made first of all. Logged, with the origin it came from: a proxy in front of the
 * portal with the wrong ORIGIN would make every form refused this way.
 */
export const sameOriginForms: Handle = async ({ event, resolve }) => {
	if (event.route.id !== ONE_CLICK_ROUTE && isCrossSiteForm(event.request, event.url.origin)) {
		log().warn(
			{
				event: 'cross-site-form',
				route: event.route?.id ?? null,
				origin: (event.request.headers.get('origin') ?? '(aucune)').slice(0, 200),
				expected: event.url.origin
			},
			'403 : formulaire envoyé depuis un autre site'
		);
		const misconfigured = misconfiguredOrigin(
			event.request.headers.get('origin'),
			event.url.origin,
			event.request.headers.get('host')
		);
		if (!misconfigured) return refuseForm(event, 403, CROSS_SITE_FORM_MESSAGE);
		const { origin: sent, wrong } = misconfigured;
		// Once per origin seen: the operator's fix, not a line per refused form.
		if (wrong === 'host' && Date.now() - hostLinesSince >= HOST_LINES_EVERY_MS) {
			misconfigurationsLogged.host.clear();
			hostLinesSince = Date.now();
		}
		const logged = misconfigurationsLogged[wrong];
		if (!logged.has(sent) && logged.size < MISCONFIGURATIONS_LOGGED_AT_MOST) {
			logged.add(sent);
			const differ =
				wrong === 'scheme'
					? 'ne diffèrent que par le schéma'
					: 'ne nomment pas la même machine (celle de la page est celle que le mandataire transmet, en-tête Host), et les liens des courriels mènent à ORIGIN';
			log().warn(
				{ event: 'origin-misconfigured', origin: sent, expected: event.url.origin },
				`ORIGIN (${event.url.origin}) et l’adresse de la page dans le navigateur (${sent}) ${differ} : chaque formulaire venu de là est refusé ; si ${sent} est l’adresse publique du portail, réglez ORIGIN=${sent}`
			);
		}
		return refuseForm(event, 403, MISCONFIGURED_ORIGIN_MESSAGE);
	}
	return resolve(event);
};

/**
 * A form refused before its action runs. A form sent by the page's script (use:enhance) reads
 * SvelteKit's action answer: the refusal is shown as the error page, instead of being ignored.
 */
function refuseForm(event: RequestEvent, status: number, message: string): Response {
	if (sentByScript(event)) return json({ type: 'error', error: { message } }, { status });
	// A script asking for JSON gets `{ message }`, as SvelteKit answers it an error.
	const accept = event.request.headers.get('accept') ?? '';
	if (accept.includes('application/json') && !accept.includes('text/html'))
		return json({ message }, { status, headers: { 'Cache-Control': PRIVATE_CACHE_CONTROL } });
	return refusalPage(status, message);
}

/** No script, no source but the page's own style: what a refusal page needs, and no more. */
const REFUSAL_CSP =
	"default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/**
 * The error page (src/error.html, as SvelteKit fills it) answered before any page runs, with the
 * headers every page has: private, and a content security policy (thrown from a hook, SvelteKit
 * sent it without either).
 */
function refusalPage(status: number, message: string): Response {
	const html = portalErrorPage(
		errorTemplate
			.replaceAll('%sveltekit.status%', String(status))
			.replace('%sveltekit.error.message%', escapeHtml(message)),
		status,
		false
	);
	return new Response(html, {
		status,
		headers: {
			'Content-Type': 'text/html; charset=utf-8',
			'Cache-Control': PRIVATE_CACHE_CONTROL,
			'Content-Security-Policy': REFUSAL_CSP
		}
	});
}

/**
 * Action names no route has, that SvelteKit would not answer 404: `default`, kept for a form
 * without a name (asked by its name, SvelteKit throws), and every member of Object.prototype
 * (`constructor`, `toString`, `__proto__`…), which SvelteKit's `actions[name]` finds on any route
 * and calls (a 500, or a 200 « success » past every guard). Any visitor's post would write a stack
 * trace in the log: the same answer as any other unknown action's, a 404, logged in one line.
 */
const RESERVED_ACTIONS = new Set([
	'default',
	'__proto__',
	...Object.getOwnPropertyNames(Object.prototype)
]);

/** The action the form names, as SvelteKit reads it (the first key starting with `/`), if reserved. */
function reservedActionName(url: URL): string | null {
	const key = [...url.searchParams.keys()].find((k) => k.startsWith('/'));
	return key !== undefined && RESERVED_ACTIONS.has(key.slice(1)) ? key.slice(1) : null;
}

export const UNREADABLE_FORM_MESSAGE =
	'Le formulaire envoyé est illisible ou incomplet : rechargez la page et renvoyez-le.';

const TOO_LARGE_FORM_MESSAGE =
	'Le formulaire envoyé est trop volumineux pour le portail : allégez-le (un fichier joint plus petit, un texte plus court) et renvoyez-le.';

/** adapter-node's refusal of a body over BODY_SIZE_LIMIT (a SvelteKitError of status 413). */
function isPayloadTooLarge(caught: unknown): boolean {
	return (
		typeof caught === 'object' && caught !== null && (caught as { status?: unknown }).status === 413
	);
}

/**
 * A body that cannot be read as a form (no or wrong multipart boundary, truncated, text/plain, an
 * upload aborted halfway) is the client's fault: the action answers 400 with the French error
 * page, and the server logs one line, never a stack trace. A body over the size limit answers 413.
 */
export const readableForms: Handle = async ({ event, resolve }) => {
	const reserved = event.request.method === 'POST' ? reservedActionName(event.url) : null;
	if (reserved !== null) {
		log().warn(
			{ event: 'reserved-action-named', action: reserved, route: event.route?.id ?? null },
			`404 : action réservée « ${reserved} » demandée par son nom`
		);
		return refuseForm(event, 404, PAGE_NOT_FOUND);
	}
	if (event.request.method === 'POST') {
		const request = event.request;
		const route = event.route?.id ?? null;
		const tooLarge = (reason: 'length' | 'fields' | 'limit') =>
			log().warn({ event: 'form-too-large', route, reason }, '413 : formulaire trop volumineux');
		const refuseTooLarge = (reason: 'length' | 'fields' | 'limit'): never => {
			tooLarge(reason);
			error(413, TOO_LARGE_FORM_MESSAGE);
		};
		// Refused on its announced length, unread, before the session is looked up: the largest a
		// session could allow, checked again on what is read once the session is known.
		const announced = Number(request.headers.get('content-length') ?? 0);
		const cookie = event.cookies.get(sessionCookieName(event.url.protocol === 'https:'));
		if (announced > formByteLimit(route, cookie !== undefined)) {
			tooLarge('length');
			// The body is left unread: the connection cannot carry another request after it.
			const refusal = refuseForm(event, 413, TOO_LARGE_FORM_MESSAGE);
			refusal.headers.set('Connection', 'close');
			return refusal;
		}
		const arrayBuffer = request.arrayBuffer.bind(request);
		request.formData = async () => {
			try {
				// Read whole (a body without Content-Length too, up to BODY_SIZE_LIMIT), then its size
				// and its count of fields checked before undici parses it.
				const bytes = new Uint8Array(await arrayBuffer());
				const type = request.headers.get('content-type') ?? '';
				if (bytes.byteLength > formByteLimit(route, event.locals.user !== null))
					refuseTooLarge('length');
				if (hasTooManyFields(bytes, type)) refuseTooLarge('fields');
				return await new Response(bytes, { headers: { 'content-type': type } }).formData();
			} catch (caught) {
				if (isHttpError(caught, 413)) throw caught;
				if (isPayloadTooLarge(caught)) refuseTooLarge('limit');
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

/**
 * An endpoint (`+server.ts`) asked with a method it does not answer gets SvelteKit's « POST method
 * not allowed » as plain text without a type: the same refusal, its Allow header kept, in French.
 */
function frenchMethodRefusal(response: Response): Response {
	const type = response.headers.get('content-type');
	if (response.status !== 405 || (type !== null && !type.startsWith('text/plain'))) return response;
	const headers = new Headers(response.headers);
	headers.set('content-type', 'text/plain; charset=utf-8');
	headers.delete('content-length');
	return new Response(METHOD_NOT_ALLOWED_MESSAGE, { status: 405, headers });
}

/** Routes whose anonymous answer carries personal data or a secret in its address. */
const NO_STORE_ROUTES: ReadonlySet<string> = new Set(['/invitation/[token]']);

/**
 * What a public route answers as a public page: the page (200), a part of an open-data file (206)
 * and « not modified » (304). Its errors and redirections (a 404, a 405, the 301 of a
 * non-canonical spelling) are not pages.
 */
const PUBLIC_PAGE_STATUSES: ReadonlySet<number> = new Set([200, 206, 304]);

/**
 * Security headers on every rendered answer, and `private, no-store` on every answer that is
 * not a public page: signed-in pages, pages with a token in their address, errors and
 * redirections (on public routes too), forms.
 */
export const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = frenchMethodRefusal(await resolve(event));
	for (const [name, value] of SECURITY_HEADERS) response.headers.set(name, value);
	const route = event.route.id;
	const publicRoute = route !== null && CACHED_ROUTES.has(route);
	if (
		event.locals.user ||
		(route && NO_STORE_ROUTES.has(route)) ||
		(publicRoute && !PUBLIC_PAGE_STATUSES.has(response.status))
	)
		response.headers.set('Cache-Control', PRIVATE_CACHE_CONTROL);
	else if (!publicRoute && !response.headers.has('Cache-Control'))
		response.headers.set('Cache-Control', PRIVATE_CACHE_CONTROL);
	return response;
};

/**
 * What the visitor reads of an error that no code of the portal raised with its own message:
 * SvelteKit's own refusals, whose text is English (« Malformed URI », « Unsupported Media Type »…),
 * and unexpected errors, whose detail stays in the server's log.
 */
export function sveltekitErrorMessage(status: number, message: string): string {
	switch (status) {
		case 400:
			return message === 'Malformed URI'
				? 'Cette adresse est mal formée (un « % » n’y est pas suivi de deux chiffres hexadécimaux valides) : vérifiez-la ou repartez de l’accueil.'
				: 'La requête est mal formée : rechargez la page et recommencez.';
		case 404:
			return PAGE_NOT_FOUND;
		case 405:
			return METHOD_NOT_ALLOWED_MESSAGE;
		case 413:
			return TOO_LARGE_FORM_MESSAGE;
		case 415:
			return 'Ce formulaire n’a pas été envoyé comme un formulaire de page : ouvrez la page et envoyez-le de là.';
		default:
			return status >= 500
				? 'Une erreur inattendue est survenue. Veuillez réessayer plus tard.'
				: 'La requête n’a pas pu être traitée : rechargez la page et recommencez.';
	}
}
