import { listFicheRevisionViews } from '$lib/server/authoring/repository';
import { listFicheDecisions, listPriorityHistory } from '$lib/server/commission/repository';
import { getDb } from '$lib/server/db/instance';
import { findFicheByCode } from '$lib/server/plan/repository';
import { ficheOr404 } from './fiche-or-404';
import type { PageServerLoad } from './$types';

/** Revisions shown on the fiche page; all of them on /fiches/[code=fiche]/modifications. */
const FICHE_PAGE_REVISIONS = 3;

// A public page to read and print: fully rendered on the server, it sends no JavaScript (the
// indicator charts are SVG drawn on the server). Budget: ≤ 40 KB of script; here 0.
export const csr = false;

export const load: PageServerLoad = async ({ params }) => {
	const db = getDb();
	const fiche = await ficheOr404(params.code, findFicheByCode);
	return {
		fiche,
		priorityHistory: await listPriorityHistory(db, fiche.id),
		decisions: await listFicheDecisions(db, fiche.id),
		// The latest few, without the editors' names: the page is the same for everyone (cached).
		revisions: await listFicheRevisionViews(db, fiche.id, FICHE_PAGE_REVISIONS, {
			authors: false
		})
	};
};
