import { isRedirect } from '@sveltejs/kit';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { shownText } from '$lib/utils/html-testing';
import Page from './[id=id]/+page.svelte';
import * as edit from './[id=id]/+page.server';
import * as add from './nouveau/+page.server';
import { adminDatabase, routeEvent } from '../../../route-testing';

// An axis, an orientation or an objective added from its form is confirmed by name, as a fiche's
// addition is (« Fiche ajoutée au plan et publiée »), not as a change.

const portal = adminDatabase();

/** Adds one at `niveau` under `parent`; the address its page is opened at. */
async function added(niveau: string, fields: Record<string, string>): Promise<string> {
	const body = new FormData();
	for (const [name, value] of Object.entries({
		...fields,
		reason: 'Décision du comité',
		decision: ''
	}))
		body.set(name, value);
	const event = routeEvent(
		`/admin/plan/${niveau}/nouveau?/enregistrer`,
		'/admin/plan/[niveau=niveau]/nouveau',
		{ niveau },
		portal.admin,
		body
	);
	const sent = await Promise.resolve(add.actions.enregistrer!(event as never)).catch(
		(thrown: unknown) => thrown
	);
	expect(isRedirect(sent)).toBe(true);
	return (sent as { location: string }).location;
}

/** The notice of the page at `path`, as text. */
async function notice(niveau: string, path: string): Promise<string> {
	const id = /\/(\d+)\?/.exec(path)![1]!;
	const data = await edit.load(
		routeEvent(path, '/admin/plan/[niveau=niveau]/[id=id]', { niveau, id }, portal.admin) as never
	);
	const html = render(Page, { props: { data, form: null } as never }).body;
	const found = /<div class="notice" role="status">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
	return shownText(found);
}

describe('the notice after adding to the plan’s structure', () => {
	it('names the objective added, and says it is published', async () => {
		const orientation = await portal.db
			.selectFrom('orientation')
			.select('id')
			.orderBy('id')
			.executeTakeFirstOrThrow();
		const path = await added('objectifs', {
			label: 'Former les agents au numérique',
			synthesis_label: '',
			parent: String(orientation.id)
		});
		expect(path).toMatch(/\?enregistre=ajout$/);
		expect(await notice('objectifs', path)).toMatch(
			/^Objectif \d+ « Former les agents au numérique » ajouté au plan et publié\.$/
		);
		// A change made afterwards keeps its own words.
		expect(await notice('objectifs', path.replace('ajout', '1'))).toBe(
			'Modification enregistrée et publiée.'
		);
	});

	it('agrees with an orientation', async () => {
		const axis = await portal.db
			.selectFrom('axis')
			.select('id')
			.orderBy('id')
			.executeTakeFirstOrThrow();
		const path = await added('orientations', {
			label: 'Inclusion numérique des aînés',
			parent: String(axis.id)
		});
		expect(await notice('orientations', path)).toBe(
			'Orientation « Inclusion numérique des aînés » ajoutée au plan et publiée.'
		);
	});
});
