import type { ParamMatcher } from '@sveltejs/kit';

/** An organisation's short name in the address (`/organisations/cdg46`). */
export const match = ((param) => /^[a-z0-9-]{1,80}$/.test(param)) satisfies ParamMatcher;
