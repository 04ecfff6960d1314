import { describe, expect, it } from 'vitest';
import { forgetSettings } from '$lib/server/config.js';
import { createSession } from '$lib/server/auth/sessions';
import { createTestUser, PEOPLE } from '$lib/server/auth/testing';
import { GET } from './sante/+server';
import { adminDatabase } from './route-testing';

const opened = adminDatabase();

/** What /sante answers a caller from `address`, signed in as `user` or not. */
async function health(
	address: string,
	user?: 'admin' | 'partenaire',
	headers: Record<string, string> = {}
) {
	const signedIn =
		user === 'admin'
			? opened.admin
			: user === 'partenaire'
				? await createTestUser(opened.db, PEOPLE.paul)
				: null;
	const session = signedIn ? (await createSession(opened.db, signedIn.id)).session : null;
	const response = await GET({
		request: new Request('http://localhost/sante', { headers }),
		url: new URL('http://localhost/sante'),
		locals: { user: signedIn, session, requestId: 'test' },
		getClientAddress: () => address
	} as never);
	return (await response.json()) as Record<string, unknown>;
}

// Probe s43, finding 4: /sante told anyone the build's time and the process's uptime (a restart
// oracle); the operator keeps them.
describe('/sante', () => {
	it('gives the version and the uptime to this machine and to an admin, not to anyone else', async () => {
		const anonymous = await health('203.0.113.5');
		expect(anonymous).toMatchObject({ base: 'joignable', migrations: 'à jour' });
		expect(anonymous).not.toHaveProperty('version');
		expect(anonymous).not.toHaveProperty('enMarcheDepuis');
		expect(await health('203.0.113.5', 'partenaire')).not.toHaveProperty('version');
		for (const operator of [
			await health('127.0.0.1'),
			await health('::1'),
			await health('203.0.113.5', 'admin')
		])
			expect(operator).toMatchObject({
				version: expect.stringMatching(/\+/),
				enMarcheDepuis: expect.any(Number)
			});
	});

	// Review s43, diff: behind a proxy without ADDRESS_HEADER every request comes from 127.0.0.1.
	it('does not take a request forwarded by a proxy for this machine, unless ADDRESS_HEADER names its client', async () => {
		const forwarded = { 'x-forwarded-for': '203.0.113.5' };
		expect(await health('127.0.0.1', undefined, forwarded)).not.toHaveProperty('version');
		expect(
			await health('127.0.0.1', undefined, { forwarded: 'for=203.0.113.5' })
		).not.toHaveProperty('enMarcheDepuis');
		expect(await health('127.0.0.1', 'admin', forwarded)).toHaveProperty('version');
		process.env.ADDRESS_HEADER = 'X-Forwarded-For';
		forgetSettings();
		try {
			// The address is then the client's as the proxy gives it: this machine's own, here.
			expect(
				await health('127.0.0.1', undefined, { 'x-forwarded-for': '127.0.0.1' })
			).toHaveProperty('version');
		} finally {
			delete process.env.ADDRESS_HEADER;
			forgetSettings();
		}
	});
});
