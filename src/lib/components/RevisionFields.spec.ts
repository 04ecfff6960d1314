import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import RevisionFields from './RevisionFields.svelte';

const decisions = [
	{
		id: 7,
		heldOn: '2019-02-01',
		sittingTitle: 'Commission',
		ficheCode: '4-1',
		text: 'Avis favorable'
	}
];
const html = (prefix?: 'abandon-' | 'retrait-' | 'fusion-') =>
	render(RevisionFields, { props: { values: {}, errors: {}, decisions, prefix } }).body;
const ids = (body: string) => [...body.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
const labelled = (body: string) => [...body.matchAll(/<label for="([^"]+)"/g)].map((m) => m[1]);

describe('reason and decision of a change of the plan', () => {
	it('takes its ids from the prefix, so two forms on one page keep every id unique', () => {
		const page = html() + html('abandon-');
		expect(ids(page)).toEqual(['reason', 'decision', 'abandon-reason', 'abandon-decision']);
		expect(new Set(ids(page)).size).toBe(4);
		// Each label names the field of its own form; the posted names stay the same.
		expect(labelled(page)).toEqual(ids(page));
		expect(page.match(/name="decision"/g)).toHaveLength(2);
		expect(page.match(/name="reason"/g)).toHaveLength(2);
	});

	it('names the act in its labels, so that a list of the page’s fields tells the forms apart', () => {
		const labels = (body: string) =>
			[...body.replace(/<!--[^>]*-->/g, '').matchAll(/<label for="[^"]+">\s*([^<]+?)\s*</g)].map(
				(m) => m[1]
			);
		const page = html() + html('abandon-') + html('retrait-') + html('fusion-');
		expect(labels(page)).toEqual([
			'Raison de la modification',
			'Décision de la commission appliquée',
			'Raison de l’abandon',
			'Décision de la commission à l’origine de l’abandon',
			'Raison du retrait',
			'Décision de la commission à l’origine du retrait',
			'Raison de la fusion',
			'Décision de la commission à l’origine de la fusion'
		]);
		expect(html('retrait-')).toMatch(/<legend[^>]*>Pourquoi ce retrait<\/legend>/);
		expect(html('retrait-')).toContain('(obligatoire, publiée avec le retrait)');
	});
});
