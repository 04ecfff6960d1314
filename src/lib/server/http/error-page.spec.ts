import { describe, expect, it } from 'vitest';
import errorTemplate from '../../../error.html?raw';
import { DATABASE_BUSY_MESSAGE } from '../db/dialect';
import { portalErrorPage } from './error-page';

/** src/error.html as SvelteKit fills it. */
const fallback = (status: number, message: string) =>
	errorTemplate
		.replaceAll('%sveltekit.status%', String(status))
		.replace('%sveltekit.error.message%', message);

// Walkthrough of the roles (s54): /admin/campagnes/1/suivi.csv asked for by a partner was « Erreur
// 403 » with « Retour à l’accueil du portail », every /admin page « Accès refusé » with « Retour à
// l’accueil » and « Mon espace ».
describe('the fallback error page', () => {
	it('is worded as a page’s refusal: its heading, « Retour à l’accueil », « Mon espace »', () => {
		const page = portalErrorPage(fallback(403, 'Refusé.'), 403, true);
		expect(page).toContain('<title>Accès refusé — SDUSN du Lot</title>');
		expect(page).toContain('<h1>Accès refusé</h1>');
		expect(page).not.toContain('Erreur 403');
		expect(page).toMatch(
			/<a href="\/">Retour à l’accueil<\/a><\/p>\s*<p><a href="\/espace">Mon espace<\/a>/
		);
		expect(portalErrorPage(fallback(404, 'Introuvable.'), 404, false)).toContain(
			'<h1>Page introuvable</h1>'
		);
		expect(portalErrorPage(fallback(403, 'Refusé.'), 403, false)).not.toContain('/espace');
		expect(portalErrorPage(fallback(500, 'Panne.'), 500, false)).toContain('<h1>Erreur 500</h1>');
	});

	// Probe s56: GET /donnees/mesures.csv (Accept: text/html) while another process kept the
	// database locked answered 503, its page headed « Erreur 500 »: SvelteKit fills the page with
	// 500 before busy-answer.ts changes the status.
	it('is headed by the status of the answer, not the one SvelteKit filled it with', () => {
		const page = portalErrorPage(fallback(500, DATABASE_BUSY_MESSAGE), 503, false);
		expect(page).toContain('<title>Service momentanément indisponible — SDUSN du Lot</title>');
		expect(page).toContain('<h1>Service momentanément indisponible</h1>');
		expect(page).not.toContain('Erreur 500');
	});

	it('has the portal’s header, its name and « Accueil », without a script (review s56)', () => {
		const page = portalErrorPage(fallback(403, 'Refusé.'), 403, false);
		expect(page).toMatch(
			/<header class="site-header">[\s\S]*<span class="brand-name">Lot numérique<\/span>[\s\S]*<nav aria-label="Menu principal" class="main-nav"><a href="\/">Accueil<\/a><\/nav>[\s\S]*<\/header>/
		);
		expect(page).toContain('--blue: #000091;');
		expect(page).not.toMatch(/<script|<link/);
	});

	it('leaves any other page as it is', () => {
		const drawn = '<title>Erreur 403 — SDUSN du Lot</title><h1>Erreur 403</h1>';
		expect(portalErrorPage(drawn, 403, true)).toBe(drawn);
	});
});
