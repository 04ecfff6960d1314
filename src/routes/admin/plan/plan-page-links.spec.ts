import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Page from './+page.svelte';

// Walkthrough s47: « Modifier le plan » led nowhere near the workbook nor its import.
describe('/admin/plan', () => {
	it('links to the plan’s workbook and to its import, each with what it is for', () => {
		const { body } = render(Page, {
			props: {
				data: { axes: [], retired: [], decisions: [], objectiveChoices: [] },
				form: null
			} as never
		});
		expect(body).toMatch(
			/<a href="\/donnees\/plan\.xlsx"[^>]*>Le classeur du plan \(plan\.xlsx\)<\/a>/
		);
		expect(body).toMatch(
			/<a href="\/admin\/plan\/import"[^>]*>Importer le plan depuis un classeur<\/a>/
		);
		expect(body).toContain('après un aperçu de chaque changement à confirmer');
	});
});
