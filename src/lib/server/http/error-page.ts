import { errorHeading } from '../../utils/refused-title';

/** The fallback error page (src/error.html) marks itself so; no page the layout draws does. */
const FALLBACK = '<main data-fallback>';
const HOME_LINK = '<p><a href="/">Retour à l’accueil</a></p>';

/**
 * The error page SvelteKit draws without the portal's layout (src/error.html: a file under /admin
 * asked for by a partner, a refusal of a hook), worded as src/routes/+error.svelte words a page's:
 * its heading (« Accès refusé », not « Erreur 403 ») in its title and at its top, and « Mon espace »
 * after « Retour à l’accueil » for whoever can enter it (`espace`). Any other page, as it is.
 * The heading is the answer's `status`, whatever status SvelteKit filled the page with: a file
 * stopped by a database another process kept locked is drawn with 500, then answered 503
 * (busy-answer.ts), and was headed « Erreur 500 ».
 */
export function portalErrorPage(html: string, status: number, espace: boolean): string {
	if (!html.includes(FALLBACK)) return html;
	const heading = errorHeading(status);
	const page = html
		.replace(/<title>Erreur \d{3} /, `<title>${heading} `)
		.replace(/<h1>Erreur \d{3}<\/h1>/, `<h1>${heading}</h1>`);
	return espace
		? page.replace(HOME_LINK, `${HOME_LINK}<p><a href="/espace">Mon espace</a></p>`)
		: page;
}
