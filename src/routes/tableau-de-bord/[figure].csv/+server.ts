import { error } from '@sveltejs/kit';
import { computeDashboard } from '$lib/server/dashboard/figures';
import { loadDashboardInput } from '$lib/server/dashboard/repository';
import { figureTables, tableToCsv } from '$lib/server/dashboard/tables';
import { getDb } from '$lib/server/db/instance';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	const table = figureTables(computeDashboard(await loadDashboardInput(getDb()))).find(
		(t) => t.id === params.figure
	);
	if (!table) error(404, 'Ce graphique n’existe pas.');
	return new Response(tableToCsv(table), {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8; header=present',
			'Content-Disposition': `attachment; filename="tableau-de-bord-${table.id}.csv"`
		}
	});
};
