import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Login from './connexion/+page.svelte';
import { load } from './mot-de-passe-oublie/+page.server';
import Forgot from './mot-de-passe-oublie/+page.svelte';

/** What the forgot-password page's load makes of `?adresse=`. */
async function typedFrom(query: string): Promise<string> {
	const url = new URL(`http://localhost/mot-de-passe-oublie${query}`);
	const data = (await load({ url } as never)) as { typed: string };
	return data.typed;
}

describe('« Mot de passe oublié ? » from /connexion', () => {
	it('carries the address posted on the login form', () => {
		const data = { redirectTo: '/espace', sessionClosed: false };
		const form = { values: { email: 'paul+test@lot.fr' }, errors: {} };
		const html = render(Login as never, { props: { data, form } as never }).body;
		expect(html).toContain('href="/mot-de-passe-oublie?adresse=paul%2Btest%40lot.fr"');
	});

	it('is prefilled on the forgot-password page, escaped, when it reads as an address', async () => {
		expect(await typedFrom('?adresse=paul%40lot.fr')).toBe('paul@lot.fr');
		const html = render(Forgot as never, {
			props: { data: { withoutRelay: null, typed: 'paul@lot.fr' }, form: null } as never
		}).body;
		expect(html).toContain('value="paul@lot.fr"');
	});

	it('is dropped when it is not an address or is too long', async () => {
		expect(await typedFrom('')).toBe('');
		expect(await typedFrom('?adresse=%22%3E%3Cscript%3E')).toBe('');
		expect(await typedFrom(`?adresse=${'a'.repeat(250)}%40lot.fr`)).toBe('');
	});
});
