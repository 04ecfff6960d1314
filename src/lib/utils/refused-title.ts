/**
 * A page's title when its form was refused: « Erreur : » first (RGAA 8.6, the usual wording), so
 * that the title, the first thing a screen reader reads of a page sent again without script, says
 * that this is the same form refused, not the page as it was. One rule for every page: applied by
 * the server to a refused form's page (hooks.server.ts) and, with a script, by the root layout
 * alone (from the answer enhanceOnce applied: src/lib/client/refused-answer.svelte.ts).
 */
const PREFIX = 'Erreur\u00a0: ';
/**
 * A title that already says so is left as it is: the error page's « Erreur 500 », « Accès
 * refusé » (403), « Page introuvable », « Lien expiré ou déjà utilisé », « Action impossible pour
 * l’instant » (409), « Service momentanément indisponible » (503) (src/routes/+error.svelte).
 */
const SAYS_ERROR =
	/^(Erreur\b|Accès refusé|Page introuvable|Lien expiré|Action impossible|Service momentanément)/;

/** `title` with the prefix when `refused`, without it otherwise (a later answer that succeeded). */
export function refusedTitle(title: string, refused: boolean): string {
	const plain = title.startsWith(PREFIX) ? title.slice(PREFIX.length) : title;
	return refused && !SAYS_ERROR.test(plain) ? `${PREFIX}${plain}` : plain;
}

/** A page's HTML with its `<title>` said refused (the page a form sent without script answers). */
export function refusedPage(html: string): string {
	return html.replace(
		/(<title>)([^<]*)(<\/title>)/,
		(_, open: string, title: string, close: string) => `${open}${refusedTitle(title, true)}${close}`
	);
}

/**
 * An error page's heading: words for the refusals people meet, not an HTTP code (a single-use link
 * used or expired is 410; a step the séance's state does not allow yet, 409; the database kept
 * locked by another process, 503). The same on a page's error (src/routes/+error.svelte) and on the page
 * SvelteKit draws without the layout (src/error.html: a file refused, by portalErrorPage).
 */
export function errorHeading(status: number): string {
	return status === 404
		? 'Page introuvable'
		: status === 403
			? 'Accès refusé'
			: status === 410
				? 'Lien expiré ou déjà utilisé'
				: status === 409
					? 'Action impossible pour l’instant'
					: status === 503
						? 'Service momentanément indisponible'
						: `Erreur ${status}`;
}
