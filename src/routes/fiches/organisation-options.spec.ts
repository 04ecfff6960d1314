import { describe, expect, it } from 'vitest';
import { organisationSelectHtml } from './organisation-options';

const ORGANISATIONS = [
	{ slug: 'cdg46', name: 'Centre de gestion du Lot' },
	{ slug: 'lot-numerique', name: 'Lot numérique' },
	{ slug: 'r-d', name: 'Recherche & <développement>' }
];
const SELECTED = /selected=""/g;

describe('the organisation filter', () => {
	it('lists every organisation, escaped, « Toutes les organisations » chosen', () => {
		expect(organisationSelectHtml(ORGANISATIONS, undefined)).toBe(
			'<select id="organisation" name="organisation">' +
				'<option value="" selected="">Toutes les organisations</option>' +
				'<option value="cdg46">Centre de gestion du Lot</option>' +
				'<option value="lot-numerique">Lot numérique</option>' +
				'<option value="r-d">Recherche &amp; &lt;développement&gt;</option></select>'
		);
	});

	it('marks the chosen one, and only it', () => {
		const html = organisationSelectHtml(ORGANISATIONS, 'lot-numerique');
		expect(html.match(SELECTED)).toHaveLength(1);
		expect(html).toContain('<option value="">Toutes les organisations</option>');
		expect(html).toContain('<option value="lot-numerique" selected="">Lot numérique</option>');
		// The options written once are left as they were for the next request.
		expect(organisationSelectHtml(ORGANISATIONS, 'cdg46').match(SELECTED)).toHaveLength(1);
		expect(organisationSelectHtml(ORGANISATIONS, undefined).match(SELECTED)).toHaveLength(1);
	});

	it('marks no organisation for a value that is none of them', () => {
		for (const chosen of ['cdg4', '"><script>', '$&'])
			expect(organisationSelectHtml(ORGANISATIONS, chosen).match(SELECTED)).toBeNull();
	});

	it('follows a new list (read again after a change of published data)', () => {
		const renamed = [{ slug: 'cdg46', name: 'CDG du Lot' }];
		expect(organisationSelectHtml(renamed, 'cdg46')).toContain(
			'<option value="cdg46" selected="">CDG du Lot</option></select>'
		);
	});
});
