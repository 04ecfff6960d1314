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
