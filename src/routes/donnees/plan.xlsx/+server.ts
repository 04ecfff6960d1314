import { planWorkbookFile } from '$lib/server/authoring/plan-import';
import { getDb } from '$lib/server/db/instance';
import { asPublicFile } from '$lib/server/opendata/http';
import { xlsxResponse } from '$lib/server/spreadsheet';
import type { RequestHandler } from './$types';

// The whole current plan as one workbook (the same file as `npm run plan:export`), the format the
// import reads back. Public, cached like the other open data (public-routes.ts), with their
// headers: Last-Modified (the last change of published data, as the live files), ranges (a broken
// download resumes: rangedAnswer, replay), and the CORS headers openDataAddresses adds.
export const GET: RequestHandler = async () => {
	const { body, publishedAt } = await planWorkbookFile(getDb());
	return asPublicFile(xlsxResponse(body.slice().buffer, 'sdusn-plan.xlsx'), publishedAt);
};
