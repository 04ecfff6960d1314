import { listFicheRevisionViews } from '$lib/server/authoring/repository';
import { can } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db/instance';
import { findFicheSummaryByCode } from '$lib/server/plan/repository';
import { ficheOr404 } from '../fiche-or-404';
import type { PageServerLoad } from './$types';

// Public, like the fiche page; only the editors' names depend on who reads (admins see them, and
// an anonymous visitor's answer, the only one cached, never has them).
export const csr = false;

export const load: PageServerLoad = async (event) => {
	const fiche = await ficheOr404(event, findFicheSummaryByCode);
	const authors = can(event.locals.user ?? null, 'plan.revisions.authors');
	return {
		fiche: { code: fiche.code, title: fiche.title },
		authors,
		revisions: await listFicheRevisionViews(getDb(), fiche.id, undefined, { authors })
	};
};
