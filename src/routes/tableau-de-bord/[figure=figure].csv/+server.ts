import { error } from '@sveltejs/kit';
import { csvResponse } from '$lib/server/csv';
import { tableToCsv } from '$lib/server/dashboard/tables';
import { getDb } from '$lib/server/db/instance';
import { asPublicFile } from '$lib/server/opendata/http';
import { liveDashboard } from '$lib/server/opendata/published';
import { FIGURE_NOT_FOUND } from '$lib/utils/vocabulary';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	const table = (await liveDashboard(getDb())).tables.find((t) => t.id === params.figure);
	if (!table) error(404, FIGURE_NOT_FOUND);
	return asPublicFile(csvResponse(tableToCsv(table), `tableau-de-bord-${table.id}.csv`));
};
