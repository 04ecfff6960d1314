import { describe, expect, it } from 'vitest';
import { resetPassword } from '$lib/server/auth/recovery';
import { acceptInvitation, issueInvitation } from '$lib/server/auth/service';
import { createTestUser, PEOPLE } from '$lib/server/auth/testing';
import * as invitation from './invitation/[token]/+page.server';
import * as reset from './mot-de-passe-oublie/[token]/+page.server';
import {
	adminDatabase,
	postAction,
	routeAnswer,
	routeEvent,
	issuedResetToken
} from './route-testing';

// A single-use link opened in one tab, then used in another (or replaced, or expired): the form of
// the first tab, sent, answers the page's 410 as opening the link does (with its way out), not a
// refusal above a form that can no longer be sent.

const portal = adminDatabase();

const PASSWORD = 'un héron gris sur la rive du lot';

const PAGES = [
	{
		name: 'the invitation page',
		route: '/invitation/[token]',
		page: invitation,
		next: '/connexion',
		link: async () => {
			const paul = await createTestUser(portal.db, PEOPLE.paul);
			const { token } = await issueInvitation(portal.db, portal.admin, paul.id, null);
			return {
				token,
				use: () => acceptInvitation(portal.db, token, 'une autre phrase de passe du lot', null)
			};
		}
	},
	{
		name: 'the new-password page',
		route: '/mot-de-passe-oublie/[token]',
		page: reset,
		next: '/mot-de-passe-oublie',
		link: async () => {
			const paul = await createTestUser(portal.db, PEOPLE.paul);
			const token = await issuedResetToken(portal.db, paul.id);
			return {
				token,
				use: () => resetPassword(portal.db, token, 'une autre phrase de passe du lot', null)
			};
		}
	}
];

describe.each(PAGES)(
	'$name, its link used in another tab meanwhile',
	({ route, page, next, link }) => {
		it('answers its form with the 410 the link opens on, and its way out', async () => {
			const { token, use } = await link();
			const at = { path: route.replace('[token]', token), route, params: { token } };
			const opened = await routeAnswer(() =>
				page.load(routeEvent(at.path, route, at.params, portal.admin) as never)
			);
			expect(opened.status).toBe(200);
			expect((await use()).ok).toBe(true);
			const gone = await routeAnswer(() =>
				page.load(routeEvent(at.path, route, at.params, portal.admin) as never)
			);
			expect(gone).toMatchObject({ status: 410, next: { href: next } });
			// Sent with a password that passes, or one refused: the page's 410 all the same.
			for (const [typed, script] of [
				[PASSWORD, true],
				[PASSWORD, false],
				['court', true]
			] as const)
				expect(
					await routeAnswer(() =>
						postAction(
							page.actions.default,
							at,
							portal.admin,
							{ password: typed, confirm: PASSWORD },
							script
						)
					)
				).toEqual(gone);
		});
	}
);
