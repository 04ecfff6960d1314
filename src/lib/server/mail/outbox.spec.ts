import { describe, expect, it } from 'vitest';
import { absoluteUrl, configureMail } from './outbox';
import { renderMail } from './templates';

describe('mail settings', () => {
	it('gives back the settings it replaces, so that a test can put them back', () => {
		const before = absoluteUrl('/compte');
		const previous = configureMail({
			origin: 'https://autre.test',
			from: 'X <x@autre.test>',
			relayed: true
		});
		expect(absoluteUrl('/compte')).toBe('https://autre.test/compte');
		configureMail(previous);
		expect(absoluteUrl('/compte')).toBe(before);
	});
});

describe('a message’s HTML part', () => {
	it('lets only the address of its link break anywhere: on a phone, the words stay whole', () => {
		const { html } = renderMail({
			subject: 'Objet',
			greeting: 'Bonjour,',
			paragraphs: ['Texte.'],
			action: { label: 'Ouvrir', url: 'https://sdusn.test/fiches/9-1' },
			reason: 'Raison.',
			stop: 'Arrêt.'
		});
		const fallback =
			/<p style="([^"]*)">Si le bouton ne fonctionne pas[^<]*<span style="([^"]*)">https:\/\/sdusn\.test\/fiches\/9-1<\/span><\/p>/.exec(
				html
			);
		expect(fallback).not.toBeNull();
		expect(fallback![1]).not.toContain('break-all');
		expect(fallback![2]).toContain('word-break:break-all');
		expect(html).toContain('votre navigateur\u00a0:');
	});
});
