/**
 * Where to send someone after signing in (`redirectTo`): only one of the portal's own pages. The
 * value is parsed by the WHATWG URL parser (the browser's) against the portal's origin, so that
 * tabs, line breaks, backslashes and the like are read as a browser would read them; the result
 * must stay on that origin and name a page route. What comes back is the parser's own serialisation
 * (path and query, percent-encoded, plain ASCII): always a valid `Location` header.
 */

// Pages a sign-in may lead to: every page route except the ways in and out, and the pages opened
// from a single-use link (a link that was not the person's own must not open after their sign-in).
const EXCLUDED = new Set([
	'/connexion',
	'/deconnexion',
	'/invitation/[token]',
	'/mot-de-passe-oublie',
	'/mot-de-passe-oublie/[token]',
	'/desabonnement/[token]'
]);

function routePattern(id: string): RegExp {
	const source = id
		.split('/')
		.map((segment) =>
			/^\[[a-z]+(=[a-z]+)?\]$/i.test(segment)
				? '[^/]+'
				: segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
		)
		.join('/');
	return new RegExp(`^${source}$`);
}

export const PAGE_ROUTES: readonly string[] = Object.keys(
	import.meta.glob('/src/routes/**/+page.svelte')
)
	.map((file) => file.slice('/src/routes'.length, -'/+page.svelte'.length) || '/')
	.filter((id) => !EXCLUDED.has(id))
	.sort();

const PATTERNS = PAGE_ROUTES.map(routePattern);

/** The same-origin path and query to redirect to, or null (then: the default page). */
export function redirectTarget(raw: string | null | undefined, origin: string): string | null {
	if (!raw || raw.length > 2000 || !raw.startsWith('/')) return null;
	let base: URL;
	let url: URL;
	try {
		base = new URL(origin);
		url = new URL(raw, base);
	} catch {
		return null;
	}
	if (url.origin !== base.origin || url.username || url.password) return null;
	if (!PATTERNS.some((pattern) => pattern.test(url.pathname))) return null;
	return `${url.pathname}${url.search}`;
}
