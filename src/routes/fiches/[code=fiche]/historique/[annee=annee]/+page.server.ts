import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/instance';
import {
	findFicheSummaryByCode,
	listFicheHistoryOfYear,
	listHistoryYears
} from '$lib/server/plan/repository';
import { ficheOr404 } from '../../fiche-or-404';
import type { PageServerLoad } from './$types';

// Read-only and public, like the fiche page: rendered on the server, no JavaScript.
export const csr = false;

export const load: PageServerLoad = async (event) => {
	const db = getDb();
	const fiche = await ficheOr404(event, findFicheSummaryByCode);
	const year = Number(event.params.annee);
	const years = await listHistoryYears(db, fiche.id);
	if (!years.some((y) => y.year === year))
		error(404, `La fiche ${fiche.code} n’a pas de mise à jour publiée en ${year}.`);
	return {
		fiche: { code: fiche.code, title: fiche.title },
		year,
		years,
		entries: await listFicheHistoryOfYear(db, fiche.id, year)
	};
};
