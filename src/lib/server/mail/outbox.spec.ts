import { describe, expect, it } from 'vitest';
import { absoluteUrl, configureMail } from './outbox';
import { campaignMail } from './messages';
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

describe('a message’s French spacing', () => {
	const mail = renderMail({
		...campaignMail(
			{ name: 'Zoé' },
			{ title: 'Suivi de l’hiver 2026', deadline: '2026-12-28' },
			[{ code: '1-1', title: 'Accompagnement des élus' }],
			null
		),
		stop: 'Vous recevez « ceci » ; pour l’arrêter : votre compte !'
	});

	it('keeps « : », « ; », « ! » and « » » on the line of the word before them, in HTML and text', () => {
		for (const part of [mail.html, mail.text]) {
			expect(part).not.toMatch(/ [:;!»]/);
			expect(part).not.toMatch(/« /);
		}
		expect(mail.html).toContain(
			'Vous recevez «\u00a0ceci\u00a0»\u202f; pour l’arrêter\u00a0: votre compte\u202f!'
		);
	});

	it('leaves the addresses and the HTML’s own styles as they were', () => {
		expect(mail.text).toMatch(/Accompagnement des élus\u00a0: https?:\/\/\S+\/1-1\b/);
		expect(mail.html).toContain('margin:0 auto;padding:16px');
	});
});
