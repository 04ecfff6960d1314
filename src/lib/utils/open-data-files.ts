/**
 * The file names of the open data (docs/open-data.md), one home for the route's matcher
 * (src/params/ressource.ts) and the server's reading (resourceOfPath): `plan.json`,
 * `mesures-2019.csv`… The resource is group 1 (JSON) or 2 (CSV).
 */
export const OPEN_DATA_FILE =
	/^(datapackage|plan)\.json$|^(fiches|mesures|mesures-\d{4}|mises-a-jour|decisions)\.csv$/;
