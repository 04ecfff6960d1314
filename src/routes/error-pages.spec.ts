import { isHttpError } from '@sveltejs/kit';
import { render } from 'svelte/server';
import { describe, expect, it, vi } from 'vitest';
import ErrorPage from './+error.svelte';
import { NOT_THE_ORGANISATIONS_FICHE } from '$lib/server/auth/permissions';
import { DATABASE_BUSY_MESSAGE } from '$lib/server/db/dialect';
import { createPartner } from '$lib/server/progress/testing';
import { load } from './desabonnement/[token]/+page.server';
import { load as loadInvitation } from './invitation/[token]/+page.server';
import { load as loadReset } from './mot-de-passe-oublie/[token]/+page.server';
import { load as loadClosing } from './commission/seances/[id=id]/cloture/+page.server';
import { preparedSitting } from '$lib/server/commission/testing';
import {
	actions as updateFormActions,
	load as loadUpdateForm
} from './espace/fiches/[code=fiche]/suivi/+page.server';
import { adminDatabase, postAction, routeEvent } from './route-testing';

/** What +error.svelte reads of SvelteKit's state: set by each test. */
const state = vi.hoisted(() => ({
	page: { status: 200, error: null as App.Error | null, data: {} as Record<string, unknown> }
}));
vi.mock('$app/state', () => state);

const portal = adminDatabase();

/** What `run` throws (a load's `error()`), or null. */
async function thrownBy(run: () => unknown): Promise<unknown> {
	try {
		await run();
		return null;
	} catch (thrown) {
		return thrown;
	}
}

/** The error page as rendered (its head, then its body), its comments stripped. */
function errorPage(status: number, error: App.Error, data: Record<string, unknown> = {}): string {
	state.page = { status, error, data };
	const { head, body } = render(ErrorPage);
	return `${head}${body}`.replace(/<!--[\s\S]*?-->/g, '');
}

// Walkthrough s46: /desabonnement/abc said « Page introuvable », « depuis votre compte (/compte) »
// in plain text, then the generic 404 paragraph.
describe('an unsubscribe link that is not valid', () => {
	it('is « Lien expiré ou déjà utilisé », with a link to the account’s page', async () => {
		const thrown = await thrownBy(() => load({ params: { token: 'abc' } } as never));
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

// Walkthrough of the roles (s54): the invitation's said « connectez-vous depuis la page « Connexion » »,
// the reset's « demandez-en un nouveau », with « Retour à l’accueil » as their only link.
describe('an invitation or reset link that is not valid', () => {
	it('leads to the page its words name: « Connexion », a new link', async () => {
		for (const [open, href, label] of [
			[loadInvitation, '/connexion', 'Se connecter (page « Connexion »)'],
			[loadReset, '/mot-de-passe-oublie', 'Demander un nouveau lien']
		] as const) {
			const thrown = await thrownBy(() => open({ params: { token: 'abc' } } as never));
			if (!isHttpError(thrown)) throw new Error('no HTTP error');
			expect(thrown.status).toBe(410);
			expect(thrown.body.next).toEqual({ href, label });
			const page = errorPage(thrown.status, thrown.body);
			expect(page).toContain('<h1>Lien expiré ou déjà utilisé</h1>');
			expect(page).toContain(`<a href="${href}"`);
			expect(page).not.toContain('Retour à l’accueil');
		}
	});
});

// Walkthrough s46: a 403 was « Erreur 403 » with a general sentence, even where it had a reason.
describe('a refused page (403)', () => {
	it('is « Accès refusé », saying why when the refusal knows: a fiche not the organisation’s', async () => {
		// CDG46 neither carries 2-1 nor partners it.
		const partner = await createPartner(portal.db, 'cdg46', 'lea@cdg46.test');
		const thrown = await thrownBy(() =>
			loadUpdateForm(
				routeEvent(
					'/espace/fiches/2-1/suivi',
					'/espace/fiches/[code=fiche]/suivi',
					{ code: '2-1' },
					partner
				)
			)
		);
		if (!isHttpError(thrown)) throw new Error('no HTTP error');
		expect(thrown.status).toBe(403);
		expect(thrown.body.message).toBe(NOT_THE_ORGANISATIONS_FICHE);
		const page = errorPage(403, thrown.body);
		expect(page).toContain('<title>Accès refusé — SDUSN du Lot</title>');
		expect(page).toContain('<h1>Accès refusé</h1>');
		expect(page).toContain('Votre organisation ne porte pas cette fiche');
	});

	// Walkthrough s47: an admin opening /espace/fiches/14-1/suivi (Lot numérique's own fiche) got
	// the general « Vous n’avez pas les droits nécessaires… », no reason, no next step.
	it('tells an administrator on an update’s form that administrators validate, and where to invite a partner', async () => {
		const thrown = await thrownBy(() =>
			loadUpdateForm(
				routeEvent(
					'/espace/fiches/14-1/suivi',
					'/espace/fiches/[code=fiche]/suivi',
					{ code: '14-1' },
					portal.admin
				)
			)
		);
		if (!isHttpError(thrown)) throw new Error('no HTTP error');
		expect(thrown.status).toBe(403);
		expect(thrown.body.message).toMatch(
			/^Les administrateurs valident les mises à jour, ils ne les rédigent pas\. .*compte partenaire/
		);
		const page = errorPage(403, thrown.body);
		expect(page).toContain('Syndicat mixte Lot numérique');
		expect(page).toMatch(/<a href="\/admin\/utilisateurs"[^>]*>Inviter un compte partenaire/);
		expect(page).not.toContain('Vous n’avez pas les droits nécessaires');
	});
	// Review h48 (maintainer): the service kept only the refusal's message, so the same administrator
	// posting the form got the sentence without the link.
	it('gives an administrator posting the form the same answer, link included', async () => {
		const thrown = await thrownBy(() =>
			postAction(
				updateFormActions.default,
				{
					path: '/espace/fiches/14-1/suivi',
					route: '/espace/fiches/[code=fiche]/suivi',
					params: { code: '14-1' }
				},
				portal.admin,
				{ reported_on: '2026-01-15', intent: 'draft' }
			)
		);
		if (!isHttpError(thrown)) throw new Error('no HTTP error');
		expect(thrown.status).toBe(403);
		expect(thrown.body.message).toMatch(/^Les administrateurs valident les mises à jour/);
		expect(thrown.body.next).toEqual({
			href: '/admin/utilisateurs',
			label: 'Inviter un compte partenaire (Comptes)'
		});
	});
});

// Walkthrough: a signed-in partner on a 404 or a 403 was offered the plan and the home page only.
describe('the error pages for someone signed in', () => {
	const partner = {
		viewer: { name: 'Paul Partenaire', links: [{ href: '/espace', label: 'Mon espace' }] }
	};
	const staff = { viewer: { name: 'Ada', links: [{ href: '/admin', label: 'Administration' }] } };

	it('offer « Mon espace » to whoever can enter it, on a 404 and a 403', () => {
		for (const status of [404, 403])
			expect(errorPage(status, { message: 'Refusé.' }, partner)).toMatch(
				/<a href="\/espace">Mon espace<\/a>/
			);
	});

	it('offer it to no one else', () => {
		for (const data of [{ viewer: null }, staff])
			for (const status of [404, 403])
				expect(errorPage(status, { message: 'Refusé.' }, data)).not.toContain('/espace');
	});
});

// Review s55 (ops): a request failed on a database another process kept locked answers 503
// (busy-answer.ts), and its page was headed « Erreur 500 ».
describe('the page of a request the locked database stopped', () => {
	it('is headed as the status its answer carries (503), not SvelteKit’s 500', () => {
		const page = errorPage(500, {
			message: DATABASE_BUSY_MESSAGE,
			requestId: 'r-1',
			status: 503
		});
		expect(page).toContain('<h1>Service momentanément indisponible</h1>');
		expect(page).toContain('<title>Service momentanément indisponible — SDUSN du Lot</title>');
		expect(page).not.toContain('Erreur 500');
		expect(page).toContain('<code>r-1</code>');
	});
});

// Walkthrough s56 #7: /commission/seances/8/cloture for a séance in preparation was a bare
// « Erreur 409 » with « Retour à l’accueil » only.
describe('the closing page of a séance still in preparation', () => {
	it('says so under a heading in words, with the way back to the séance', async () => {
		const id = String(await preparedSitting(portal.db, portal.admin));
		const thrown = await thrownBy(() =>
			loadClosing(
				routeEvent(
					`/commission/seances/${id}/cloture`,
					'/commission/seances/[id=id]/cloture',
					{ id },
					portal.admin
				)
			)
		);
		if (!isHttpError(thrown)) throw new Error('no HTTP error');
		expect(thrown.status).toBe(409);
		const page = errorPage(thrown.status, thrown.body);
		expect(page).toContain('<h1>Action impossible pour l’instant</h1>');
		expect(page).toContain('<title>Action impossible pour l’instant — SDUSN du Lot</title>');
		expect(page).toMatch(
			new RegExp(`<a href="/commission/seances/${id}"[^>]*>Retour à la séance</a>`)
		);
		expect(page).not.toContain('Retour à l’accueil');
	});
});
