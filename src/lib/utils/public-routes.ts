/**
 * Every public route once, with how it is served. A public page or file is added here, and only
 * here: `public-routes.spec` compares this table with the routes on disk (every page with
 * `export const csr = false` is listed as server-only, every listed route exists, is a page or a
 * file, not both, and none is a signed-in area). Imported by the browser (the root layout) as by
 * the server (the page cache, the security headers): no server import here.
 */
interface PublicRoute {
	/**
	 * Rendered on the server only (`export const csr = false` in its +page.server.ts): it sends no
	 * SvelteKit client, and some write kept HTML (KeptHtml) that only the server can. A page with
	 * script that reaches it — a link of the menu, a redirect after a form, `goto` — loads it as a
	 * new document (root layout's beforeNavigate): rendered in the browser, it threw, and the page
	 * stayed as it was under the new address (« Fiches-actions » clicked in the menu on /admin).
	 */
	serverOnly: boolean;
	/**
	 * Its answer to an anonymous visitor depends only on the URL, the database and the day: kept in
	 * the page cache, shared between visitors, with HTTP validators (`public, no-cache`). A route
	 * not cached is never kept (default deny).
	 */
	cached: boolean;
}

const PUBLIC_ROUTES: ReadonlyMap<string, PublicRoute> = new Map(
	Object.entries({
		'/': { serverOnly: true, cached: true },
		'/accessibilite': { serverOnly: false, cached: true },
		'/mentions-legales': { serverOnly: false, cached: true },
		'/donnees-personnelles': { serverOnly: false, cached: true },
		'/fiches': { serverOnly: true, cached: true },
		'/fiches/[code=fiche]': { serverOnly: true, cached: true },
		'/fiches/[code=fiche]/historique/[annee=annee]': { serverOnly: true, cached: true },
		'/fiches/[code=fiche]/modifications': { serverOnly: true, cached: true },
		'/historique': { serverOnly: true, cached: true },
		'/organisations': { serverOnly: true, cached: true },
		'/organisations/[slug=slug]': { serverOnly: true, cached: true },
		'/tableau-de-bord': { serverOnly: true, cached: true },
		'/tableau-de-bord/[figure=figure].csv': { serverOnly: false, cached: true },
		'/tableau-de-bord/[figure=figure].xlsx': { serverOnly: false, cached: true },
		'/tableau-de-bord/graphiques.json': { serverOnly: false, cached: true },
		'/bilans': { serverOnly: true, cached: true },
		'/bilans/[year=annee]': { serverOnly: true, cached: true },
		'/bilans/[year=annee]/fiches/[code=fiche]': { serverOnly: true, cached: true },
		'/bilans/[year=annee]/impression': { serverOnly: true, cached: true },
		'/bilans/[year=annee]/[fichier=ressource]': { serverOnly: false, cached: true },
		'/bilans/[year=annee]/[figure=figure].csv': { serverOnly: false, cached: true },
		'/bilans/[year=annee]/[figure=figure].xlsx': { serverOnly: false, cached: true },
		'/bilans/[year=annee]/graphiques.json': { serverOnly: false, cached: true },
		'/commission': { serverOnly: false, cached: true },
		'/commission/priorites': { serverOnly: true, cached: true },
		'/commission/seances/[id=id]': { serverOnly: false, cached: true },
		'/commission/seances/[id=id]/releve.csv': { serverOnly: false, cached: true },
		'/commission/seances/[id=id]/releve.xlsx': { serverOnly: false, cached: true },
		'/donnees': { serverOnly: true, cached: true },
		'/donnees/[fichier=ressource]': { serverOnly: false, cached: true },
		'/donnees/plan.xlsx': { serverOnly: false, cached: true }
	})
);

/** The routes whose anonymous answers are kept in the page cache and shared. */
export const CACHED_ROUTES: ReadonlySet<string> = new Set(
	[...PUBLIC_ROUTES].filter(([, route]) => route.cached).map(([id]) => id)
);

/** Whether the page of route `routeId` (SvelteKit's route id) is rendered on the server only. */
export function isServerOnlyPage(routeId: string | null | undefined): boolean {
	return routeId != null && PUBLIC_ROUTES.get(routeId)?.serverOnly === true;
}

/** The table itself, for the spec that compares it with the routes. */
export function publicRoutes(): [id: string, route: PublicRoute][] {
	return [...PUBLIC_ROUTES];
}
