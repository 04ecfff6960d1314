import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { shownText } from '$lib/utils/html-testing';
import RevisionList from './RevisionList.svelte';

// Staff walkthrough, December 2026: /fiches/5-1/modifications had three headings, each
// « 6 décembre 2026 — Fiche modifiée », that a screen reader's list of headings could not tell apart.

const revision = (id: number, createdAt: string) => ({
	id,
	action: 'updated' as const,
	changes: [],
	reason: 'Relecture',
	origin: 'portal' as const,
	createdAt,
	authorName: null,
	decision: null
});

describe('a fiche’s revisions', () => {
	it('head each revision of one day with its time', () => {
		const body = render(RevisionList, {
			props: {
				revisions: [
					revision(2, '2026-12-06T15:20:00.000Z'),
					revision(1, '2026-12-06T09:05:00.000Z')
				],
				headingLevel: 2
			}
		}).body;
		const headings = [...body.matchAll(/<h2[^>]*>([\s\S]*?)<\/h2>/g)].map((m) => shownText(m[1]!));
		expect(headings).toEqual([
			'6 décembre 2026 à 16 h 20 — Fiche modifiée',
			'6 décembre 2026 à 10 h 05 — Fiche modifiée'
		]);
	});
});
