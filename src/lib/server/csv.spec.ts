import { describe, expect, it } from 'vitest';
import { protectFormula } from './csv';

describe('protectFormula', () => {
	it.each([
		['=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'],
		['+33 5 65', "'+33 5 65"],
		['-1+1', "'-1+1"],
		['@SUM(A1)', "'@SUM(A1)"],
		['\t=1', "'\t=1"],
		['\r=1', "'\r=1"],
		['Réunion tenue', 'Réunion tenue'],
		['a=1', 'a=1'],
		['', '']
	])('%j → %j', (text, expected) => {
		expect(protectFormula(text)).toBe(expected);
	});
});
