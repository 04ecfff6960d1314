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

/** The headings of these revisions, listed at level 2, as text. */
function headings(revisions: ReturnType<typeof revision>[]): string[] {
	const body = render(RevisionList, { props: { revisions, headingLevel: 2 } }).body;
	return [...body.matchAll(/<h2[^>]*>([\s\S]*?)<\/h2>/g)].map((m) => shownText(m[1]!));
}

describe('a fiche’s revisions', () => {
	it('head each revision of one day with its time', () => {
		expect(
			headings([revision(2, '2026-12-06T15:20:00.000Z'), revision(1, '2026-12-06T09:05:00.000Z')])
		).toEqual([
			'6 décembre 2026 à 16 h 20 — Fiche modifiée',
			'6 décembre 2026 à 10 h 05 — Fiche modifiée'
		]);
	});

	it('tell two revisions of one minute apart by their second, and of one second by their number', () => {
		// Two saves within a minute both read « 6 décembre 2026 à 14 h 05 — Fiche modifiée ».
		const listed = headings([
			revision(9, '2026-12-06T13:07:30.000Z'),
			revision(8, '2026-12-06T13:07:30.400Z'),
			revision(7, '2026-12-06T13:05:41.000Z'),
			revision(6, '2026-12-06T13:05:08.000Z'),
			revision(5, '2026-12-06T09:05:00.000Z')
		]);
		expect(listed).toEqual([
			'6 décembre 2026 à 14 h 07 min 30 s — Fiche modifiée (révision n° 9)',
			'6 décembre 2026 à 14 h 07 min 30 s — Fiche modifiée (révision n° 8)',
			'6 décembre 2026 à 14 h 05 min 41 s — Fiche modifiée',
			'6 décembre 2026 à 14 h 05 min 08 s — Fiche modifiée',
			'6 décembre 2026 à 10 h 05 — Fiche modifiée'
		]);
		expect(new Set(listed).size).toBe(listed.length);
	});
});
