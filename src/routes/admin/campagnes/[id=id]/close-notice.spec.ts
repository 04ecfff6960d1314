import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Page from './+page.svelte';

/** The notices at the top of a campaign's page, as it renders them (text only, spaces collapsed). */
function notices(data: Record<string, unknown>): string {
	const { body } = render(Page, {
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
				...data
			},
			form: null
		} as never
	});
	return [...body.matchAll(/<div class="notice[^"]*" role="status">([\s\S]*?)<\/div>/g)]
		.map((m) => m[1]!)
		.join(' ')
		.replace(/<!--[^>]*-->/g, '')
		.replace(/<[^>]+>/g, '')
		.replace(/\s+/g, ' ');
}

describe('the notice of a campaign closed', () => {
	it('keeps the space between its sentences when mails waiting were cancelled', () => {
		expect(notices({ closed: true, cancelledMail: 2 })).toContain(
			'les partenaires ne la voient plus. 2 courriels d’ouverture'
		);
		expect(notices({ closed: true })).toMatch(/les partenaires ne la voient plus\.\s*$/);
	});
});
