import type { ParamMatcher } from '@sveltejs/kit';
import { FIGURE_IDS } from '$lib/utils/figure-ids';

/** A table of the dashboard in the address of its file (`/tableau-de-bord/indicateurs.csv`). */
export const match = ((param) => FIGURE_IDS.includes(param)) satisfies ParamMatcher;
