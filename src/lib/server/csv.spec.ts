import { describe, expect, it } from 'vitest';
import { portalSources } from '../utils/source-testing';
import { CSV_MEDIA_TYPE, csvResponse, protectFormula, spreadsheetCsv } from './csv';
import { spreadsheetLines } from './csv-testing';

describe('protectFormula', () => {
	it.each([
		['=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'],
		['+33 5 65', "'+33 5 65"],
		['-1+1', "'-1+1"],
		['@SUM(A1)', "'@SUM(A1)"],
		['\t=1', "'\t=1"],
		['\r=1', "'\r=1"],
		// Quoted too, so that stripping one leading quote always gives the text back.
		["'Wifi' territorial", "''Wifi' territorial"],
		["'=1+1", "''=1+1"],
		['Réunion tenue', 'Réunion tenue'],
		['a=1', 'a=1'],
		['', '']
	])('%j → %j', (text, expected) => {
		expect(protectFormula(text)).toBe(expected);
	});
});

describe('spreadsheetCsv', () => {
	it('quotes a cell holding any line break, so that no row starts inside it', () => {
		const csv = spreadsheetCsv([
			['fiche', 'texte'],
			['1-1', protectFormula('+cmd\n@SUM(1+1)')],
			['1-2', 'ligne\r=HYPERLINK("x")'],
			['1-3', 'deux\r\nlignes'],
			['1-4', 'une ligne'],
			// A bare \r and nothing else that asks for quotes (1-2 holds a " that would).
			['1-5', 'ligne\r=1+1']
		]);
		expect(spreadsheetLines(csv)).toEqual([
			'fiche,texte',
			'1-1,"\'+cmd\n@SUM(1+1)"',
			'1-2,"ligne\r=HYPERLINK(""x"")"',
			'1-3,"deux\r\nlignes"',
			'1-4,une ligne',
			'1-5,"ligne\r=1+1"'
		]);
		expect(csv.endsWith('\r\n')).toBe(true);
	});
});

describe('a CSV file to download', () => {
	it('is answered by csvResponse, its type and name written once', async () => {
		const response = csvResponse('a;b\r\n1;2\r\n', 'tableau.csv');
		expect(response.headers.get('Content-Type')).toBe(CSV_MEDIA_TYPE);
		expect(response.headers.get('Content-Disposition')).toBe('attachment; filename="tableau.csv"');
		expect(await response.text()).toBe('a;b\r\n1;2\r\n');
		// A route that builds the headers by hand (four did) may drift from the others'.
		const byHand = portalSources('src')
			.filter(({ text }) => text.includes(`'${CSV_MEDIA_TYPE}'`))
			.map(({ path }) => path);
		expect(byHand).toEqual(['src/lib/server/csv.ts']);
	});
});
