import { closedSessionRecord, releveSheet } from '$lib/server/commission/releve';
import { getDb } from '$lib/server/db/instance';
import { sheetToXlsx, xlsxResponse } from '$lib/server/spreadsheet';
import type { RequestHandler } from './$types';

// Public once the session is closed, like its CSV.
export const GET: RequestHandler = async ({ params }) => {
	const session = await closedSessionRecord(getDb(), params.id);
	return xlsxResponse(
		await sheetToXlsx(releveSheet(session)),
		`releve-decisions-${session.heldOn}.xlsx`
	);
};
