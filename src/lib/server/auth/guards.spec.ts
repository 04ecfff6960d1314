import { isHttpError, isRedirect } from '@sveltejs/kit';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { User } from './users';

// The journal row a refusal writes is not what these tests are about: it is only counted.
const journal = vi.hoisted(() => ({ rows: [] as unknown[] }));
vi.mock('../audit/repository', () => ({
	recordDenial: async (_db: unknown, row: unknown) => {
		journal.rows.push(row);
	}
}));
vi.mock('../db/instance', () => ({ getDb: () => ({}) }));
// The files of a worker share their loaded modules (vite.config.ts, isolate: false): the guards
// are loaded anew against the mocks above (an earlier file may have loaded them without), and
// dropped afterwards for the files after this one.
vi.resetModules();
afterAll(() => {
	vi.resetModules();
});

const { authorize, deny, requireUser } = await import('./guards');

const PARTNER: User = {
	id: 7,
	email: 'paul@cdg46.test',
	name: 'Paul',
	role: 'partenaire',
	organisationId: 3,
	organisationName: 'CDG46',
	organisationSlug: 'cdg46',
	disabled: false
};

function event(
	user: User | null,
	method: 'GET' | 'POST',
	url: string,
	sentByScript = false,
	sessionEnded = false
): Parameters<typeof requireUser>[0] {
	const headers: Record<string, string> = sentByScript ? { 'x-sveltekit-action': 'true' } : {};
	return {
		locals: { user, session: null, ...(sessionEnded ? { sessionEnded } : {}) } as App.Locals,
		url: new URL(url, 'http://portail.test'),
		getClientAddress: () => '127.0.0.1',
		request: new Request(new URL(url, 'http://portail.test'), { method, headers })
	};
}

/**
 * What a guard threw: a redirect's location, or an error's status and message (and « [se
 * connecter] » when the form's alert offers to sign in).
 */
async function thrown(guard: () => unknown): Promise<string> {
	try {
		await guard();
	} catch (caught) {
		if (isRedirect(caught)) return `${caught.status} ${caught.location}`;
		if (isHttpError(caught))
			return `${caught.status} ${caught.body.message}${caught.body.signIn ? ' [se connecter]' : ''}`;
		throw caught;
	}
	return 'nothing thrown';
}

describe('requireUser, signed out', () => {
	it('sends a page to the sign-in page, coming back to it with its query', async () => {
		expect(await thrown(() => requireUser(event(null, 'GET', '/admin/journal?page=2')))).toBe(
			'303 /connexion?redirectTo=%2Fadmin%2Fjournal%3Fpage%3D2'
		);
	});

	it('says on the sign-in page that a session ended only when a cookie no longer valid came', async () => {
		expect(await thrown(() => requireUser(event(null, 'GET', '/espace', false, true)))).toBe(
			'303 /connexion?redirectTo=%2Fespace&session=finie'
		);
		expect(await thrown(() => requireUser(event(null, 'GET', '/espace')))).toBe(
			'303 /connexion?redirectTo=%2Fespace'
		);
	});

	it('sends a form posted by the browser back to its page, not to its action', async () => {
		expect(
			await thrown(() => requireUser(event(null, 'POST', '/admin/plan/objectifs/4?/enregistrer')))
		).toBe('303 /connexion?redirectTo=%2Fadmin%2Fplan%2Fobjectifs%2F4');
	});

	// Brief s51: a page opened with a cookie no longer valid leads to /connexion?…&session=finie,
	// which says the session ended; the alert of a form sent by script offered a plain /connexion.
	it('tells the alert of a form sent by script that its session ended only when a cookie no longer valid came', async () => {
		const body = async (sessionEnded: boolean) => {
			try {
				requireUser(event(null, 'POST', '/espace/fiches/9-1/suivi?/brouillon', true, sessionEnded));
			} catch (caught) {
				if (isHttpError(caught)) return { status: caught.status, ...caught.body };
				throw caught;
			}
			return null;
		};
		expect(await body(true)).toMatchObject({ status: 401, signIn: true, sessionEnded: true });
		expect(await body(false)).toMatchObject({ status: 401, signIn: true });
		expect(await body(false)).not.toHaveProperty('sessionEnded');
	});

	it('answers a form sent by the page’s script 401, with a message for its alert', async () => {
		const answer = await thrown(() =>
			requireUser(event(null, 'POST', '/admin/plan/fiches/1-1?/enregistrer', true))
		);
		expect(answer).toMatch(
			/^401 Votre session a pris fin .*votre saisie est conservée.* \[se connecter\]$/
		);
	});
});

describe('authorize, signed in with an account that may not', () => {
	it('journals the refusal and answers a page 403 with the general message', async () => {
		const before = journal.rows.length;
		expect(await thrown(() => authorize(event(PARTNER, 'GET', '/admin/plan'), 'plan.edit'))).toBe(
			'403 Vous n’avez pas les droits nécessaires pour accéder à cette page ou faire cette action.'
		);
		expect(journal.rows.length).toBe(before + 1);
	});

	it('answers a form sent by the page’s script 403, saying the typing is kept', async () => {
		const answer = await thrown(() =>
			authorize(event(PARTNER, 'POST', '/admin/plan/fiches/1-1?/enregistrer', true), 'plan.edit')
		);
		expect(answer).toMatch(
			/^403 Le compte connecté n’a pas les droits nécessaires .*votre saisie est conservée.* \[se connecter\]$/
		);
	});
});

describe('deny, with the reason a service gave', () => {
	const REASON = 'Votre organisation ne porte pas cette fiche et n’en est pas partenaire.';

	it('says the reason, not « another account », and does not offer to sign in', async () => {
		const url = '/espace/fiches/17-2/suivi?/enregistrer';
		expect(
			await thrown(() => deny(event(PARTNER, 'POST', url, true), PARTNER, 'update.save', REASON))
		).toBe(`403 ${REASON} Rien n’a été enregistré et votre saisie est conservée ci-dessous.`);
		expect(
			await thrown(() => deny(event(PARTNER, 'POST', url), PARTNER, 'update.save', REASON))
		).toBe(`403 ${REASON}`);
	});
});
