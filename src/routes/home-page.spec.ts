import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import HomePage from './+page.svelte';
import { withoutTags } from '$lib/utils/html-testing';

/** The home page's key figures as read (tags and comments dropped), for these counts. */
function keyFigures(counts: Record<string, number>): string[] {
	const data = {
		plan: {
			title: 'SDUSN du Lot',
			adoptedOn: '2019-02-01',
			finalisedOn: '2019-03-01',
			periodStart: 2019,
			periodEnd: 2027
		},
		counts,
		tree: [],
		eventCount: 0,
		events: [],
		eventsHtml: ''
	};
	const body = render(HomePage, { props: { data } as never }).body;
	const list = /<ul class="counts[^"]*" aria-label="Chiffres clés">([\s\S]*?)<\/ul>/.exec(
		body
	)![1]!;
	return [...list.matchAll(/<li[^>]*>([\s\S]*?)<\/li>/g)].map((m) => withoutTags(m[1]!));
}

describe('the home page’s key figures', () => {
	it('agree with their count, a no-break space after it', () => {
		const one = { axes: 1, orientations: 1, objectives: 1, fiches: 1, priority1: 1, started: 1 };
		expect(keyFigures(one)).toEqual([
			'1\u00a0axe',
			'1\u00a0orientation',
			'1\u00a0objectif',
			'1\u00a0fiche-action',
			'1\u00a0fiche de priorité 1',
			'1\u00a0fiche engagée'
		]);
		const many = { ...one, axes: 3, fiches: 1200, started: 0 };
		expect(keyFigures(many)).toEqual(
			expect.arrayContaining([
				'3\u00a0axes',
				'1\u202f200\u00a0fiches-actions',
				'0\u00a0fiche engagée'
			])
		);
	});
});
