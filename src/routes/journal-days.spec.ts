import { describe, expect, it } from 'vitest';
import { createSession } from '$lib/server/auth/sessions';
import {
	DENIALS_JOURNALED_PER_DAY,
	listAuditTallies,
	recordAudit,
	recordBounded
} from '$lib/server/audit/repository';
import { load } from './admin/journal/+page.server';
import { adminDatabase, routeEvent } from './route-testing';

// The journal's days are days in Paris, as every moment it shows (00:30 on 5 December there is
// 23:30 UTC on the 4th).

const portal = adminDatabase();

describe('the journal’s days', () => {
	it('bound refusals per day in Paris, and count them under that day', async () => {
		const refuse = (at: string) =>
			portal.db.transaction().execute((trx) =>
				recordBounded(
					trx,
					{
						actor: portal.admin,
						action: 'update.conflict',
						summary: 'Enregistrement refusé',
						clientAddress: null
					},
					'update.conflict',
					new Date(at)
				)
			);
		// 23:30 in Paris on 4 December: the day's bound used up; 00:30 on the 5th: a new day.
		for (let i = 0; i < DENIALS_JOURNALED_PER_DAY; i++) await refuse('2026-12-04T22:30:00Z');
		await refuse('2026-12-04T23:30:00Z');
		const { n } = await portal.db
			.selectFrom('audit_event')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('action', '=', 'update.conflict')
			.executeTakeFirstOrThrow();
		expect(Number(n)).toBe(DENIALS_JOURNALED_PER_DAY + 1);
		for (let i = 0; i < DENIALS_JOURNALED_PER_DAY; i++) await refuse('2026-12-04T23:40:00Z');
		expect((await listAuditTallies(portal.db)).map((t) => t.day)).toEqual(['2026-12-05']);
	});

	it('« du 5 décembre » finds what happened at 00:30 there, « au 4 décembre » does not', async () => {
		await recordAudit(
			portal.db,
			{
				actor: portal.admin,
				action: 'logout',
				summary: 'Déconnexion à minuit et demie',
				clientAddress: null
			},
			new Date('2026-12-04T23:30:00Z')
		);
		const page = async (query: string) => {
			const { session } = await createSession(portal.db, portal.admin.id);
			const data = (await load(
				routeEvent(`/admin/journal?${query}`, '/admin/journal', {}, { user: portal.admin, session })
			)) as { entries: { summary: string }[] };
			return data.entries.filter((e) => e.summary.startsWith('Déconnexion à minuit'));
		};
		expect(await page('du=2026-12-05&au=2026-12-05')).toHaveLength(1);
		expect(await page('du=2026-12-04&au=2026-12-04')).toHaveLength(0);
	});
});
