import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RELEVE_COLUMNS, releveFileName, releveRows, releveSheet } from './releve';
import type { SittingRecord } from './repository';

const sitting: SittingRecord = {
	id: 7,
	heldOn: '2026-11-20',
	startsAt: '14:30',
	place: 'Cahors',
	title: 'Commission des usages numériques',
	state: 'closed',
	source: null,
	closedAt: '2026-11-20T17:00:00.000Z',
	closedBy: 'Claude Commission',
	convenedAt: null,
	attendees: [{ id: 1, name: 'Claude Commission', guest: false }],
	items: []
};

/** The sitting with one free point (no fiche) carrying these decisions. */
function withDecisions(decisions: SittingRecord['items'][number]['decisions']): SittingRecord {
	return {
		...sitting,
		items: [{ id: 1, position: 1, fiche: null, title: 'Point libre', decisions }]
	};
}

describe('the relevé as a workbook', () => {
	it('says the séance’s day, time when given, and place above the table', () => {
		expect(releveSheet(sitting).note).toMatch(
			/^Relevé de décisions de la commission des usages numériques — séance du 20\u00a0novembre\u00a02026 à 14\u00a0h\u00a030, Cahors ; /
		);
		expect(releveSheet({ ...sitting, startsAt: null }).note).toMatch(
			/— séance du 20\u00a0novembre\u00a02026, Cahors ; /
		);
	});
});

// Walkthrough s56 #4: three séances of 7 December downloaded as one name,
// releve-decisions-2026-12-07.csv.
describe('the relevé’s download name', () => {
	it('has the séance’s hour when it had one', () => {
		expect(releveFileName(sitting, 'csv')).toBe('releve-decisions-2026-11-20-1430.csv');
		expect(releveFileName({ ...sitting, startsAt: null }, 'xlsx')).toBe(
			'releve-decisions-2026-11-20.xlsx'
		);
	});
});

describe('who recorded each decision', () => {
	it('is in the CSV and the workbook, as on the séance’s page', () => {
		const decided = withDecisions([
			{
				id: 3,
				kind: 'free',
				previousPriority: null,
				newPriority: null,
				opinion: null,
				text: 'Relancer les communes.',
				recordedBy: 'Françoise Lacombe',
				recordedAt: '2026-11-20T16:00:00.000Z'
			}
		]);
		expect(RELEVE_COLUMNS.at(-1)).toBe('saisie_par');
		expect(releveRows(decided)[0]?.at(-1)).toBe('Françoise Lacombe');
		const sheet = releveSheet(decided);
		expect(sheet.headers.at(-1)).toBe('Saisie par');
		expect(sheet.rows[0]?.at(-1)).toBe('Françoise Lacombe');
		// An account's name may begin like a formula (only control characters are refused).
		const byFormula = structuredClone(decided);
		byFormula.items[0]!.decisions[0]!.recordedBy = '=HYPERLINK("http://exemple.test")';
		expect(releveRows(byFormula)[0]?.at(-1)).toBe('\'=HYPERLINK("http://exemple.test")');
	});
});

describe('the kind of each decision in releve.csv', () => {
	// Review h46: the relevé wrote `avis` and `decision` (and the opinion in a column of its own)
	// while its comment said « as the open data writes them » (docs/open-data.md, decisions.csv).
	it('is the open data’s `type`, one code for the kind and the opinion', () => {
		const decision = (
			id: number,
			kind: 'priority' | 'opinion' | 'free',
			opinion: 'favorable' | 'reserve' | 'defavorable' | 'prise_acte' | null
		) => ({
			id,
			kind,
			previousPriority: kind === 'priority' ? 2 : null,
			newPriority: kind === 'priority' ? 1 : null,
			opinion,
			text: 'Motif.',
			recordedBy: null,
			recordedAt: '2026-11-20T16:00:00.000Z'
		});
		const decided = withDecisions([
			decision(1, 'priority', null),
			decision(2, 'opinion', 'favorable'),
			decision(3, 'opinion', 'reserve'),
			decision(4, 'opinion', 'defavorable'),
			decision(5, 'opinion', 'prise_acte'),
			decision(6, 'free', null)
		]);
		const type = RELEVE_COLUMNS.indexOf('type');
		// The codes as the published spec lists them, in its order.
		const spec = readFileSync('docs/open-data.md', 'utf8').replace(/\s+/g, ' ');
		const codes = /`type` is one of ([^.]+)\./.exec(spec)?.[1]?.match(/(?<=`)[a-z_]+(?=`)/g);
		expect(codes).toHaveLength(6);
		expect(releveRows(decided).map((row) => row[type])).toEqual(codes);
		expect(RELEVE_COLUMNS).not.toContain('avis');
		expect(releveRows(decided)[0]).toHaveLength(RELEVE_COLUMNS.length);
	});
});
