import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import ReturnComment from './ReturnComment.svelte';
import { shownText } from '$lib/utils/html-testing';

/** The notice's first line as a partner reads it (tags and comments dropped). */
function said(update: Record<string, unknown>): string {
	const body = render(ReturnComment, { props: { update } as never }).body;
	return shownText(body);
}

describe('the comment of a returned update', () => {
	it('says on which day Lot numérique returned it', () => {
		const update = {
			state: 'returned',
			reviewComment: 'Précisez le nombre d’agents formés.',
			// 23:30 in Paris on the 5th of December.
			returnedAt: '2026-12-05T22:30:00.000Z'
		};
		expect(said(update)).toBe(
			'Renvoyée pour correction le 5 décembre 2026 par Lot numérique : Précisez le nombre d’agents formés.'
		);
		expect(said({ ...update, state: 'draft' })).toMatch(
			/^Renvoyée pour correction le 5 décembre 2026 par Lot numérique : Précisez .* Enregistrée en brouillon depuis/
		);
	});

	it('says it without a day when none is known', () => {
		const update = { state: 'returned', reviewComment: 'À préciser.', returnedAt: null };
		expect(said(update)).toBe('Renvoyée pour correction par Lot numérique : À préciser.');
	});
});
