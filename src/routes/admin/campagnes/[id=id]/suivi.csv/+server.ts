import { error } from '@sveltejs/kit';
import { authorize } from '$lib/server/auth/guards';
import { campaignCompletion, completionRows } from '$lib/server/campaigns/service';
import { spreadsheetCsv } from '$lib/server/csv';
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
	return new Response(body, {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8; header=present',
			'Content-Disposition': `attachment; filename="campagne-${id}.csv"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
