import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import ReplacedValues from './ReplacedValues.svelte';
import type { ShownReplacedValue } from '$lib/server/progress/service';
import { shownText } from '$lib/utils/html-testing';

const replaced: ShownReplacedValue = {
	indicatorId: 15,
	indicatorLabel: 'Nombre de territoires',
	indicatorKind: 'count',
	indicatorUnit: null,
	measuredOn: '2026-10-01',
	value: 3,
	comment: null,
	replacedBy: 12,
	replacedAt: '2026-11-02T10:00:00.000Z',
	replacement: 4,
	replacedByOrganisation: null
};

const shown = (value: ShownReplacedValue) =>
	render(ReplacedValues, { props: { values: [value], updatePath: '/espace/suivis/' } }).body;

describe('a value of an update that a later validation replaced', () => {
	it('says its day, when and by what it was replaced, and links the update that did', () => {
		const body = shown(replaced);
		expect(shownText(body)).toBe(
			'Nombre de territoires : 3 au 1er octobre 2026 — remplacée le 2 novembre 2026 par 4 (mise à jour n° 12)'
		);
		expect(body).toContain('<a href="/espace/suivis/12">mise à jour n°\u00a012</a>');
		// Joined where a line breaks: « : », the day, the number.
		expect(body).toContain('territoires\u00a0: 3\u00a0au 1er\u00a0octobre\u00a02026');
	});

	it('names the other organisation whose value replaced it, linked or not', () => {
		const body = shown({ ...replaced, replacedBy: null, replacedByOrganisation: 'SDAIL' });
		expect(shownText(body)).toBe(
			'Nombre de territoires : 3 au 1er octobre 2026 — remplacée le 2 novembre 2026 par la valeur de SDAIL, 4'
		);
		// Replaced in its turn since: the organisation still said, without a value.
		const again = { ...replaced, replacement: null, replacedByOrganisation: 'SDAIL' };
		expect(shownText(shown(again))).toBe(
			'Nombre de territoires : 3 au 1er octobre 2026 — remplacée le 2 novembre 2026 par la valeur de SDAIL (mise à jour n° 12)'
		);
		// « de » elided before a vowel: « d’ARS », not « de ARS ».
		const ars = shown({ ...replaced, replacedBy: null, replacedByOrganisation: 'ARS' });
		expect(shownText(ars)).toBe(
			'Nombre de territoires : 3 au 1er octobre 2026 — remplacée le 2 novembre 2026 par la valeur d’ARS, 4'
		);
	});

	it('names no update the person may not open, nor a value replaced in its turn', () => {
		const body = shown({ ...replaced, replacedBy: null, replacement: null });
		expect(shownText(body)).toBe(
			'Nombre de territoires : 3 au 1er octobre 2026 — remplacée le 2 novembre 2026'
		);
		expect(body).not.toContain('<a');
	});
});
