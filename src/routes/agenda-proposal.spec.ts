import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { shownText } from '$lib/utils/html-testing';
import AgendaProposal from './commission/seances/[id=id]/AgendaProposal.svelte';

// Issue #14: among a fiche's signals, « jamais mise à jour » was typed by hand, in lower case,
// where /espace and the commission's file say « Jamais mise à jour » (staleWords).
describe('the signals of a fiche offered for the agenda', () => {
	const fiche = (code: string, flags: Record<string, unknown>) => ({
		code,
		title: `Fiche ${code}`,
		priority: 1,
		status: 'a_lancer',
		lastUpdate: null,
		stale: false,
		priorityOneNotStarted: false,
		neverMeasured: 0,
		score: 0,
		...flags
	});

	it('start as a sentence, a fiche never updated in the one rule’s words', () => {
		const { body } = render(AgendaProposal, {
			props: {
				flagsReadOn: null,
				ticked: [],
				suggestions: [
					fiche('17-1', { stale: true, priorityOneNotStarted: true }),
					fiche('4-1', { stale: true, lastUpdate: '2025-01-10', neverMeasured: 2 }),
					fiche('6-1', {})
				]
			} as never
		});
		const signals = (code: string) =>
			shownText(new RegExp(`id="fiche-${code}-signaux"[^>]*>([\\s\\S]*?)</span>`).exec(body)![1]!);
		expect(signals('17-1')).toBe('Jamais mise à jour ; priorité 1 encore à lancer');
		expect(signals('4-1')).toBe(
			'Dernière mise à jour le 10 janvier 2025 ; 2 indicateurs jamais mesurés'
		);
		expect(signals('6-1')).toBe('Aucun signal');
	});
});
