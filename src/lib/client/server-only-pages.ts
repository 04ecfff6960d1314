/**
 * The pages rendered on the server only (`export const csr = false` in their +page.server.ts):
 * they send no SvelteKit client, and some write kept HTML (KeptHtml) that only the server can. A
 * page with script that reaches one of them — a link of the menu, a redirect after a form, `goto`
 * — must load it as a new document: rendered in the browser, it threw, and the page stayed as it
 * was under the new address (« Fiches-actions » clicked on /admin, s57). `server-only-pages.spec`
 * checks this list against the routes.
 */
const SERVER_ONLY_PAGES: ReadonlySet<string> = new Set([
	'/',
	'/bilans',
	'/bilans/[year=annee]',
	'/bilans/[year=annee]/fiches/[code=fiche]',
	'/bilans/[year=annee]/impression',
	'/commission/priorites',
	'/donnees',
	'/fiches',
	'/fiches/[code=fiche]',
	'/fiches/[code=fiche]/historique/[annee=annee]',
	'/fiches/[code=fiche]/modifications',
	'/historique',
	'/organisations',
	'/organisations/[slug=slug]',
	'/tableau-de-bord'
]);

/** Whether the page of route `routeId` (SvelteKit's route id) is rendered on the server only. */
export function isServerOnlyPage(routeId: string | null | undefined): boolean {
	return routeId != null && SERVER_ONLY_PAGES.has(routeId);
}

/** The route ids of the server-only pages, for the spec that compares them with the routes. */
export function serverOnlyPages(): string[] {
	return [...SERVER_ONLY_PAGES];
}
