import type { Cookies } from '@sveltejs/kit';
import { afterAll, beforeEach } from 'vitest';
import type { Session } from '$lib/server/auth/sessions';
import type { User } from '$lib/server/auth/users';
import { insertAdmin } from '$lib/server/authoring/testing';
import type { Db } from '$lib/server/db';
import { closeDatabase } from '$lib/server/db/instance';
import { createTestInstance } from '$lib/server/db/testing';

const cookies = {
	get: () => undefined,
	getAll: () => [],
	set: () => undefined,
	delete: () => undefined,
	serialize: () => ''
} as unknown as Cookies;

/**
 * The request event a route's `load` or action receives, signed in as `user` (tests that call a
 * route's own code, its guard included): GET, or POST with `form`.
 */
export function routeEvent(
	path: string,
	route: string,
	params: Record<string, string>,
	signedIn: { user: User; session: Session },
	form?: FormData
) {
	const url = new URL(`http://localhost${path}`);
	return {
		request: form ? new Request(url, { method: 'POST', body: form }) : new Request(url),
		url,
		params,
		locals: { ...signedIn, requestId: 'test' },
		cookies,
		getClientAddress: () => '127.0.0.1',
		route: { id: route },
		setHeaders: () => undefined,
		isDataRequest: false,
		isSubRequest: false
	} as never;
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
		opened.admin = await insertAdmin(opened.db);
	});
	afterAll(closeDatabase);
	return opened;
}
