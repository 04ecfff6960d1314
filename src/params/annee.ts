import type { ParamMatcher } from '@sveltejs/kit';

/** A year in the address (`/bilans/2019`, `/fiches/14-1/historique/2019`): four digits. */
export const match = ((param) => /^\d{4}$/.test(param)) satisfies ParamMatcher;
