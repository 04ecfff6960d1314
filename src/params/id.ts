import type { ParamMatcher } from '@sveltejs/kit';
import { ID_PATTERN } from '$lib/utils/text';

/** A row's number in the address (`/admin/suivis/12`): digits only, at most nine. */
export const match = ((param) => ID_PATTERN.test(param)) satisfies ParamMatcher;
