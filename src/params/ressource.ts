import type { ParamMatcher } from '@sveltejs/kit';

/** The file names of the open data (docs/open-data.md): `plan.json`, `mesures-2019.csv`… */
export const match: ParamMatcher = (param) =>
	/^(datapackage|plan)\.json$|^(fiches|mesures|mesures-\d{4}|mises-a-jour|decisions)\.csv$/.test(
		param
	);
