import { error } from '@sveltejs/kit';
import { listFicheDecisions, listPriorityHistory } from '$lib/server/commission/repository';
import { getDb } from '$lib/server/db/instance';
import { findFicheByCode } from '$lib/server/plan/repository';
import { FICHE_CODE_PATTERN } from '$lib/utils/text';
import type { PageServerLoad } from './$types';

// A public page to read and print: fully rendered on the server, it sends no JavaScript (the
// indicator charts are SVG drawn on the server). Budget: ≤ 40 KB of script; here 0.
export const csr = false;

export const load: PageServerLoad = async ({ params }) => {
	const db = getDb();
	const fiche = FICHE_CODE_PATTERN.test(params.code)
		? await findFicheByCode(db, params.code)
		: undefined;
	if (!fiche) error(404, `Aucune fiche-action ne porte le code « ${params.code.slice(0, 20)} ».`);
	return {
		fiche,
		priorityHistory: await listPriorityHistory(db, fiche.id),
		decisions: await listFicheDecisions(db, fiche.id)
	};
};
