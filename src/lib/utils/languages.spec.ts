import { describe, expect, it } from 'vitest';
import { languageParts, markedEnglish, wholeTextLang } from './languages';

describe('English expressions in French text', () => {
	it('marks each English expression of the plan, whatever its case, and keeps the rest French', () => {
		expect(languageParts('Développer l’open data et l’Open Innovation')).toEqual([
			{ text: 'Développer l’' },
			{ text: 'open data', lang: 'en' },
			{ text: ' et l’' },
			{ text: 'Open Innovation', lang: 'en' }
		]);
		expect(languageParts('Smart territoire')).toEqual([
			{ text: 'Smart', lang: 'en' },
			{ text: ' territoire' }
		]);
	});

	it('takes the longest expression, and any space between its words', () => {
		expect(languageParts('le Smart Grid')).toEqual([
			{ text: 'le ' },
			{ text: 'Smart Grid', lang: 'en' }
		]);
		expect(languageParts('des data centers et des smart grids')).toEqual([
			{ text: 'des ' },
			{ text: 'data centers', lang: 'en' },
			{ text: ' et des ' },
			{ text: 'smart grids', lang: 'en' }
		]);
		expect(languageParts('un data\u00a0center')).toEqual([
			{ text: 'un ' },
			{ text: 'data\u00a0center', lang: 'en' }
		]);
	});

	it('leaves words that only contain an expression, and French words, as they are', () => {
		for (const text of ['un smartphone', 'open-data', 'le wifi territorial', '']) {
			expect(languageParts(text)).toEqual([{ text }]);
		}
	});

	it('gives HTML with every character escaped and each expression in a span', () => {
		expect(markedEnglish('L’open data & le <script>alert("x")</script> d’O\'Neil')).toBe(
			'L’<span lang="en">open data</span> &amp; le &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; d’O&#39;Neil'
		);
		expect(markedEnglish('<b>Smart</b>')).toBe('&lt;b&gt;<span lang="en">Smart</span>&lt;/b&gt;');
		expect(markedEnglish('Rien d’anglais')).toBe('Rien d’anglais');
	});

	it('keeps guillemets and colons on the line of their words (French spacing)', () => {
		expect(markedEnglish('Faciliter l’ouverture des données « open data » : lot')).toBe(
			'Faciliter l’ouverture des données «\u00a0<span lang="en">open data</span>\u00a0»\u00a0: lot'
		);
	});
});

describe('the language of a text that cannot mark a part (an option of a list)', () => {
	it('is English when the English expressions make at least half of its words', () => {
		expect(wholeTextLang('Open innovation')).toBe('en');
		expect(wholeTextLang('Smart territoire')).toBe('en');
		expect(wholeTextLang('Faciliter l’ouverture des données « open data »')).toBeUndefined();
		expect(wholeTextLang('Téléservices publics et e-citoyenneté')).toBeUndefined();
		expect(wholeTextLang('')).toBeUndefined();
	});
});
