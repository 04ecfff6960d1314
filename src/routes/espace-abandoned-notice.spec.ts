import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '$lib/server/auth/sessions';
import type { User } from '$lib/server/auth/users';
import type { Db } from '$lib/server/db';
import { closeDatabase, initDatabase } from '$lib/server/db/instance';
import { saveProgressUpdate } from '$lib/server/progress/service';
import { createPartner, progressInput } from '$lib/server/progress/testing';
import * as espace from './espace/+page.server';
import { routeEvent } from './route-testing';

// A partner's-year review: submitted from a form opened before the fiche was abandoned, the
// update's « soumise » notice on /espace said nothing of the abandonment the form now tells.

let db: Db;
let partner: User;
let submittedId: number;

beforeAll(async () => {
	db = await initDatabase(':memory:');
	partner = await createPartner(db, 'cdg46', 'claire@cdg46.fr');
	const saved = await saveProgressUpdate(
		db,
		partner,
		'9-1',
		null,
		progressInput({ intent: 'submit', done: 'ENT déployé dans 12 collèges.' }),
		null
	);
	if (!saved.ok) throw new Error(saved.message);
	submittedId = saved.value.id;
});
afterAll(closeDatabase);

async function home(search: string) {
	const { session } = await createSession(db, partner.id);
	const event = routeEvent(`/espace${search}`, '/espace', {}, { user: partner, session });
	return (await espace.load(event)) as { confirmation: { ficheRetiredOn: string | null } | null };
}

describe('the notice of an update just submitted', () => {
	it('says nothing of an abandonment while the fiche is live, and gives its day once abandoned', async () => {
		expect((await home(`?soumis=${submittedId}`)).confirmation).toMatchObject({
			ficheRetiredOn: null
		});
		await db
			.updateTable('fiche')
			.set({ retired_on: '2026-12-01' })
			.where('code', '=', '9-1')
			.execute();
		expect((await home(`?soumis=${submittedId}`)).confirmation).toMatchObject({
			ficheRetiredOn: '2026-12-01'
		});
	});
});
