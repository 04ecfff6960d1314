import { describe, expect, it } from 'vitest';
import { frenchSpacing } from './french-spacing';
import { match as idParameter } from '../../params/id';
import { portalSources } from './source-testing';
import {
	holdsSearch,
	axisTitle,
	excerpt,
	excerptAtWord,
	foldSearchedText,
	foldSearchQuery,
	ID_PATTERN,
	elides,
	ofName,
	readPageNumber,
	readTimestamp,
	sameWords,
	searchAlternatives
} from './text';

describe('frenchSpacing', () => {
	it('binds guillemets and colons to their words with no-break spaces', () => {
		expect(frenchSpacing('Axe 1 « performance » : Transformation vers l’e-administration')).toBe(
			'Axe 1 «\u00a0performance\u00a0»\u00a0: Transformation vers l’e-administration'
		);
	});

	it('puts a narrow no-break space before ; ! and ?', () => {
		expect(frenchSpacing('Pourquoi ? Parce que ; enfin !')).toBe(
			'Pourquoi\u202f? Parce que\u202f; enfin\u202f!'
		);
	});

	it('keeps a number with the word it counts', () => {
		expect(frenchSpacing('3 axes, 17 objectifs et 23 fiches-actions, dont 13 prioritaires')).toBe(
			'3\u00a0axes, 17\u00a0objectifs et 23\u00a0fiches-actions, dont 13\u00a0prioritaires'
		);
	});

	it('keeps a number with its euros or percent (narrow, as formatPercent), and « n° » with its number', () => {
		expect(frenchSpacing('390 k€ pour 50 % du point n° 9, soit 500 € par an')).toBe(
			'390\u00a0k€ pour 50\u202f% du point n°\u00a09, soit 500\u00a0€ par an'
		);
	});

	it('keeps a number typed with spaces, a time and « N° » whole', () => {
		expect(frenchSpacing('1 000 communes à 9 h 30, délibération N° 12')).toBe(
			'1\u202f000\u00a0communes à 9\u00a0h\u00a030, délibération N°\u00a012'
		);
	});

	it('changes only the spaces typed, and adds none', () => {
		expect(frenchSpacing('«open data», 9:30, https://lot.fr?x=1')).toBe(
			'«open data», 9:30, https://lot.fr?x=1'
		);
		expect(frenchSpacing('deux  espaces  :')).toBe('deux  espaces\u00a0:');
	});
});

describe('axisTitle', () => {
	it('names an axis with its number when given, French-spaced', () => {
		const axis = { shortName: 'performance', label: 'Transformation', position: 1 };
		expect(axisTitle(axis)).toBe('Axe 1 «\u00a0performance\u00a0»\u00a0: Transformation');
		expect(axisTitle({ ...axis, position: undefined })).toBe(
			'Axe «\u00a0performance\u00a0»\u00a0: Transformation'
		);
	});
});

describe('elides', () => {
	it('is ofName’s rule, for any word: a verb of the invitation too', () => {
		expect(elides('administrer le portail')).toBe(true);
		expect(elides('Hélène')).toBe(true);
		expect(elides('rendre compte')).toBe(false);
	});
});

describe('ofName', () => {
	it('elides « de » before a vowel, accented or not, and keeps it before a consonant or h', () => {
		expect(ofName('émilie@exemple.fr')).toBe('d’émilie@exemple.fr');
		expect(ofName('Anne Admin')).toBe('d’Anne Admin');
		expect(ofName('paul@cdg46.fr')).toBe('de paul@cdg46.fr');
		expect(ofName('Hélène Martin')).toBe('d’Hélène Martin');
		expect(ofName('henri@lot.fr')).toBe('d’henri@lot.fr');
	});
});

describe('ID_PATTERN', () => {
	it('takes a row’s number as the address and the forms give it, the `[id=id]` matcher too', () => {
		for (const id of ['1', '42', '999999999', '007'])
			expect([ID_PATTERN.test(id), idParameter(id)], id).toEqual([true, true]);
		for (const id of ['', '1234567890', '-1', '1.5', '1e3', ' 1', '1 ', '0x1', '١٢'])
			expect([ID_PATTERN.test(id), idParameter(id)], id).toEqual([false, false]);
	});
});

describe('readPageNumber and readTimestamp', () => {
	it('read a page number of 1 to 99 999, the first page otherwise', () => {
		expect([null, '', '0', '-2', 'abc', '2.5', '100000'].map(readPageNumber)).toEqual([
			1, 1, 1, 1, 1, 1, 1
		]);
		expect(['1', '7', '99999'].map(readPageNumber)).toEqual([1, 7, 99999]);
	});

	it('read a moment of at most fifteen digits, null otherwise', () => {
		expect(readTimestamp('1767225600000')).toBe(1767225600000);
		expect([null, undefined, '', '-1', '1e12', '1234567890123456'].map(readTimestamp)).toEqual([
			null,
			null,
			null,
			null,
			null,
			null
		]);
	});
});

describe('excerpt', () => {
	it('keeps 40 units then « … », never half an emoji', () => {
		expect(excerpt('court')).toBe('court');
		expect(excerpt('x'.repeat(40))).toBe('x'.repeat(40));
		expect(excerpt('x'.repeat(41))).toBe(`${'x'.repeat(40)}…`);
		// The 40th unit is the first half of an emoji: the emoji goes whole.
		expect(excerpt(`${'x'.repeat(39)}🙂y`)).toBe(`${'x'.repeat(39)}…`);
		expect(excerpt(`${'x'.repeat(38)}🙂y`)).toBe(`${'x'.repeat(38)}🙂…`);
	});
});

describe('excerptAtWord', () => {
	// Left noticed s49: the relevé's mail cut a decision's text mid-word (« indicateu… »).
	it('cuts between two words, without the punctuation before the cut, then « … »', () => {
		expect(excerptAtWord('Avis favorable.', 20)).toBe('Avis favorable.');
		expect(excerptAtWord('Préciser ses indicateurs de suivi', 20)).toBe('Préciser ses…');
		// The cut falls just before a space: the last word is whole.
		expect(excerptAtWord('Préciser ses indicateurs de suivi', 24)).toBe(
			'Préciser ses indicateurs…'
		);
		expect(excerptAtWord('Avis motivé, réservé : à revoir', 22)).toBe('Avis motivé, réservé…');
		expect(excerptAtWord('Avis motivé, réservé : à revoir', 14)).toBe('Avis motivé…');
		// One word longer than the cut: cut as excerpt cuts it.
		expect(excerptAtWord('x'.repeat(30), 20)).toBe(`${'x'.repeat(20)}…`);
		// Only punctuation before the last space (review s50): not « … » alone.
		expect(excerptAtWord(`— ${'x'.repeat(30)}`, 20)).toBe(`— ${'x'.repeat(18)}…`);
	});
});

describe('the fiches’ search', () => {
	// Walkthrough s46: a search word was found inside words (« ent » in « gouvernement »).
	it('looks for each word at the start of a word, a hyphenated one in a row or joined', () => {
		const text = foldSearchedText('Le gouvernement, l’ENT et le Wi‑Fi des tiers-lieux');
		expect(text).toBe(' le gouvernement l ent et le wi fi des tiers lieux wifi tierslieux');
		const finds = findsIn(text);
		expect(finds('ent')).toBe(true);
		expect(finds('vernement')).toBe(false);
		expect(finds('wifi')).toBe(true);
		expect(finds('WI-FI')).toBe(true);
		expect(finds('tiers lieux')).toBe(true);
		expect(finds('lieux-tiers')).toBe(false);
		expect(foldSearchQuery(' -wi-fi- / l’ENT ')).toBe('wi-fi ent');
	});

	// Review s57: « Ad’Occ » found 10 fiches, « ad » at the start of « administration » and « occ »
	// of « Occitanie »; only 5 name Ad’Occ. An apostrophe between letters now joins as a hyphen does.
	it('reads an apostrophe between letters as a hyphen, an elision as a word apart', () => {
		const adOcc = findsIn(foldSearchedText('Avec Ad’Occ, l’agence régionale'));
		const apart = findsIn(foldSearchedText('L’administration en Occitanie'));
		for (const query of ['Ad’Occ', "Ad'Occ", 'ad-occ', 'adocc', 'AD‘OCC'])
			expect([adOcc(query), apart(query)], query).toEqual([true, false]);
		expect(foldSearchQuery('Ad’Occ')).toBe('ad-occ');
		// Elisions still find the word after them, with or without the article in the fiche.
		const ent = findsIn(foldSearchedText('L’ENT des collèges, des usages d’un ENT'));
		for (const query of ['l’ENT', 'ENT', 'd’usages', 'usages', "qu'usages", 'jusqu’aux usages'])
			expect(ent(query), query).toBe(query !== 'jusqu’aux usages');
		expect(foldSearchedText('l’ENT d’Ad’Occ')).toBe(' l ent d ad occ adocc');
		// Not joined to its article: « lent » is no word of « l’ENT ».
		expect(findsIn(foldSearchedText('l’ENT'))('lent')).toBe(false);
		// A word joined elsewhere than after an elision: its parts in a row, or joined.
		const today = findsIn(foldSearchedText('aujourd’hui'));
		for (const query of ['aujourd’hui', 'aujourdhui', 'aujourd hui'])
			expect(today(query)).toBe(true);
	});

	// Review s57: « CDG 46 » (the register's spelling) did not find CDG46's fiches (« 46 » is the
	// start of no word there); « cdg46 » did.
	it('also tries two words in a row joined, as a hyphenated word’s parts, besides each word alone', () => {
		const cdg = findsIn(foldSearchedText('Porteur : CDG46 (centre de gestion)'));
		for (const query of ['CDG 46', 'cdg46', 'cdg-46', 'centre cdg 46', 'cdg 46 gestion', 'CDG'])
			expect(cdg(query), query).toBe(true);
		expect(cdg('cdg 47')).toBe(false);
		// Today's matches are kept: each word alone, anywhere.
		expect(findsIn(foldSearchedText('Le CDG et le département 46'))('cdg 46')).toBe(true);
		expect(findsIn(foldSearchedText('Tiers-lieux'))('tiers lieux')).toBe(true);
		// A long search is not joined two by two (its statement would grow with every word).
		const long = 'a b c d e f g';
		expect(searchAlternatives(foldSearchQuery(long))).toHaveLength(1);
		expect(searchAlternatives('cdg 46')).toEqual([[[' cdg'], [' 46']], [[' cdg46']]]);
	});
});

/**
 * Whether a search finds a fiche of that search text (`foldSearchedText`), as listFiches does:
 * holdsSearch, which names the plan's labels that hold a search finding no fiche.
 */
function findsIn(text: string) {
	return (query: string) => holdsSearch(text, foldSearchQuery(query));
}

describe('sameWords', () => {
	it('compares names as they show: full-width letters as letters, characters that show nothing left out', () => {
		expect(sameWords('ＳＧＡＲ', 'SGAR')).toBe(true);
		for (const invisible of ['\u3164', '\u115F', '\u1160', '\uFFA0', '\u200B', '\u00AD'])
			expect(sameWords(`SGAR${invisible}`, 'SGAR')).toBe(true);
		expect(sameWords('Grand-Figéac', 'grand figeac')).toBe(true);
		expect(sameWords('SGAR 46', 'SGAR')).toBe(false);
	});
});

// Review #14: /admin/suivis read its `?fait=` id with its own copy of the pattern.
describe('an id in an address or a form', () => {
	it('is read with ID_PATTERN, never a copy of it written in a route', () => {
		const found = portalSources('src/routes')
			.filter(({ text }) => text.includes('/^\\d{1,9}$/'))
			.map(({ path }) => path);
		expect(found).toEqual([]);
	});
});
