import { exportPlanWorkbook } from '$lib/server/authoring/plan-import';
import { getDb } from '$lib/server/db/instance';
import { xlsxResponse } from '$lib/server/spreadsheet';
import type { RequestHandler } from './$types';

// The whole current plan as one workbook (the same file as `npm run plan:export`), the format the
// import reads back. Public, cached like the other open data (public-routes.ts).
export const GET: RequestHandler = async () => {
	const body = await exportPlanWorkbook(getDb());
	const response = xlsxResponse(body.slice().buffer, 'sdusn-plan.xlsx');
	response.headers.set('Access-Control-Allow-Origin', '*');
	return response;
};
