import type { ParamMatcher } from '@sveltejs/kit';
import { OPEN_DATA_FILE } from '$lib/utils/open-data-files';

/** The file names of the open data (docs/open-data.md): `plan.json`, `mesures-2019.csv`… */
export const match: ParamMatcher = (param) => OPEN_DATA_FILE.test(param);
