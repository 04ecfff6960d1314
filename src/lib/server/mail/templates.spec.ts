import { describe, expect, it } from 'vitest';
import { campaignMail } from './messages';
import { renderMail } from './templates';

const kept = (code: string) => `<span style="white-space:nowrap">${code}</span>`;

describe('a fiche’s code in a mail', () => {
	it('is kept on one line in the HTML part, with its plain hyphen in both parts', () => {
		const mail = renderMail({
			subject: 'Mise à jour de la fiche 3-1 validée',
			greeting: 'Bonjour Paul,',
			paragraphs: ['La mise à jour de la fiche 3-1 est validée, comme celle de la fiche 12-4.'],
			items: [{ text: '3-1 — Formations', url: 'https://exemple.fr/fiches/3-1' }],
			reason: 'Vous recevez ce message pour la fiche 3-1.',
			stop: 'Rien à faire.'
		});
		expect(mail.html).toContain(`La mise à jour de la fiche ${kept('3-1')}`);
		expect(mail.html).toContain(`la fiche ${kept('12-4')}.`);
		expect(mail.html).toContain(`">${kept('3-1')} — Formations</a>`);
		expect(mail.html).toContain(`pour la fiche ${kept('3-1')}.`);
		// The link's address and the title are left as they are.
		expect(mail.html).toContain('href="https://exemple.fr/fiches/3-1"');
		expect(mail.html).toContain('<title>Mise à jour de la fiche 3-1');
		expect(mail.html).not.toContain('\u2011');
		expect(mail.text).toContain('de la fiche 3-1');
		expect(mail.text).not.toContain('\u2011');
		expect(mail.text).not.toContain('<span');
	});

	it('is kept whole in a campaign’s list of fiches, not a date or a longer number', () => {
		const parts = campaignMail(
			{ name: 'Paul Partenaire' },
			{ title: 'Suivi 2026-2027', deadline: '2026-12-31' },
			[{ code: '4-1', title: 'Fiche' }],
			null
		);
		const { html } = renderMail({ ...parts, reason: 'r', stop: 's' });
		expect(html).toContain(kept('4-1'));
		expect(html).not.toContain(kept('2026-2027'));
		expect(html).toContain('Suivi 2026-2027');
	});
});
