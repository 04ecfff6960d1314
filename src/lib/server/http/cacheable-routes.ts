/** Every answer that is not a public page: signed-in pages, errors, forms, a campaign's files. */
export const PRIVATE_CACHE_CONTROL = 'private, no-store';

/**
 * Routes whose answer to an anonymous visitor depends only on the URL, the database and the day:
 * those answers are kept in the page cache and carry HTTP validators. A route not listed here is
 * never cached (default deny); a test checks that every entry is an existing route.
 */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set([
	'/',
	'/accessibilite',
	'/mentions-legales',
	'/donnees-personnelles',
	'/fiches',
	'/fiches/[code=fiche]',
	'/fiches/[code=fiche]/historique/[annee=annee]',
	'/fiches/[code=fiche]/modifications',
	'/historique',
	'/organisations',
	'/organisations/[slug=slug]',
	'/tableau-de-bord',
	'/tableau-de-bord/[figure=figure].csv',
	'/tableau-de-bord/graphiques.json',
	'/bilans',
	'/bilans/[year=annee]',
	'/bilans/[year=annee]/fiches/[code=fiche]',
	'/bilans/[year=annee]/impression',
	'/bilans/[year=annee]/[fichier=ressource]',
	'/bilans/[year=annee]/[figure=figure].csv',
	'/bilans/[year=annee]/graphiques.json',
	'/commission',
	'/commission/priorites',
	'/commission/seances/[id=id]',
	'/commission/seances/[id=id]/releve.csv',
	'/donnees',
	'/donnees/[fichier=ressource]',
	'/donnees/plan.xlsx'
]);

/**
 * Signed-in pages read often and written elsewhere: their answer is kept per session (never shared
 * between sessions) and per state of the database, like public pages; it is never stored by the
 * browser (`private, no-store`).
 */
export const SESSION_ROUTES: ReadonlySet<string> = new Set(['/espace']);
