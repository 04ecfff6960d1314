import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Page from './+page.svelte';
import { shownText } from '$lib/utils/html-testing';

/** The notice after an account is created, as the page renders it (text only, spaces collapsed). */
function notice(invitation: Record<string, unknown>): string {
	const { body } = render(Page, {
		props: {
			data: { users: [], organisations: [], ownId: 1 },
			form: {
				invitation: {
					renewing: false,
					mailed: true,
					relayDownSince: null,
					email: 'martine@example.org',
					url: 'https://sdusn.example/invitation/abc',
					...invitation
				}
			}
		} as never
	});
	const status = /<div class="notice" role="status">([\s\S]*?)<\/div>/.exec(body)?.[1] ?? '';
	return shownText(status);
}

describe('the invitation notice on the accounts page', () => {
	// Staff review s44: « … il ne sera plus affiché : » was followed by the paragraph on the current
	// password, and only then by the link.
	it('gives the link right after the sentence that announces it', () => {
		const said = notice({ renewing: true, relayDownSince: Date.UTC(2026, 11, 5, 17, 50) });
		expect(said).toContain(
			'il ne sera plus affiché : https://sdusn.example/invitation/abc Le mot de passe actuel'
		);
	});

	it('keeps the space between its sentences, whichever follows the mail’s one', () => {
		expect(notice({})).toContain('(sa remise se suit dans les courriels). Le lien peut aussi');
		expect(notice({ url: null })).toContain(
			'(sa remise se suit dans les courriels). Le lien, qui remplace'
		);
	});
});

describe('an account whose invitation the relay refused', () => {
	it('says so next to its invitation state, with a link to the refused messages', () => {
		const account = {
			id: 2,
			email: 'refuse@lot.fr',
			name: 'Rémi Refusé',
			role: 'commission',
			organisationId: null,
			organisationName: null,
			organisationSlug: null,
			disabled: false,
			hasPassword: false,
			createdAt: '2026-12-08T09:00:00.000Z',
			invitationUntil: Date.UTC(2026, 11, 15, 9),
			invitationRefused: true
		};
		const { body } = render(Page, {
			props: { data: { users: [account], organisations: [], ownId: 1 }, form: null } as never
		});
		const state = /<td data-label="État">([\s\S]*?)<\/td>/.exec(body)?.[1] ?? '';
		expect(shownText(state)).toContain('invitation en attente, jusqu’au 15 décembre 2026');
		expect(shownText(state)).toContain(
			'courriel refusé par le serveur de courrier : adresse sans doute erronée (voir les courriels refusés)'
		);
		expect(state).toContain('href="/admin/courriels?etat=refuses"');
	});
});
