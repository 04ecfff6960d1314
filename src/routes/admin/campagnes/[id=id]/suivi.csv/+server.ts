import { error } from '@sveltejs/kit';
import { authorize } from '$lib/server/auth/guards';
import { campaignCompletion, completionRows } from '$lib/server/campaigns/service';
import { csvResponse, spreadsheetCsv } from '$lib/server/csv';
import { PRIVATE_CACHE_CONTROL } from '$lib/server/http/cacheable-routes';
import { getDb } from '$lib/server/db/instance';
import { parisDate } from '$lib/utils/dates';
import { formatShortDate } from '$lib/utils/format';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	await authorize(event, 'campaigns.manage');
	const id = Number(event.params.id);
	const result = await campaignCompletion(getDb(), id);
	if (!result.ok) error(404, result.message);
	const body = spreadsheetCsv(
		completionRows(result.value, (ms) => formatShortDate(parisDate(new Date(ms))))
	);
	const response = csvResponse(body, `campagne-${id}.csv`);
	response.headers.set('Cache-Control', PRIVATE_CACHE_CONTROL);
	return response;
};
