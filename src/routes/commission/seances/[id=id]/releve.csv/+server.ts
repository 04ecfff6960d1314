import { stringify } from 'csv-stringify/sync';
import { closedSessionRecord, RELEVE_COLUMNS, releveRows } from '$lib/server/commission/releve';
import { getDb } from '$lib/server/db/instance';
import type { RequestHandler } from './$types';

// Public once the session is closed; before that there is no record to publish.
export const GET: RequestHandler = async ({ params }) => {
	const session = await closedSessionRecord(getDb(), params.id);
	const body = stringify([RELEVE_COLUMNS, ...releveRows(session)], { record_delimiter: '\r\n' });
	return new Response(body, {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8; header=present',
			'Content-Disposition': `attachment; filename="releve-decisions-${session.heldOn}.csv"`
		}
	});
};
