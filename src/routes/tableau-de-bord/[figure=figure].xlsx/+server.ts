import { error } from '@sveltejs/kit';
import { tableToSheet } from '$lib/server/dashboard/tables';
import { getDb } from '$lib/server/db/instance';
import { asPublicFile } from '$lib/server/opendata/http';
import { liveDashboard } from '$lib/server/opendata/published';
import { sheetToXlsx, xlsxResponse } from '$lib/server/spreadsheet';
import { formatDate } from '$lib/utils/format';
import { FIGURE_NOT_FOUND } from '$lib/utils/vocabulary';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	const { tables, modifiedAt } = await liveDashboard(getDb());
	const table = tables.find((t) => t.id === params.figure);
	if (!table) error(404, FIGURE_NOT_FOUND);
	const period = `au ${formatDate(new Date().toISOString())}`;
	return asPublicFile(
		xlsxResponse(
			await sheetToXlsx(tableToSheet(table, period)),
			`tableau-de-bord-${table.id}.xlsx`
		),
		modifiedAt
	);
};
