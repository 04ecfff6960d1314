import { closedSittingRecord, releveFileName, releveSheet } from '$lib/server/commission/releve';
import { getDb } from '$lib/server/db/instance';
import { asPublicFile } from '$lib/server/opendata/http';
import { publishedDataChangedAt } from '$lib/server/opendata/published';
import { sheetToXlsx, xlsxResponse } from '$lib/server/spreadsheet';
import type { RequestHandler } from './$types';

// Public once the sitting is closed, like its CSV. Last-Modified: the last change of published
// data, not the closing: the workbook names each fiche by its code then and today's, and its
// title today, which a change of the plan after the closing rewrites.
export const GET: RequestHandler = async ({ params }) => {
	const db = getDb();
	const sitting = await closedSittingRecord(db, Number(params.id));
	return asPublicFile(
		xlsxResponse(await sheetToXlsx(releveSheet(sitting)), releveFileName(sitting, 'xlsx')),
		await publishedDataChangedAt(db)
	);
};
