import type { Cookies } from '@sveltejs/kit';
import { afterAll, beforeEach } from 'vitest';
import { createSession, type Session } from '$lib/server/auth/sessions';
import type { User } from '$lib/server/auth/users';
import { createTestUser, PEOPLE } from '$lib/server/auth/testing';
import type { Db } from '$lib/server/db';
import { closeDatabase } from '$lib/server/db/instance';
import { createTestInstance } from '$lib/server/db/testing';
import { insertPasswordReset } from '$lib/server/auth/recovery-repository';
import { newSplitToken } from '$lib/server/auth/tokens';
import { RESET_LIFETIME_MS } from '$lib/utils/rules';

const cookies = {
	get: () => undefined,
	getAll: () => [],
	set: () => undefined,
	delete: () => undefined,
	serialize: () => ''
} as unknown as Cookies;

/**
 * The request event a route's `load` or action receives, signed in (tests that call a route's own
 * code, its guard included): GET, HEAD (which SvelteKit answers with the page's `load`, as GET),
 * or POST with `sent`, a form (`byScript`: sent by the page's script, use:enhance, which marks the
 * request). `signedIn`: a user with a session of the base, or a user alone, under a session the
 * base does not hold (only the sign-out and account pages read it).
 */
export function routeEvent(
	path: string,
	route: string,
	params: Record<string, string>,
	signedIn: User | { user: User; session: Session },
	sent?: FormData | 'HEAD',
	byScript = false
) {
	const by = 'session' in signedIn ? signedIn : { user: signedIn, session: { id: 'test' } };
	const url = new URL(`http://localhost${path}`);
	return {
		request:
			sent === undefined
				? new Request(url)
				: sent === 'HEAD'
					? new Request(url, { method: 'HEAD' })
					: new Request(url, {
							method: 'POST',
							body: sent,
							headers: byScript ? { 'x-sveltekit-action': 'true' } : {}
						}),
		url,
		params,
		locals: { ...by, requestId: 'test' },
		cookies,
		getClientAddress: () => '127.0.0.1',
		route: { id: route },
		setHeaders: () => undefined,
		isDataRequest: false,
		isSubRequest: false
	} as never;
}

/** `user` signed in under a session of the base, as `routeEvent` and `postAction` take it. */
export async function withSession(db: Db, user: User): Promise<{ user: User; session: Session }> {
	const { session } = await createSession(db, user.id);
	return { user, session };
}

/** Where a page of `route` (a route with an `[id=id]` parameter) stands for `id`. */
export function idRoute(route: string, id: number | string) {
	return { path: route.replace('[id=id]', String(id)), route, params: { id: String(id) } };
}

/**
 * A form posted to a route's action as the browser sends it, `fields` in their order (the order of
 * the page's fields), by `signedIn` (as `routeEvent` takes it); `byScript`, by the page's script
 * (use:enhance) rather than the browser alone. Returns what the action returns; a redirect or
 * error it throws is thrown (`routeAnswer` reads both).
 */
export function postAction<T>(
	action: ((event: never) => T) | undefined,
	at: { path: string; route: string; params?: Record<string, string> },
	signedIn: User | { user: User; session: Session },
	fields: Record<string, string | File>,
	byScript = false
): T {
	if (action === undefined) throw new Error(`No such action at ${at.path}`);
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.set(name, value);
	return action(routeEvent(at.path, at.route, at.params ?? {}, signedIn, form, byScript));
}

/**
 * What a refused form answers (`refusalAnswer`, `readPostedForm`): its status beside its data,
 * the message above the form, the message under each field and what was typed.
 */
export async function formAnswer(
	act: () => unknown
): Promise<
	{ status: number; message: string; errors: Record<string, string> } & Record<string, unknown>
> {
	const answer = (await act()) as {
		status: number;
		data: { message: string; errors: Record<string, string> };
	};
	return { status: answer.status, ...answer.data };
}

/**
 * What a route's `load` or action answers, whether returned or thrown: its status (200 for a
 * page's data), the message of a refusal, and where a redirect leads.
 */
export async function routeAnswer(
	act: () => unknown
): Promise<{ status: number; message: string; signIn?: boolean; location?: string }> {
	try {
		const result = (await act()) as { status?: number; data?: { message?: string } } | undefined;
		return { status: result?.status ?? 200, message: result?.data?.message ?? '' };
	} catch (thrown) {
		const failure = thrown as {
			status?: number;
			body?: { message?: string; signIn?: boolean };
			location?: string;
		};
		if (failure.status === undefined) throw thrown;
		return {
			...failure.body,
			...(failure.location === undefined ? {} : { location: failure.location }),
			status: failure.status,
			message: failure.body?.message ?? ''
		};
	}
}

/**
 * Each test's own database — made the process's one (`createTestInstance`): a test's writes are
 * never seen by another, whatever their order — and the administrator who edits the plan in it;
 * closed after the file's last test. Read `db` and `admin` from the tests (set once each starts).
 */
export function adminDatabase(): { db: Db; admin: User } {
	const opened = {} as { db: Db; admin: User };
	beforeEach(async () => {
		opened.db = await createTestInstance();
		opened.admin = await createTestUser(opened.db, PEOPLE.admin);
	});
	afterAll(closeDatabase);
	return opened;
}

/** A new-password link for account `userId`, as « Mot de passe oublié » issues it: its token. */
export async function issuedResetToken(db: Db, userId: number): Promise<string> {
	const { id, token, secretHash } = newSplitToken();
	const now = Date.now();
	await insertPasswordReset(
		db,
		{ id, secretHash, userId, expiresAt: now + RESET_LIFETIME_MS },
		now
	);
	return token;
}
