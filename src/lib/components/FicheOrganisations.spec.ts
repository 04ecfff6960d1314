import type { ComponentProps } from 'svelte';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import FicheOrganisations from './FicheOrganisations.svelte';

type Props = ComponentProps<typeof FicheOrganisations>;

const html = (props: Props) =>
	render(FicheOrganisations, { props })
		.body.replace(/<!--[^>]*-->/g, '')
		.replace(/\s+/g, ' ');

describe('owners and partners of a fiche', () => {
	it('links an organisation to its page when it has a slug (the live fiche)', () => {
		const body = html({
			owners: [
				{ slug: 'cd46', name: 'Département du Lot', scope: 'Pilotage', note: 'à confirmer' }
			],
			partners: [{ slug: 'leader', name: 'LEADER', detail: 'financement' }],
			ownersNote: null
		});
		expect(body).toMatch(
			/<span class="scope[^"]*">Pilotage :<\/span> <a href="\/organisations\/cd46">Département du Lot<\/a>/
		);
		expect(body).toContain('(à confirmer)');
		expect(body).toMatch(
			/<a href="\/organisations\/leader">LEADER<\/a> <span class="meta">\(financement\)<\/span>/
		);
		expect(body).not.toContain('Aucun partenaire');
	});

	it('names organisations without a link when none has a slug (a frozen fiche)', () => {
		const body = html({
			owners: [{ name: 'Département du Lot', scope: null, note: null }],
			partners: [{ name: 'LEADER', detail: null }],
			ownersNote: null
		});
		expect(body).toContain('Département du Lot');
		expect(body).toContain('LEADER');
		expect(body).not.toContain('<a ');
		expect(body).not.toContain('class="scope');
	});

	it('gives the owners’ note when the fiche names no owner, and says when it has no partner', () => {
		const body = html({ owners: [], partners: [], ownersNote: 'Non désigné à ce jour' });
		expect(body).toContain('<p>Non désigné à ce jour</p>');
		expect(body).toContain('Aucun partenaire.');
		expect(html({ owners: [], partners: [], ownersNote: null })).toContain('<p>Non précisé</p>');
	});
});
