import { isRedirect } from '@sveltejs/kit';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestUser, PEOPLE } from '$lib/server/auth/testing';
import type { User } from '$lib/server/auth/users';
import type { Db } from '$lib/server/db';
import { closeDatabase } from '$lib/server/db/instance';
import { createTestInstance } from '$lib/server/db/testing';
import { findFicheByCode } from '$lib/server/plan/repository';
import {
	reviewProgressUpdate,
	saveProgressUpdate,
	setFicheStatus
} from '$lib/server/progress/service';
import { createPartner, progressInput } from '$lib/server/progress/testing';
import * as review from './admin/suivis/[id=id]/+page.server';
import { idRoute, postAction, routeEvent, withSession } from './route-testing';

// The staff's review page of a submitted update, through the route's own load.

let db: Db;
let admin: User;
let partner: User;

beforeEach(async () => {
	db = await createTestInstance();
	admin = await createTestUser(db, PEOPLE.admin);
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
	return (await review.load(
		routeEvent(
			`/admin/suivis/${id}`,
			'/admin/suivis/[id=id]',
			{ id: String(id) },
			await withSession(db, admin)
		)
	)) as {
		published?: { progress: number | null };
		superseded?: { status: string | null; progress: string | null };
	};
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
			superseded: { status: '2026-05-01', progress: '2026-05-01' }
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
			superseded: { status: null, progress: null }
		});
		await reviewProgressUpdate(
			db,
			admin,
			{ updateId: latest, version: 1, decision: 'validate', comment: '' },
			null
		);
	});

	it('after a status set by Lot numérique, says the status is kept but not the advancement (review)', async () => {
		const set = async (status: 'suspendue' | 'en_cours', day: string) =>
			setFicheStatus(
				db,
				admin,
				'9-1',
				{
					status,
					shownStatus: (await findFicheByCode(db, '9-1'))!.status,
					reason: 'Décision de la commission',
					decisionId: null
				},
				null,
				new Date(`${day}T10:00:00Z`)
			);
		expect((await set('suspendue', '2026-07-10')).ok).toBe(true);
		const older = await submitted('2026-07-01', 60);
		expect((await page(older)).superseded).toEqual({ status: '2026-07-10', progress: null });
		await reviewProgressUpdate(
			db,
			admin,
			{ updateId: older, version: 1, decision: 'validate', comment: '' },
			null
		);
		expect(await findFicheByCode(db, '9-1')).toMatchObject({ status: 'suspendue', progress: 60 });
		// The same day as a status set afterwards: the later one (by id) keeps the status, said so.
		const sameDay = await submitted('2026-08-01', 70);
		expect((await set('en_cours', '2026-08-01')).ok).toBe(true);
		expect((await page(sameDay)).superseded).toEqual({ status: '2026-08-01', progress: null });
	});
});

describe('« Valider » on the review page', () => {
	// Probe s43, finding 2: a comment crafted into « Valider » (the form has no such field) was
	// e-mailed to the organisation and kept nowhere.
	it('reads no comment: the validated mail goes without the one posted', async () => {
		// A colleague with a password: an account that receives the organisation's mail.
		await createTestUser(db, PEOPLE.chloe);
		const saved = await saveProgressUpdate(
			db,
			partner,
			'5-1',
			null,
			progressInput({ reportedOn: '2026-09-01', progress: 80 }),
			null
		);
		if (!saved.ok) throw new Error(saved.message);
		const id = saved.value.id;
		const sent = await Promise.resolve(
			postAction(
				review.actions.valider,
				idRoute('/admin/suivis/[id=id]', id),
				await withSession(db, admin),
				{ version: '1', comment: 'Note interne H43' }
			)
		).catch((thrown: unknown) => thrown);
		expect(isRedirect(sent)).toBe(true);
		const mails = await db
			.selectFrom('mail_outbox')
			.select(['subject', 'text_body as text', 'html_body as html'])
			.where('kind', '=', 'validated')
			.where('subject', 'like', '%5-1%')
			.orderBy('id', 'desc')
			.execute();
		expect(mails.length).toBeGreaterThan(0);
		expect(mails[0]!.text).toContain('a été validée');
		expect(JSON.stringify(mails)).not.toContain('Note interne H43');
	});
});
