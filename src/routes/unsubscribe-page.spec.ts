import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Page from './desabonnement/[token]/+page.svelte';

/** The unsubscribe page as its link opens it, for courriels active or already turned off. */
function page(active: boolean): string {
	const target = { email: 'paul@example.org', label: 'rappels de mise à jour', active };
	return render(Page as never, { props: { data: { target }, form: null } as never }).body;
}

describe('the unsubscribe page', () => {
	it('asks, with its button, while the courriels are still sent', () => {
		const html = page(true);
		expect(html).toContain('Me désabonner');
		expect(html).not.toContain('déjà désactivés');
	});

	it('opened again once used, says so and leads to the account, without the question or the button', () => {
		const html = page(false);
		expect(html).toContain('Ces courriels sont déjà désactivés');
		expect(html).toContain('href="/compte#courriels"');
		expect(html).not.toContain('Me désabonner');
		expect(html).not.toContain('<form');
		expect(html).not.toContain('Ne plus envoyer');
	});
});
