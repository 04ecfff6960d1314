import { error } from '@sveltejs/kit';
import { csvResponse } from '$lib/server/csv';
import { tableToCsv } from '$lib/server/dashboard/tables';
import { getDb } from '$lib/server/db/instance';
import { liveDashboard } from '$lib/server/opendata/published';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	const table = (await liveDashboard(getDb())).tables.find((t) => t.id === params.figure);
	if (!table) error(404, 'Ce graphique n’existe pas.');
	return csvResponse(tableToCsv(table), `tableau-de-bord-${table.id}.csv`);
};
