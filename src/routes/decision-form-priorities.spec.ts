import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import DecisionForm from './commission/seances/[id=id]/DecisionForm.svelte';

// A walkthrough of December 2026: the priority decision offered the fiche's own priority, then refused it in a
// notice above the form; a member thought the decision saved.
describe('the decision form of a fiche', () => {
	it('does not offer the priority the fiche already has', () => {
		const fiche = { code: '9-1', title: 'Fiche', priority: 1, status: 'a_lancer' };
		const { body } = render(DecisionForm, {
			props: { item: { id: 4, fiche, title: null, decisions: [] }, values: {}, errors: {} } as never
		});
		const select = /<select[^>]*name="new_priority"[^>]*>([\s\S]*?)<\/select>/.exec(body)![1]!;
		const offered = [...select.matchAll(/<option value="(\d)"/g)].map(([, p]) => p);
		expect(offered).toEqual(['2']);
	});

	// Walkthrough s56 #2: an abandoned fiche on a held agenda was offered « Changement de priorité »,
	// always refused (its priority no longer changes); an avis or a free decision still are.
	it('offers no priority change for an abandoned fiche', () => {
		const fiche = { code: '8-1', title: 'Fiche', priority: 2, status: 'abandonnee' };
		const { body } = render(DecisionForm, {
			props: { item: { id: 4, fiche, title: null, decisions: [] }, values: {}, errors: {} } as never
		});
		expect(body).not.toContain('value="priority"');
		expect(body).not.toContain('name="new_priority"');
		expect(body).toContain('value="opinion"');
	});
});
