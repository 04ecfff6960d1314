// Plain JavaScript: read by the server hooks (every rendered answer) and by scripts/start.js,
// which sets them on every answer of the HTTP server before SvelteKit or the static file server
// runs (static files and SvelteKit's own cross-site refusal never reach the hooks).

/** @type {ReadonlyArray<readonly [string, string]>} */
export const SECURITY_HEADERS = [
	['X-Content-Type-Options', 'nosniff'],
	['Referrer-Policy', 'strict-origin-when-cross-origin'],
	['X-Frame-Options', 'DENY'],
	['Permissions-Policy', 'camera=(), microphone=(), geolocation=()']
];
