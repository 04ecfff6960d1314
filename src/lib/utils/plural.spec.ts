import { describe, expect, it } from 'vitest';
import { plural, pluralize } from './format';
import { portalSources } from './source-testing';

describe('French plurals', () => {
	it('uses the singular for 0 and 1 and the plural from 2 on', () => {
		expect(pluralize(0, 'fiche évaluée', 'fiches évaluées')).toBe('0\u00a0fiche évaluée');
		expect(pluralize(1, 'fiche évaluée', 'fiches évaluées')).toBe('1\u00a0fiche évaluée');
		expect(pluralize(4, 'point', 'points')).toBe('4\u00a0points');
		expect(pluralize(1.5, 'heure', 'heures')).toBe('1,5\u00a0heure');
		expect(pluralize(1200, 'mise à jour', 'mises à jour')).toBe('1\u202f200\u00a0mises à jour');
		expect(plural(3, 'a été fermée', 'ont été fermées')).toBe('ont été fermées');
	});

	it('leaves no « (s) » placeholder plural in what the portal writes', () => {
		const found = portalSources('src').flatMap(({ path, text }) =>
			text
				.split('\n')
				.flatMap((line, i) => (/\p{L}\((?:s|e|es|x)\)/u.test(line) ? [`${path}:${i + 1}`] : []))
		);
		expect(found).toEqual([]);
	});
});

describe('hand-made plurals', () => {
	it('are none: a count chooses its words by plural(), the language’s rule, in one place', () => {
		// « fiche{n > 1 ? 's' : ''} », « n === 1 ? 'ligne' : 'lignes' »: each wrote the rule again.
		// « n === 1 ? '1 mise à jour' : `${n} mises à jour` »: a branch that starts with the count,
		// as a string or a template literal (without formatNumber, and a plain space before its noun).
		const branch = String.raw`(?:'[^'\n]*'|\`[^\`]*\`)`;
		const counted = String.raw`(?:'1 [^'\n]*'|\`(?:1 |\$\{[\w.!]+\} )[^\`]*\`)`;
		const handMade = [
			/\?\s*'s'\s*:\s*''/g,
			/[\w.]+\s*(?:===|>)\s*1\s*\?\s*'(?!oui')[^']*'\s*:\s*'[^']*'/g,
			new RegExp(
				String.raw`[\w.]+\s*(?:(?:===|!==|>)\s*1|(?:<|>=)\s*2)\s*\?\s*(?:${counted}\s*:\s*${branch}|${branch}\s*:\s*${counted})`,
				'g'
			)
		];
		const found = portalSources('src', 'scripts').flatMap(({ path, text }) =>
			handMade.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => `${path}: ${m[0]}`))
		);
		expect(found).toEqual([]);
	});
});
