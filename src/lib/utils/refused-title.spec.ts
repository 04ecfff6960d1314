import { describe, expect, it } from 'vitest';
import { refusedPage, refusedTitle } from './refused-title';

describe('the title of a page whose form was refused', () => {
	it('says « Erreur : » first, once, and no more after an answer that succeeded', () => {
		const refused = refusedTitle('Connexion — SDUSN du Lot', true);
		expect(refused).toBe('Erreur\u00a0: Connexion — SDUSN du Lot');
		expect(refusedTitle(refused, true)).toBe(refused);
		expect(refusedTitle(refused, false)).toBe('Connexion — SDUSN du Lot');
		expect(refusedTitle('Connexion — SDUSN du Lot', false)).toBe('Connexion — SDUSN du Lot');
	});

	it('leaves a title that already says so (the error page)', () => {
		expect(refusedTitle('Erreur 403 — SDUSN du Lot', true)).toBe('Erreur 403 — SDUSN du Lot');
		// A form sent without script and answered by the error page (a 404, a link gone).
		expect(refusedTitle('Page introuvable — SDUSN du Lot', true)).toBe(
			'Page introuvable — SDUSN du Lot'
		);
		expect(refusedTitle('Accès refusé — SDUSN du Lot', true)).toBe('Accès refusé — SDUSN du Lot');
		expect(refusedTitle('Lien expiré ou déjà utilisé — SDUSN du Lot', true)).toBe(
			'Lien expiré ou déjà utilisé — SDUSN du Lot'
		);
	});

	it('is put in the page’s <title>, the rest of the page as it was', () => {
		const html =
			'<head><meta charset="utf-8"><title>Mon compte — SDUSN du Lot</title></head><body><h1>Mon compte</h1></body>';
		expect(refusedPage(html)).toBe(
			'<head><meta charset="utf-8"><title>Erreur\u00a0: Mon compte — SDUSN du Lot</title></head><body><h1>Mon compte</h1></body>'
		);
		expect(refusedPage('<p>sans titre</p>')).toBe('<p>sans titre</p>');
	});
});
