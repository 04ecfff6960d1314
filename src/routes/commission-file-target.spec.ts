import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createSession } from '$lib/server/auth/sessions';
import { createTestUser, PEOPLE } from '$lib/server/auth/testing';
import { heldSitting } from '$lib/server/commission/testing';
import type { Db } from '$lib/server/db';
import { closeDatabase } from '$lib/server/db/instance';
import { createTestInstance } from '$lib/server/db/testing';
import { load } from './commission/seances/[id=id]/fiches/[code=fiche]/+page.server';
import { routeEvent } from './route-testing';

let db: Db;
beforeEach(async () => {
	db = await createTestInstance();
});
afterAll(closeDatabase);

// Walkthrough s47: the commission's file of 5-1 listed « aucune valeur » for its indicator but not
// its target (« Cible : 50 » on the fiche's page).
describe('the commission’s file of a fiche', () => {
	it('gives each indicator its target, for the page to say beside its values', async () => {
		const admin = await createTestUser(db, PEOPLE.admin);
		await db
			.updateTable('indicator')
			.set({ target: 50, target_date: '2027-12-31' })
			.where('fiche_id', '=', db.selectFrom('fiche').select('id').where('code', '=', '5-1'))
			.execute();
		const { sittingId } = await heldSitting(db, admin, { fiches: ['5-1'] });
		const { session } = await createSession(db, admin.id);
		const id = String(sittingId);
		const file = (await load(
			routeEvent(
				`/commission/seances/${id}/fiches/5-1`,
				'/commission/seances/[id=id]/fiches/[code=fiche]',
				{ id, code: '5-1' },
				{ user: admin, session }
			)
		)) as unknown as { measurements: { target: number | null; targetDate: string | null }[] };
		expect(file.measurements[0]).toMatchObject({ target: 50, targetDate: '2027-12-31' });
	});
});
