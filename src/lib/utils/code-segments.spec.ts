import { describe, expect, it } from 'vitest';
import { codeSegments } from './code-segments';

describe('codeSegments', () => {
	it('sets apart the fiche codes of a sentence, and nothing else', () => {
		expect(codeSegments('La fiche 14-1 cite 8-1 (lignes 3 à 5).')).toEqual([
			{ text: 'La fiche ', code: false },
			{ text: '14-1', code: true },
			{ text: ' cite ', code: false },
			{ text: '8-1', code: true },
			{ text: ' (lignes 3 à 5).', code: false }
		]);
		// Dates, longer numbers, words and identifiers are not codes.
		for (const text of [
			'2018-12-31',
			'le 31-12',
			'114-1',
			'14-10',
			'x14-1',
			'politique-donnee',
			'1-1a'
		])
			expect(codeSegments(text), text).toEqual([{ text, code: false }]);
		expect(codeSegments('« 1-1 »')).toEqual([
			{ text: '« ', code: false },
			{ text: '1-1', code: true },
			{ text: ' »', code: false }
		]);
		expect(codeSegments('')).toEqual([]);
	});

	// Walkthrough s58: « rappels à J- / 3, J+1 » cut after the hyphen at 390 px on a campaign's page.
	it('sets apart a reminder’s day against the deadline', () => {
		expect(codeSegments('rappels à J-14, J-3, J+1')).toEqual([
			{ text: 'rappels à ', code: false },
			{ text: 'J-14', code: true },
			{ text: ', ', code: false },
			{ text: 'J-3', code: true },
			{ text: ', ', code: false },
			{ text: 'J+1', code: true }
		]);
		for (const text of ['AJ-3', 'J-0', 'J-3a', 'J-'])
			expect(codeSegments(text), text).toEqual([{ text, code: false }]);
	});
});
