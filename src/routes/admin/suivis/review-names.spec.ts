import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { shownText } from '$lib/utils/html-testing';
import Page from './+page.svelte';

/** An update of fiche 6-1 waiting in the queue, from `organisationName`, dated `reportedOn`. */
const waiting = (id: number, organisationName: string | null, reportedOn: string) => ({
	id,
	ficheCode: '6-1',
	ficheTitle: 'Inclusion numérique',
	organisationName,
	reportedOn,
	status: 'en_cours',
	progress: 40,
	submittedAt: '2026-03-04T09:00:00.000Z',
	state: 'submitted',
	authorId: null,
	authorName: null,
	updatedBy: null,
	updatedByName: null
});

/** The accessible names of the queue's « Relire » links, as text. */
function linkNames(queue: ReturnType<typeof waiting>[]): string[] {
	const { body } = render(Page, { props: { data: { queue, decision: null } } as never });
	return [...body.matchAll(/<a href="\/admin\/suivis\/\d+"[^>]*>([\s\S]*?)<\/a>/g)].map((m) =>
		shownText(m[1]!)
	);
}

// Staff review s63: two updates of fiche 6-1 waiting, two links « Relire la mise à jour de la
// fiche 6-1 » a screen reader could not tell apart.
describe('the review queue’s « Relire » links', () => {
	it('name the organisation and the date of each update, as its row shows them', () => {
		expect(
			linkNames([waiting(1, 'CDG46', '2026-03-03'), waiting(2, 'Lot numérique', '2026-03-03')])
		).toEqual([
			'Relire la mise à jour de la fiche 6-1 de CDG46 du 3 mars 2026',
			'Relire la mise à jour de la fiche 6-1 de Lot numérique du 3 mars 2026'
		]);
	});

	it('tell apart two updates the row shows alike by their number', () => {
		const names = linkNames([waiting(7, null, '2026-03-03'), waiting(9, null, '2026-03-03')]);
		expect(names).toEqual([
			'Relire la mise à jour de la fiche 6-1 du 3 mars 2026, n° 7',
			'Relire la mise à jour de la fiche 6-1 du 3 mars 2026, n° 9'
		]);
	});
});
