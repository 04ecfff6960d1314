import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetPassword } from '$lib/server/auth/recovery';
import { acceptInvitation, issueInvitation } from '$lib/server/auth/service';
import { createTestUser, PEOPLE } from '$lib/server/auth/testing';
import type { User } from '$lib/server/auth/users';
import type { Session } from '$lib/server/auth/sessions';
import * as layout from './+layout.server';
import { adminDatabase, routeEvent, withSession, issuedResetToken } from './route-testing';

// « Votre mot de passe est enregistré et votre session est ouverte. » (the root layout), on the
// home page a password chosen from a single-use link leads to: said only when the journal backs it.

const portal = adminDatabase();

const PASSWORD = 'un héron gris sur la rive du lot';
const HOME = '/espace?mot-de-passe=enregistre';

afterEach(() => {
	vi.useRealTimers();
});

/** What the root layout says at `path` to `signedIn`. */
async function passwordSaved(path: string, signedIn: { user: User; session: Session }) {
	const data = await layout.load(routeEvent(path, '/espace', {}, signedIn) as never);
	return (data as { passwordSaved: boolean }).passwordSaved;
}

const FLOWS = [
	{
		name: 'an invitation accepted',
		use: async () => {
			const paul = await createTestUser(portal.db, PEOPLE.paul);
			const { token } = await issueInvitation(portal.db, portal.admin, paul.id, null);
			return acceptInvitation(portal.db, token, PASSWORD, null);
		}
	},
	{
		name: 'a new password set from its link',
		use: async () => {
			const paul = await createTestUser(portal.db, PEOPLE.paul);
			const token = await issuedResetToken(portal.db, paul.id);
			return resetPassword(portal.db, token, PASSWORD, null);
		}
	}
];

describe.each(FLOWS)('the password saved, after $name', ({ use }) => {
	it('is said in the session it opened, for ten minutes, and nowhere else', async () => {
		const used = await use();
		if (!used.ok) throw new Error(used.message);
		const { user, session } = used.value;
		expect(await passwordSaved(HOME, { user, session })).toBe(true);
		// Not without the marker, nor under any other value of it.
		expect(await passwordSaved('/espace', { user, session })).toBe(false);
		expect(await passwordSaved('/espace?mot-de-passe=oui', { user, session })).toBe(false);
		// Signed in again later: that session was not opened by the password.
		expect(await passwordSaved(HOME, await withSession(portal.db, user))).toBe(false);
		// The link kept and opened later.
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(session.createdAt + 11 * 60 * 1000);
		expect(await passwordSaved(HOME, { user, session })).toBe(false);
	});
});

it('is not said to someone who set no password, whatever the address says', async () => {
	const paul = await createTestUser(portal.db, PEOPLE.paul);
	expect(await passwordSaved(HOME, await withSession(portal.db, paul))).toBe(false);
	expect(await passwordSaved(HOME, await withSession(portal.db, portal.admin))).toBe(false);
});
