import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RichText } from './rich-text';
import { markupToRichText, richTextToMarkup } from './rich-text-markup';

describe('the plain-text form of a fiche’s texts', () => {
	it('writes paragraphs, bullets, numbers and nesting, and reads them back', () => {
		const text: RichText = [
			'Un paragraphe.',
			{ ol: ['Première étape', { text: 'Deuxième', ul: ['détail a', 'détail b'] }] },
			{ ul: ['Puce seule'] },
			'Fin.'
		];
		const markup = richTextToMarkup(text);
		expect(markup).toBe(
			'Un paragraphe.\n1. Première étape\n2. Deuxième\n  - détail a\n  - détail b\n\n- Puce seule\nFin.'
		);
		expect(markupToRichText(markup)).toEqual(text);
	});

	it('gives every text of the seeded plan back unchanged', () => {
		const fiches = JSON.parse(
			readFileSync(new URL('../server/seed/data/fiches.json', import.meta.url), 'utf8')
		) as Record<string, RichText>[];
		for (const fiche of fiches)
			for (const section of ['context', 'existing', 'description', 'success_factors'])
				expect(markupToRichText(richTextToMarkup(fiche[section]!))).toEqual(fiche[section]);
	});

	it('reads what a person types: Windows line breaks, « * » bullets, extra spaces, empty lines', () => {
		expect(markupToRichText('  Texte   libre \r\n\r\n* un\r\n*  deux\n')).toEqual([
			'Texte libre',
			{ ul: ['un', 'deux'] }
		]);
		expect(markupToRichText('')).toEqual([]);
	});
});
