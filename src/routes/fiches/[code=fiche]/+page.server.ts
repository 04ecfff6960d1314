import { listFicheRevisionViews } from '$lib/server/authoring/repository';
import { listFicheDecisions, listPriorityHistory } from '$lib/server/commission/repository';
import { keyedByRevision } from '$lib/server/db/revision-cache';
import { findFicheByCode } from '$lib/server/plan/repository';
import { ficheOr404 } from './fiche-or-404';
import { renderedOnly } from '$lib/utils/rendered-only';
import type { PageServerLoad } from './$types';

/** Revisions shown on the fiche page; all of them on /fiches/[code=fiche]/modifications. */
const FICHE_PAGE_REVISIONS = 3;

// A public page to read and print: fully rendered on the server, it sends no JavaScript (the
// indicator charts are SVG drawn on the server). Budget: ≤ 40 KB of script; here 0.
export const csr = false;

/** What the page shows of one fiche, read once per change of published data (fiches and misses). */
const fichePage = keyedByRevision(async (db, code: string) => {
	const fiche = await findFicheByCode(db, code);
	if (!fiche) return undefined;
	return {
		fiche,
		priorityHistory: await listPriorityHistory(db, fiche.id),
		decisions: await listFicheDecisions(db, fiche.id),
		// The latest few, without the editors' names: the page is the same for everyone (cached).
		revisions: await listFicheRevisionViews(db, fiche.id, FICHE_PAGE_REVISIONS, {
			authors: false
		})
	};
}, 64);

export const load: PageServerLoad = async (event) =>
	renderedOnly(event, await ficheOr404(event, fichePage));
