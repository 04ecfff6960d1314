import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '$lib/server/auth/sessions';
import type { User } from '$lib/server/auth/users';
import { insertAdmin } from '$lib/server/authoring/testing';
import type { Db } from '$lib/server/db';
import { closeDatabase, initDatabase } from '$lib/server/db/instance';
import { reviewProgressUpdate, saveProgressUpdate } from '$lib/server/progress/service';
import { createPartner, progressInput } from '$lib/server/progress/testing';
import * as review from './admin/suivis/[id=id]/+page.server';
import { routeEvent } from './route-testing';

// The staff's review page of a submitted update, through the route's own load.

let db: Db;
let admin: User;
let partner: User;

beforeAll(async () => {
	db = await initDatabase(':memory:');
	admin = await insertAdmin(db);
	partner = await createPartner(db, 'cdg46', 'paul@cdg46.fr');
});
afterAll(closeDatabase);

async function submitted(reportedOn: string, progress: number): Promise<number> {
	const saved = await saveProgressUpdate(
		db,
		partner,
		'9-1',
		null,
		progressInput({ reportedOn, progress }),
		null
	);
	if (!saved.ok) throw new Error(saved.message);
	return saved.value.id;
}

async function page(id: number) {
	const { session } = await createSession(db, admin.id);
	return (await review.load(
		routeEvent(
			`/admin/suivis/${id}`,
			'/admin/suivis/[id=id]',
			{ id: String(id) },
			{
				user: admin,
				session
			}
		)
	)) as { published?: { progress: number | null }; laterPublished?: string | null };
}

describe('the review page of a submitted update', () => {
	it('shows what the fiche publishes today, and says when a later update is already published', async () => {
		const newer = await submitted('2026-05-01', 35);
		await reviewProgressUpdate(
			db,
			admin,
			{ updateId: newer, version: 1, decision: 'validate', comment: '' },
			null
		);
		const older = await submitted('2026-04-01', 10);
		expect(await page(older)).toMatchObject({
			published: { progress: 35, lastUpdate: '2026-05-01' },
			laterPublished: '2026-05-01'
		});
		await reviewProgressUpdate(
			db,
			admin,
			{ updateId: older, version: 1, decision: 'validate', comment: '' },
			null
		);
		// Validated, it changed nothing: the fiche still publishes 35 %.
		expect((await page(older)).published).toMatchObject({ progress: 35 });
		const latest = await submitted('2026-06-01', 10);
		expect(await page(latest)).toMatchObject({
			published: { progress: 35 },
			laterPublished: null
		});
	});
});
