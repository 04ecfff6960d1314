import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Page from './+page.svelte';

// Walkthrough s56: « — » in the preview, « (vide) » on the revision pages for the same empty value.
describe('/admin/plan/import preview', () => {
	it('writes an empty value « (vide) », as a fiche’s « Modifications » do', () => {
		const { body } = render(Page, {
			props: {
				data: { applied: null, maxKo: 500 },
				form: {
					fileName: 'plan.xlsx',
					token: 't',
					digest: 'd',
					preview: {
						summary: null,
						problems: [],
						outOfDate: 0,
						problemCount: 0,
						fieldCount: 1,
						creates: false,
						recoded: [],
						notices: [],
						changes: [
							{
								entity: 'fiche',
								key: '4-2',
								title: 'Fiche 4-2 — Téléservices',
								action: 'updated',
								fiche: '4-2',
								changes: [
									{
										field: 'shortTitle',
										label: 'Titre court',
										before: '',
										after: 'Plateforme des téléservices'
									}
								]
							}
						]
					}
				}
			} as never
		});
		const before = body.replace(/<!--[^>]*-->/g, '');
		expect(before).toMatch(/data-label="Avant"><em>\(vide\)<\/em><\/td>/);
		expect(before).not.toMatch(/data-label="Avant">—/);
	});
});
