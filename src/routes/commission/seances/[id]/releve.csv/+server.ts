import { error } from '@sveltejs/kit';
import { stringify } from 'csv-stringify/sync';
import { findSession } from '$lib/server/commission/repository';
import { csvText } from '$lib/server/csv';
import { getDb } from '$lib/server/db/instance';
import type { RequestHandler } from './$types';

// Public once the session is closed; before that there is no record to publish.
export const GET: RequestHandler = async ({ params }) => {
	const session = /^\d{1,9}$/.test(params.id)
		? await findSession(getDb(), Number(params.id))
		: undefined;
	if (!session || session.state !== 'closed')
		error(404, 'Aucun relevé de décisions publié pour cette séance.');
	const rows = session.items.flatMap((item) =>
		item.decisions.map((d) => [
			session.heldOn,
			item.fiche?.code ?? '',
			csvText(item.fiche?.title ?? item.title ?? ''),
			d.kind === 'priority' ? 'priorite' : d.kind === 'opinion' ? 'avis' : 'decision',
			d.opinion ?? '',
			d.previousPriority === null ? '' : String(d.previousPriority),
			d.newPriority === null ? '' : String(d.newPriority),
			csvText(d.text)
		])
	);
	const body = stringify(
		[
			[
				'date_seance',
				'fiche',
				'intitule',
				'type',
				'avis',
				'priorite_avant',
				'priorite_apres',
				'texte'
			],
			...rows
		],
		{ record_delimiter: '\r\n' }
	);
	return new Response(body, {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8; header=present',
			'Content-Disposition': `attachment; filename="releve-decisions-${session.heldOn}.csv"`
		}
	});
};
