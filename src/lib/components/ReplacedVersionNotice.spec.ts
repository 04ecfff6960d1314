import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { SITE_ORIGIN } from './PrintedLink.svelte';
import ReplacedVersionNotice from './ReplacedVersionNotice.svelte';
import { shownText } from '$lib/utils/html-testing';

/** The notice's markup, on a portal reached at https://portail.example.fr (the root layout's). */
function rendered(changeNote: string | null): string {
	const versions = [
		{ version: 1, publishedAt: '2019-02-01', changeNote: null },
		{ version: 2, publishedAt: '2026-12-05', changeNote }
	];
	return render(ReplacedVersionNotice, {
		props: { year: 2018, version: 1, versions },
		context: new Map([[SITE_ORIGIN, 'https://portail.example.fr']])
	}).body;
}

/** The notice as read (tags and comments dropped). */
function said(changeNote: string | null): string {
	return shownText(rendered(changeNote));
}

// Review s43, second read-back: a note typed without a final full stop ran into the link.
describe('the notice of a replaced version of a bilan', () => {
	it('ends the correction’s note with a full stop before the link, once', () => {
		for (const note of ['La fiche 6-1 est comptée', 'La fiche 6-1 est comptée.'])
			expect(said(note)).toBe(
				'Cette version a été remplacée par la version 2 du 5 décembre 2026 : La fiche 6-1 est comptée. Lire la version la plus récente du bilan 2018 (version 2).'
			);
		expect(said('Pourquoi pas ?')).toContain('Pourquoi pas ? Lire');
		expect(said(null)).toMatch(/du 5 décembre 2026\. Lire/);
	});

	// Review s44: on paper, the link to the latest version could not be followed, nor read.
	it('gives its link the absolute address printed after it on paper', () => {
		expect(rendered(null)).toContain(
			'<a href="/bilans/2018" data-print-url="https://portail.example.fr/bilans/2018">'
		);
	});
});
