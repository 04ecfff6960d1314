import { render } from 'svelte/server';
import { describe, expect, it, vi } from 'vitest';
import { createPartner } from '$lib/server/progress/testing';
import Page from './espace/fiches/[code=fiche]/suivi/+page.svelte';
import { load } from './espace/fiches/[code=fiche]/suivi/+page.server';
import { adminDatabase, routeEvent } from './route-testing';
import { withoutTags } from '$lib/utils/html-testing';

// The page reads its address (`?enregistre`, `?reprise`) from SvelteKit's state.
vi.mock('$app/state', () => ({
	page: { url: new URL('http://localhost/espace/fiches/9-1/suivi') }
}));

const portal = adminDatabase();

/** The new update form of fiche 9-1 as CDG46's partner receives it, its comments stripped. */
async function form(): Promise<string> {
	const partner = await createPartner(portal.db, 'cdg46', 'lea@cdg46.test');
	const data = await load(
		routeEvent(
			'/espace/fiches/9-1/suivi',
			'/espace/fiches/[code=fiche]/suivi',
			{ code: '9-1' },
			partner
		)
	);
	const { body } = render(Page, { props: { data, form: null } as never });
	return body.replace(/<!--[\s\S]*?-->/g, '');
}

/** The opening tag of the control named `name`. */
const control = (html: string, name: string) =>
	new RegExp(`<(input|select|textarea)[^>]*name="${name}"[^>]*>`).exec(html)?.[0] ?? '';

describe('the partner’s update form', () => {
	// Walkthrough s46: optional fields said « (facultatif) », required ones nothing at all.
	it('marks its required fields required, as the fiche form does', async () => {
		const html = await form();
		for (const name of ['reported_on', 'status'])
			expect(control(html, name), name).toMatch(/\srequired(=""|\s|>)/);
		// « Ce qui a été fait » is asked for on submission only (a draft saves without it): not
		// `required`, which would stop a draft's save in the browser; its label says so.
		for (const name of ['progress', 'next_steps', 'difficulties', 'done'])
			expect(control(html, name), name).not.toMatch(/\srequired/);
		const done = /<label for="done">([\s\S]*?)<\/label>/.exec(html)?.[1] ?? '';
		expect(done).toContain('obligatoire pour soumettre');
	});

	// Left noticed s49: « Avancement en % » said « facultatif », though a submission « Réalisée »
	// is refused without 100 (progressContradiction).
	it('says the advancement a fiche réalisée needs, optional otherwise', async () => {
		const html = await form();
		const progress = /<label for="progress">([\s\S]*?)<\/label>/.exec(html)?.[1] ?? '';
		// Spaces as French typography writes them (frenchSpacing): read as plain ones.
		expect(progress.replace(/\s/g, ' ')).toContain(
			'(nombre entier de 0 à 100, facultatif ; 100 pour une fiche réalisée, vide ou 0 pour une fiche à lancer)'
		);
	});

	// Walkthrough s46: a comment of 2,000 characters was typed in a one-line input.
	it('gives an indicator’s comment a textarea, as its other long texts', async () => {
		const html = await form();
		const comment = /<(input|textarea)[^>]*name="indicator_\d+_comment"/.exec(html);
		expect(comment?.[1]).toBe('textarea');
	});

	// Walkthrough s47: the comment is shown on the public fiche page beside its value, and its
	// field said only « Commentaire ».
	it('says beside an indicator’s comment that it is published with the value', async () => {
		const html = await form();
		const label = /<label for="(indicator_\d+_comment)">([\s\S]*?)<\/label>/.exec(html);
		expect(label?.[2]).toContain('publié avec la mesure sur la page de la fiche');
	});

	// Walkthrough s50: « 35,5 » was refused as not a « nombre entier » the label never said, and
	// the next steps and difficulties did not state their limit as the comment does.
	it('says before typing that the progress is a whole number, and the texts’ limit', async () => {
		const html = await form();
		const label = (id: string) =>
			withoutTags(new RegExp(`<label for="${id}">([\\s\\S]*?)</label>`).exec(html)?.[1] ?? '');
		expect(label('progress').replace(/\s/g, ' ')).toContain(
			'(nombre entier de 0 à 100, facultatif ; 100 pour une fiche réalisée, vide ou 0 pour une fiche à lancer)'
		);
		for (const id of ['next_steps', 'difficulties'])
			expect(label(id), id).toMatch(/\(facultatif\u202f; 10\u202f000\s?caractères au plus\)/);
		// Walkthrough of the roles (s54): « Ce qui a été fait » did not say its limit.
		expect(label('done')).toMatch(
			/\(obligatoire pour soumettre, pas pour un brouillon\u202f; 10\u202f000\s?caractères au plus\)/
		);
	});
});
