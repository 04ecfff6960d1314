import { isHttpError } from '@sveltejs/kit';
import { render } from 'svelte/server';
import { describe, expect, it, vi } from 'vitest';
import ErrorPage from './+error.svelte';
import { load } from './desabonnement/[token]/+page.server';
import { adminDatabase } from './route-testing';

/** What +error.svelte reads of SvelteKit's state: set by each test. */
const state = vi.hoisted(() => ({ page: { status: 200, error: null as App.Error | null } }));
vi.mock('$app/state', () => state);

adminDatabase();

/** The error page as rendered, its comments stripped. */
function errorPage(status: number, error: App.Error): string {
	state.page = { status, error };
	return render(ErrorPage).body.replace(/<!--[\s\S]*?-->/g, '');
}

// Walkthrough s46: /desabonnement/abc said « Page introuvable », « depuis votre compte (/compte) »
// in plain text, then the generic 404 paragraph.
describe('an unsubscribe link that is not valid', () => {
	it('is « Lien expiré ou déjà utilisé », with a link to the account’s page', async () => {
		const thrown = await load({ params: { token: 'abc' } } as never).then(
			() => null,
			(e: unknown) => e
		);
		if (!isHttpError(thrown)) throw new Error('no HTTP error');
		expect(thrown.status).toBe(410);
		expect(thrown.body.message).not.toContain('/compte');
		expect(thrown.body.next).toEqual({
			href: '/compte',
			label: 'Choisir mes courriels depuis mon compte'
		});
		const page = errorPage(thrown.status, thrown.body);
		expect(page).toContain('<h1>Lien expiré ou déjà utilisé</h1>');
		expect(page).toMatch(/<a href="\/compte"[^>]*>Choisir mes courriels depuis mon compte<\/a>/);
		expect(page).not.toContain('L’adresse demandée n’existe pas ou plus');
	});
});
