import {
	closedSittingRecord,
	RELEVE_COLUMNS,
	releveFileName,
	releveRows
} from '$lib/server/commission/releve';
import { csvResponse, spreadsheetCsv } from '$lib/server/csv';
import { getDb } from '$lib/server/db/instance';
import { asPublicFile } from '$lib/server/opendata/http';
import type { RequestHandler } from './$types';

// Public once the sitting is closed; before that there is no record to publish.
export const GET: RequestHandler = async ({ params }) => {
	const sitting = await closedSittingRecord(getDb(), Number(params.id));
	const body = spreadsheetCsv([RELEVE_COLUMNS, ...releveRows(sitting)]);
	return asPublicFile(csvResponse(body, releveFileName(sitting, 'csv')));
};
