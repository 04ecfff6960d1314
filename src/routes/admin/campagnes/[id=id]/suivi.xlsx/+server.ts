import { error } from '@sveltejs/kit';
import { authorize } from '$lib/server/auth/guards';
import { campaignCompletion, completionSheet } from '$lib/server/campaigns/service';
import { getDb } from '$lib/server/db/instance';
import { PRIVATE_CACHE_CONTROL } from '$lib/server/http/cacheable-routes';
import { sheetToXlsx, xlsxResponse } from '$lib/server/spreadsheet';
import { parisDate } from '$lib/utils/dates';
import { formatShortDate } from '$lib/utils/format';
import type { RequestHandler } from './$types';

// The campaign's follow-up for people: what opens cleanly in a French spreadsheet (the CSV beside
// it keeps the machine format).
export const GET: RequestHandler = async (event) => {
	await authorize(event, 'campaigns.manage');
	const id = Number(event.params.id);
	const result = await campaignCompletion(getDb(), id);
	if (!result.ok) error(404, result.message);
	const sheet = completionSheet(result.value, (ms) => formatShortDate(parisDate(new Date(ms))));
	const response = xlsxResponse(await sheetToXlsx(sheet), `campagne-${id}.xlsx`);
	response.headers.set('Cache-Control', PRIVATE_CACHE_CONTROL);
	return response;
};
