/** Every answer that is not a public page: signed-in pages, errors, forms, a campaign's files. */
export const PRIVATE_CACHE_CONTROL = 'private, no-store';

// The public routes whose answers are kept and shared are in `$lib/utils/public-routes.ts`
// (CACHED_ROUTES), one table with which pages are rendered on the server only.

/**
 * Signed-in pages read often and written elsewhere: their answer is kept per session (never shared
 * between sessions) and per state of the database, like public pages; it is never stored by the
 * browser (`private, no-store`).
 */
export const SESSION_ROUTES: ReadonlySet<string> = new Set(['/espace']);
