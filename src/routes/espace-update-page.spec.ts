import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '$lib/server/auth/sessions';
import type { User } from '$lib/server/auth/users';
import type { Db } from '$lib/server/db';
import { closeDatabase, initDatabase } from '$lib/server/db/instance';
import { saveProgressUpdate } from '$lib/server/progress/service';
import { createPartner, progressInput } from '$lib/server/progress/testing';
import * as updatePage from './espace/suivis/[id=id]/+page.server';
import { routeEvent } from './route-testing';

// A partner's own update page, through the route's own action.

let db: Db;
let partner: User;

beforeAll(async () => {
	db = await initDatabase(':memory:');
	partner = await createPartner(db, 'cdg46', 'paul@cdg46.fr');
});
afterAll(closeDatabase);

describe('/espace/suivis/[id]', () => {
	it('answers a withdrawal without its version as every form does: message and errors', async () => {
		const saved = await saveProgressUpdate(db, partner, '9-1', null, progressInput({}), null);
		if (!saved.ok) throw new Error(saved.message);
		const { session } = await createSession(db, partner.id);
		const form = new FormData();
		form.set('version', 'x');
		const id = String(saved.value.id);
		const answer = (await updatePage.actions.retirer!(
			routeEvent(
				`/espace/suivis/${id}?/retirer`,
				'/espace/suivis/[id=id]',
				{ id },
				{ user: partner, session },
				form
			)
		)) as { status: number; data: { message: string; errors?: Record<string, string> } };
		expect(answer.status).toBe(400);
		expect(answer.data.message).toBe('Le formulaire est incomplet : rechargez la page.');
		expect(answer.data.errors).toEqual({ form: answer.data.message });
	});
});
