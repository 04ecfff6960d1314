import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import HistoryList from './HistoryList.svelte';
import type { HistoryEntry } from '$lib/server/plan/repository';
import { shownText } from '$lib/utils/html-testing';

function entry(id: number, reportedOn: string): HistoryEntry {
	return {
		id,
		reportedOn,
		status: 'en_cours',
		progress: 30,
		done: '',
		nextSteps: '',
		difficulties: '',
		source: null,
		organisation: null
	};
}

/** The first line of each entry, as read. */
function heads(entries: HistoryEntry[]): string[] {
	const { body } = render(HistoryList, { props: { entries } });
	return [...body.matchAll(/<p class="history-head[^"]*">([\s\S]*?)<\/p>/g)].map(([, head]) =>
		shownText(head!)
	);
}

describe('a fiche’s public history', () => {
	// Walkthrough s58: two updates of the same day read « 7 décembre 2026 — statut : En cours —
	// avancement : 30 % » twice.
	it('tells two updates of the same day apart by their number, and only those', () => {
		expect(
			heads([entry(13, '2026-12-07'), entry(15, '2026-12-07'), entry(16, '2026-12-08')])
		).toEqual([
			'7 décembre 2026, mise à jour n° 13 — statut : En cours — avancement : 30 %',
			'7 décembre 2026, mise à jour n° 15 — statut : En cours — avancement : 30 %',
			'8 décembre 2026 — statut : En cours — avancement : 30 %'
		]);
	});
});
