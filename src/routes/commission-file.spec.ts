import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '$lib/server/auth/sessions';
import { findUserById, insertUser, type User } from '$lib/server/auth/users';
import { openCampaign } from '$lib/server/campaigns/service';
import { addAgendaFiches, createSitting } from '$lib/server/commission/service';
import type { Db } from '$lib/server/db';
import { closeDatabase, initDatabase } from '$lib/server/db/instance';
import { reviewProgressUpdate, saveProgressUpdate } from '$lib/server/progress/service';
import { createPartner, progressInput } from '$lib/server/progress/testing';
import { parisDate } from '$lib/utils/dates';
import { load } from './commission/seances/[id=id]/fiches/[code=fiche]/+page.server';
import { routeEvent } from './route-testing';

// The commission's file of a fiche on an agenda, read by the route's own load as each role.

let db: Db;

async function fileAs(user: User, sittingId: number, code: string) {
	const { session } = await createSession(db, user.id);
	const id = String(sittingId);
	return (await load(
		routeEvent(
			`/commission/seances/${id}/fiches/${code}`,
			'/commission/seances/[id=id]/fiches/[code=fiche]',
			{ id, code },
			{ user, session }
		)
	)) as { campaigns: { organisations: { name: string; label: string }[] }[] };
}

async function staff(role: 'admin' | 'commission', email: string): Promise<User> {
	const id = await insertUser(db, {
		email,
		name: email,
		role,
		organisationId: null,
		passwordHash: null
	});
	return (await findUserById(db, id))!;
}

beforeAll(async () => {
	db = await initDatabase(':memory:');
});
afterAll(closeDatabase);

describe('the commission’s file of a fiche', () => {
	it('tells a partner their own organisation’s state in a campaign, not how staff judged another’s update', async () => {
		// 6-1: CDG46 and the Département du Lot both work on it.
		const admin = await staff('admin', 'anne@lot.fr');
		const member = await staff('commission', 'marc@lot.fr');
		const cdg = await createPartner(db, 'cdg46', 'paul@cdg46.fr');
		const dep = await createPartner(db, 'departement-du-lot', 'dora@lot.fr');
		const now = Date.now();
		const opened = await openCampaign(
			db,
			admin,
			{
				title: 'Campagne',
				deadline: parisDate(new Date(now + 30 * 86_400_000)),
				scope: { kind: 'all' },
				sittingId: null,
				reminders: '-3'
			},
			null,
			now
		);
		if (!opened.ok) throw new Error(opened.message);
		const sent = await saveProgressUpdate(
			db,
			dep,
			'6-1',
			null,
			progressInput({ reportedOn: parisDate(new Date(now)) }),
			null
		);
		if (!sent.ok) throw new Error(sent.message);
		const returned = await reviewProgressUpdate(
			db,
			admin,
			{ updateId: sent.value.id, version: 1, decision: 'return', comment: 'À reprendre.' },
			null
		);
		expect(returned.ok).toBe(true);
		const sitting = await createSitting(
			db,
			admin,
			{ heldOn: parisDate(new Date(now + 40 * 86_400_000)), place: 'Cahors', title: 'Séance' },
			null
		);
		if (!sitting.ok) throw new Error(sitting.message);
		await addAgendaFiches(db, admin, sitting.value.id, ['6-1'], null);

		const byMember = (await fileAs(member, sitting.value.id, '6-1')).campaigns[0]!.organisations;
		expect(byMember).toContainEqual({
			name: 'Département du Lot',
			label: 'renvoyée (à reprendre)'
		});
		expect(byMember.length).toBeGreaterThan(1);
		const byPartner = (await fileAs(cdg, sitting.value.id, '6-1')).campaigns[0]!.organisations;
		expect(byPartner).toEqual([{ name: 'CDG46', label: expect.any(String) }]);
	});
});
