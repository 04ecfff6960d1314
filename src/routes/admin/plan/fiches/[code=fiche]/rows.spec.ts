import { describe, expect, it } from 'vitest';
import { fieldRank, rowFieldLabel, rowLegend, rows } from './rows';

// The fiche editor's rows, read apart from the page (IndicatorRows, OrganisationRows and the
// page's error summary share them).

describe('the fiche editor’s rows', () => {
	it('shows the rows used so far plus the blank ones to add, within the limit', () => {
		expect(rows((i) => i < 2, 10, 2)).toEqual([0, 1, 2, 3]);
		expect(rows(() => false, 10, 1)).toEqual([0]);
		// A row emptied between two used ones stays, so that the next keep their place.
		expect(rows((i) => i === 0 || i === 2, 10, 1)).toEqual([0, 1, 2, 3]);
		expect(rows(() => true, 5, 2)).toEqual([0, 1, 2, 3, 4]);
	});

	it('names a row’s field in the summary as its legend and label say it', () => {
		const values = { ind_0_id: '12', ind_1_id: '' };
		expect(rowFieldLabel(values, 'owner_1_org')).toBe('Porteur 2, organisation');
		expect(rowFieldLabel(values, 'partner_0_detail')).toBe('Partenaire 1, précision');
		expect(rowFieldLabel(values, 'ind_0_target')).toBe('Indicateur 1, cible');
		expect(rowFieldLabel(values, 'ind_1_label')).toBe('Nouvel indicateur, intitulé');
		expect(rowFieldLabel(values, 'title')).toBeUndefined();
		expect(rowLegend(values, 'ind', 1)).toBe('Nouvel indicateur');
	});

	it('orders the refused fields as the form shows them, a row’s fields by their row', () => {
		const names = ['reason', 'ind_1_unit', 'title', 'ind_0_target', 'owner_2_org', 'links'];
		expect(names.sort((a, b) => fieldRank(a) - fieldRank(b))).toEqual([
			'title',
			'owner_2_org',
			'links',
			'ind_0_target',
			'ind_1_unit',
			'reason'
		]);
	});
});
