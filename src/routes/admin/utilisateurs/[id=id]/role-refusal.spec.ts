import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Page from './+page.svelte';
import { shownText } from '$lib/utils/html-testing';

/** The alert of « Changer le rôle » refused with these field errors (text only), or null. */
function alertText(errors: Record<string, string>): string | null {
	const { body } = render(Page, {
		props: {
			data: {
				account: {
					id: 2,
					name: 'Claude Commission',
					email: 'claude@example.org',
					role: 'commission',
					organisationId: null,
					organisationSlug: null,
					organisationName: null,
					disabled: false
				},
				own: false,
				organisations: []
			},
			form: { errors, values: { role: 'admin', organisation: '' } }
		} as never
	});
	const alert = /<div class="notice warning" role="alert"[^>]*>([\s\S]*?)<\/div>/.exec(body);
	return alert ? shownText(alert[1]!) : null;
}

describe('« Changer le rôle » refused for a field the page does not show', () => {
	// Merge review s51: a tampered or cut currentRole was refused with nothing on the page.
	it('says the message of the role the page showed, as of the organisation it showed', () => {
		expect(
			alertText({ currentRole: 'Rechargez la page : le rôle affiché n’a pas été transmis.' })
		).toContain('le rôle affiché n’a pas été transmis');
		expect(
			alertText({
				currentOrganisationId: 'Rechargez la page : l’organisation affichée n’a pas été transmise.'
			})
		).toContain('l’organisation affichée n’a pas été transmise');
	});

	it('still says the form’s own message, once', () => {
		const said = alertText({ form: 'Ce compte a changé entre-temps.' });
		expect(said?.split('Ce compte a changé entre-temps.')).toHaveLength(2);
	});

	it('says it in the summary every form has, with a link to a refused field', () => {
		const { body } = render(Page, {
			props: {
				data: {
					account: {
						id: 2,
						name: 'Alice Partenaire',
						email: 'alice@example.org',
						role: 'partenaire',
						organisationId: 3,
						organisationSlug: 'cdg46',
						organisationName: 'CDG46',
						disabled: false
					},
					own: false,
					organisations: [{ slug: 'cdg46', name: 'CDG46' }]
				},
				form: {
					errors: { organisation: 'Un partenaire appartient à une organisation : choisissez-la.' },
					values: { role: 'partenaire', organisation: '' }
				}
			} as never
		});
		expect(body).toContain('id="resume-erreurs"');
		expect(body).toContain('href="#organisation"');
		expect(shownText(body)).toContain('Le rôle n’a pas été changé : 1 champ à corriger');
	});
});
