import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plural, pluralize } from './format';

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
		const found: string[] = [];
		const walk = (dir: string) => {
			for (const name of readdirSync(dir)) {
				const path = join(dir, name);
				if (statSync(path).isDirectory()) walk(path);
				else if (/\.(svelte|ts)$/.test(name) && !name.endsWith('.spec.ts')) {
					const lines = readFileSync(path, 'utf8').split('\n');
					lines.forEach((line, i) => {
						if (/\p{L}\((?:s|e|es|x)\)/u.test(line)) found.push(`${path}:${i + 1}`);
					});
				}
			}
		};
		walk('src');
		expect(found).toEqual([]);
	});
});
