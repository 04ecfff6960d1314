import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { LICENCE, resourceTitle } from '$lib/server/opendata/resources';
import Accessibility from './accessibilite/+page.svelte';
import OpenData from './donnees/+page.svelte';

// Walkthrough s46: read with French sounds by a screen reader (RGAA 8.7).
describe('English words of the portal’s own pages', () => {
	it('are marked lang="en" on /donnees', () => {
		const data = {
			licence: LICENCE,
			tables: [],
			files: [
				{
					name: 'datapackage',
					path: '/donnees/datapackage.json',
					title: resourceTitle('datapackage'),
					bytes: 1000,
					count: 6,
					lastChange: '2026-12-01'
				}
			]
		};
		const body = render(OpenData, { props: { data } as never }).body.replace(/<!--[^>]*-->/g, '');
		expect(body).toContain('au format <span lang="en">Frictionless Data</span>');
		expect(body).toContain('Description des fichiers (<span lang="en">Data Package</span>)');
	});

	it('are marked lang="en" on /accessibilite', () => {
		const body = render(Accessibility, { props: { data: {} } as never }).body.replace(
			/<!--[^>]*-->/g,
			''
		);
		expect(body).toMatch(/<span lang="en">open data<\/span>/);
		expect(body).toMatch(/<span lang="en">data center<\/span>/);
	});
});
