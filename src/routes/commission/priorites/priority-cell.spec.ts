import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Page from './+page.svelte';
import { shownText } from '$lib/utils/html-testing';

/** The « Aujourd’hui » cell of one fiche, as the page renders it (text only, spaces collapsed). */
function changeCell(fiche: { moved: boolean; decisions: number }): string {
	const { body } = render(Page, {
		props: {
			data: {
				axes: [],
				axis: '',
				ignored: [],
				fiches: [
					{
						code: '4-1',
						title: 'Fiche',
						addedAt: null,
						adopted: 2,
						current: fiche.moved ? 1 : 2,
						status: 'en_cours',
						...fiche
					}
				]
			}
		} as never
	});
	const row = /<tbody>([\s\S]*?)<\/tbody>/.exec(body)?.[1] ?? '';
	return shownText(row);
}

describe('the priorities of the commission', () => {
	it('keeps the space before the count of decisions of a priority unchanged or changed', () => {
		expect(changeCell({ moved: false, decisions: 2 })).toContain('inchangée (');
		expect(changeCell({ moved: true, decisions: 1 })).toContain('changée : 2 → 1 (1');
	});
});
