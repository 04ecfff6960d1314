import { error } from '@sveltejs/kit';
import { asPublicFile, NO_SUCH_FILE } from '$lib/server/opendata/http';
import { tableToSheet } from '$lib/server/dashboard/tables';
import { sheetToXlsx, xlsxResponse } from '$lib/server/spreadsheet';
import { formatDate } from '$lib/utils/format';
import { publishedEdition } from '../edition';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url }) => {
	const snapshot = await publishedEdition(params.year, url);
	const table = snapshot.tables.find((t) => t.id === params.figure);
	if (!table) error(404, NO_SUCH_FILE);
	return asPublicFile(
		xlsxResponse(
			await sheetToXlsx(tableToSheet(table, `au ${formatDate(snapshot.asOf)}`)),
			`bilan-${snapshot.year}-version-${snapshot.version}-${table.id}.xlsx`
		),
		snapshot.publishedAt
	);
};
