import { describe, expect, it } from 'vitest';
import { createSession } from '$lib/server/auth/sessions';
import { createTestUser, PEOPLE } from '$lib/server/auth/testing';
import { GET } from './sante/+server';
import { adminDatabase } from './route-testing';

const opened = adminDatabase();

/** What /sante answers a caller from `address`, signed in as `user` or not. */
async function health(address: string, user?: 'admin' | 'partenaire') {
	const signedIn =
		user === 'admin'
			? opened.admin
			: user === 'partenaire'
				? await createTestUser(opened.db, PEOPLE.paul)
				: null;
	const session = signedIn ? (await createSession(opened.db, signedIn.id)).session : null;
	const response = await GET({
		request: new Request('http://localhost/sante'),
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
});
