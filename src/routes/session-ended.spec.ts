import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { load } from './connexion/+page.server';
import Login from './connexion/+page.svelte';

const ENDED = 'Votre session a pris fin : reconnectez-vous.';

/** The sign-in page as a signed-out visitor sees it at this address, spaces made plain. */
async function loginPage(query: string): Promise<string> {
	const url = new URL(`http://localhost/connexion${query}`);
	const data = await load({ locals: { user: null, session: null }, url } as never);
	return render(Login as never, { props: { data, form: null } as never }).body.replace(/\s+/g, ' ');
}

describe('/connexion after a session ended (cookie sent but no longer valid, see requireUser)', () => {
	it('says the session ended and that a password change closes the other sessions', async () => {
		const html = await loginPage('?redirectTo=%2Fespace&session=finie');
		expect(html).toContain(ENDED);
		expect(html).toContain('Un changement de mot de passe ferme aussi les sessions ouvertes');
	});

	it('says nothing of a session to a visitor sent there without a cookie', async () => {
		expect(await loginPage('?redirectTo=%2Fespace')).not.toContain(ENDED);
	});
});
