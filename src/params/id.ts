import type { ParamMatcher } from '@sveltejs/kit';

/** A row's number in the address (`/admin/suivis/12`): digits only, at most nine. */
export const match = ((param) => /^\d{1,9}$/.test(param)) satisfies ParamMatcher;
