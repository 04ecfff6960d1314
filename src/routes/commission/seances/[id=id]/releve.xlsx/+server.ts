import { closedSittingRecord, releveFileName, releveSheet } from '$lib/server/commission/releve';
import { getDb } from '$lib/server/db/instance';
import { asPublicFile } from '$lib/server/opendata/http';
import { sheetToXlsx, xlsxResponse } from '$lib/server/spreadsheet';
import type { RequestHandler } from './$types';

// Public once the sitting is closed, like its CSV.
export const GET: RequestHandler = async ({ params }) => {
	const sitting = await closedSittingRecord(getDb(), Number(params.id));
	return asPublicFile(
		xlsxResponse(await sheetToXlsx(releveSheet(sitting)), releveFileName(sitting, 'xlsx'))
	);
};
