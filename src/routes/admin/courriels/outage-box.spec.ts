import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Page from './+page.svelte';
import { formatDuration } from '$lib/utils/format';
import { RELAY_GIVE_UP_MS } from '$lib/utils/rules';
import { shownText } from '$lib/utils/html-testing';

/** The relay's outage box on /admin/courriels, as text (spaces collapsed). */
function outageBox(counts: Record<string, number>): string {
	const { body } = render(Page, {
		props: {
			data: {
				relayed: true,
				relay: {
					failingSince: Date.UTC(2026, 11, 5, 17, 50),
					failures: 2,
					pausedUntil: null,
					lastError: null
				},
				counts,
				messages: [],
				hasMore: false,
				page: 1,
				status: null
			},
			form: null
		} as never
	});
	const box = /<div class="notice warning relay-down[^"]*">([\s\S]*?)<\/div>/.exec(body)?.[1] ?? '';
	return shownText(box);
}

// Second read-back s44: « 1 message attend … et partiront dans l’ordre où ils ont été écrits »,
// and brackets inside brackets for the messages given up.
describe('the outage box of the mail page', () => {
	it('agrees with one message waiting, and counts those given up in its sentence', () => {
		const one = outageBox({ pending: 1, given_up: 2 });
		expect(one).toContain('1 message attend, sans perdre d’essai, et partira.');
		expect(one).toContain(
			'sont abandonnés ; 2 messages abandonnés à ce jour, toutes pannes comprises.'
		);
		expect(one).not.toMatch(/\([^)]*\(/);
		// Issue #14: « trois jours » was typed beside RELAY_GIVE_UP_MS.
		expect(one).toContain(
			`depuis plus de ${formatDuration(RELAY_GIVE_UP_MS).replace(/\s/g, ' ')} de panne`
		);
		expect(outageBox({ pending: 3 })).toContain(
			'3 messages attendent, sans perdre d’essai, et partiront dans l’ordre où ils ont été écrits.'
		);
	});
});
