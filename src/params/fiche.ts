import type { ParamMatcher } from '@sveltejs/kit';
import { FICHE_CODE_PATTERN } from '$lib/utils/text';

/** A fiche's code (`14-1`): objective number, dash, fiche number. */
export const match = ((param) => FICHE_CODE_PATTERN.test(param)) satisfies ParamMatcher;
