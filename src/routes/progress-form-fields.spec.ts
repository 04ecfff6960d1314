import { render } from 'svelte/server';
import { describe, expect, it, vi } from 'vitest';
import { createPartner } from '$lib/server/progress/testing';
import Page from './espace/fiches/[code=fiche]/suivi/+page.svelte';
import { actions, load } from './espace/fiches/[code=fiche]/suivi/+page.server';
import { adminDatabase, formAnswer, postAction, routeEvent } from './route-testing';
import { withoutTags } from '$lib/utils/html-testing';

// The page reads its address (`?enregistre`, `?reprise`) from SvelteKit's state.
vi.mock('$app/state', () => ({
	page: { url: new URL('http://localhost/espace/fiches/9-1/suivi') }
}));

const portal = adminDatabase();

const AT = {
	path: '/espace/fiches/9-1/suivi',
	route: '/espace/fiches/[code=fiche]/suivi',
	params: { code: '9-1' }
};

/** The page drawn with `data`, and the answer to its post if any, its comments stripped. */
function drawn(data: unknown, answer: unknown = null): string {
	const { body } = render(Page, { props: { data, form: answer } as never });
	return body.replace(/<!--[\s\S]*?-->/g, '');
}

/** The new update form of fiche 9-1 as CDG46's partner receives it, its comments stripped. */
async function form(): Promise<string> {
	const partner = await createPartner(portal.db, 'cdg46', 'lea@cdg46.test');
	return drawn(await load(routeEvent(AT.path, AT.route, AT.params, partner)));
}

/** The names of the form's controls, in the page's order. */
const controls = (html: string) =>
	[...html.matchAll(/<(?:input|select|textarea)[^>]*\sname="([^"]+)"/g)].map((m) => m[1]!);

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

	// Review #14: the page kept its own list of its fields to order the summary (`rankOf`), though
	// refusalAnswer orders the messages as the browser posts the fields; the service finds an
	// indicator's value wrong before its date, which the page shows first.
	it('lists its messages in the summary in the page’s order, without a list of its own', async () => {
		const partner = await createPartner(portal.db, 'cdg46', 'lea@cdg46.test');
		const data = await load(routeEvent(AT.path, AT.route, AT.params, partner));
		const html = drawn(data);
		const names = controls(html);
		const typed: Record<string, string> = {
			reported_on: '2099-01-01',
			status: 'en_cours',
			progress: '150',
			done: '',
			intent: 'submit'
		};
		const value = names.find((name) => /^indicator_\d+_value$/.test(name))!;
		typed[value] = 'douze';
		const fields = Object.fromEntries(
			[...names, 'intent'].map((name) => [
				name,
				typed[name] ?? new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? ''
			])
		);
		const answer = await formAnswer(() => postAction(actions.default, AT, partner, fields));
		expect(answer.status).toBe(400);
		const summary = /<div[^>]*data-error-summary[\s\S]*?<\/div>/.exec(drawn(data, answer))?.[0];
		const linked = [...(summary ?? '').matchAll(/<a href="#([^"]+)"/g)].map((m) => m[1]!);
		const date = value.replace(/_value$/, '_date');
		expect(linked).toEqual(['reported_on', 'progress', 'done', date, value]);
		expect(linked).toEqual(names.filter((name) => linked.includes(name)));
	});
});
