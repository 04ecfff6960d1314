import { error } from '@sveltejs/kit';
import { asPublicFile, NO_SUCH_FILE } from '$lib/server/opendata/http';
import { csvResponse } from '$lib/server/csv';
import { tableToCsv } from '$lib/server/dashboard/tables';
import { publishedEdition } from '../edition';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url }) => {
	const snapshot = await publishedEdition(params.year, url);
	const table = snapshot.tables.find((t) => t.id === params.figure);
	if (!table) error(404, NO_SUCH_FILE);
	return asPublicFile(
		csvResponse(
			tableToCsv(table),
			`bilan-${snapshot.year}-version-${snapshot.version}-${table.id}.csv`
		),
		snapshot.publishedAt
	);
};
