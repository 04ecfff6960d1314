import type { ParamMatcher } from '@sveltejs/kit';

/**
 * An organisation's short name typed with capitals (`/organisations/CDG46`, as the name is shown):
 * answered by a redirect to the address in lower case (organisations/[slug=slugInCapitals]). The
 * `slug` matcher stays strict: no other route takes capitals.
 */
export const match = ((param) =>
	/^[A-Za-z0-9-]{1,80}$/.test(param) && /[A-Z]/.test(param)) satisfies ParamMatcher;
