import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import ErrorSummary from './ErrorSummary.svelte';

/** The summary's links, in the order it shows them: target and text. */
function links(props: Record<string, unknown>): string[] {
	const body = render(ErrorSummary, { props: props as never }).body;
	return [...body.matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].map(
		([, id, text]) => `${id} ${text}`
	);
}

describe('error summary', () => {
	const errors = {
		reason: 'Indiquez la raison.',
		owner_1_org: 'Choisissez l’organisation.',
		title: 'Indiquez le titre.',
		links: 'Aucune fiche ne porte le code 99-9.'
	};

	it('lists the messages as they come, hidden fields left out', () => {
		expect(
			links({ errors: { ...errors, version: 'Rechargez la page.' } }).map((l) => l.split(' ')[0])
		).toEqual(['reason', 'owner_1_org', 'title', 'links']);
	});

	it('follows the form’s order when given each field’s rank', () => {
		const rank: Record<string, number> = { title: 0, owner_1_org: 1, links: 2, reason: 3 };
		expect(
			links({ errors, rankOf: (name: string) => rank[name] ?? 99 }).map((l) => l.split(' ')[0])
		).toEqual(['title', 'owner_1_org', 'links', 'reason']);
	});
});
