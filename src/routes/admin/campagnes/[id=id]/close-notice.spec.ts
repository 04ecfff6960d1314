import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Page from './+page.svelte';

/** A campaign's page as it renders, with `data` over an open campaign's with nothing asked. */
function pageBody(data: Record<string, unknown>): string {
	return render(Page, {
		props: {
			data: {
				campaign: {
					id: 2,
					title: 'Campagne ouverte par erreur',
					deadline: '2026-12-31',
					reminderDays: [-3],
					sittingTitle: null,
					closedAt: null,
					closedByName: null
				},
				closed: false,
				opened: false,
				cancelledMail: 0,
				mailed: true,
				complete: false,
				done: 0,
				total: 0,
				fiches: [],
				organisations: [],
				notMailed: [],
				withoutAccount: [],
				lostAccount: [],
				...data
			},
			form: null
		} as never
	}).body;
}

/** Rendered HTML as read: tags and comments left out, spaces collapsed. */
const shownText = (html: string) =>
	html
		.replace(/<!--[^>]*-->/g, '')
		.replace(/<[^>]+>/g, '')
		.replace(/\s+/g, ' ');

/** The notices at the top of a campaign's page, as it renders them (text only, spaces collapsed). */
function notices(data: Record<string, unknown>): string {
	return shownText(
		[...pageBody(data).matchAll(/<div class="notice[^"]*" role="status">([\s\S]*?)<\/div>/g)]
			.map((m) => m[1]!)
			.join(' ')
	);
}

describe('the notice of a campaign closed', () => {
	it('keeps the space between its sentences when mails waiting were cancelled', () => {
		expect(notices({ closed: true, cancelledMail: 2 })).toContain(
			'les partenaires ne la voient plus. 2 courriels d’ouverture'
		);
		expect(notices({ closed: true })).toMatch(/les partenaires ne la voient plus\.\s*$/);
	});
});

describe('the completion of a campaign', () => {
	// Counted since s46: an organisation that answered before losing its last account; « toutes
	// les organisations qui ont un compte » no longer said who was waited for.
	it('says which organisations it waited for when complete', () => {
		const body = pageBody({ complete: true, done: 2, total: 2 });
		expect(shownText(/<p class="completion"[^>]*>([\s\S]*?)<\/p>/.exec(body)![1]!)).toContain(
			'toutes les organisations attendues (celles qui ont un compte actif, et celles qui avaient répondu avant de le perdre) ont soumis leurs mises à jour (2/2)'
		);
	});
});

// Walkthrough s47: « Syndicat mixte Lot numérique : sans compte (ne peut pas répondre) », and
// nothing said who writes the syndicat's own updates (an admin opening the form got a 403).
describe('an organisation without an account', () => {
	it('says that administrators validate and the syndicat answers through a partner account', () => {
		const body = pageBody({ withoutAccount: ['Syndicat mixte Lot numérique'] });
		expect(
			shownText(/<p class="meta" id="syndicat-writes"[^>]*>([\s\S]*?)<\/p>/.exec(body)![1]!)
		).toContain(
			'Les administrateurs valident les mises à jour, ils n’y répondent pas : pour les fiches du syndicat, invitez un compte partenaire du Syndicat mixte Lot numérique.'
		);
		expect(pageBody({})).not.toContain('syndicat-writes');
	});
});
