import { describe, expect, it } from 'vitest';
import { createTestUser, PEOPLE } from '$lib/server/auth/testing';
import type { User } from '$lib/server/auth/users';
import { saveProgressUpdate } from '$lib/server/progress/service';
import { progressInput } from '$lib/server/progress/testing';
import { load } from './+page.server';
import { adminDatabase, routeEvent } from '../../../../route-testing';

// Reviewer's walk: a link with `enregistre=` or `retiree=` said its confirmation whatever the
// journal held (« La mise à jour validée entre-temps… » on a draft only ever saved).

const portal = adminDatabase();
const AN_HOUR_AGO = new Date(Date.now() - 60 * 60 * 1000);

/** Paul's draft of 9-1, saved an hour ago: its id. */
async function draftSavedEarlier(): Promise<{ paul: User; id: number }> {
	const paul = await createTestUser(portal.db, PEOPLE.paul);
	const input = progressInput({ intent: 'draft' });
	const saved = await saveProgressUpdate(portal.db, paul, '9-1', null, input, null, AN_HOUR_AGO);
	if (!saved.ok) throw new Error(saved.message);
	return { paul, id: saved.value.id };
}

/** The form page's load at that address (the template reads its confirmation from `data`). */
async function shown(
	paul: User,
	query: string
): Promise<{ saved: string | null; withdrawn: boolean }> {
	return (await load(
		routeEvent(
			`/espace/fiches/9-1/suivi?${query}`,
			'/espace/fiches/[code=fiche]/suivi',
			{ code: '9-1' },
			paul
		)
	)) as { saved: string | null; withdrawn: boolean };
}

describe('the progress form’s confirmations read from the address', () => {
	it('says none the journal does not hold by this person on this update within ten minutes', async () => {
		const { paul, id } = await draftSavedEarlier();
		for (const key of ['nouvelle', 'deja', '1', 'xyz']) {
			expect((await shown(paul, `brouillon=${id}&enregistre=${key}`)).saved).toBeNull();
		}
		expect((await shown(paul, `brouillon=${id}&retiree=1`)).withdrawn).toBe(false);
	});

	it('says a save just journaled, but not as a save as new', async () => {
		const { paul, id } = await draftSavedEarlier();
		const again = progressInput({ intent: 'draft', version: 1, progress: 40 });
		const saved = await saveProgressUpdate(portal.db, paul, '9-1', id, again, null);
		if (!saved.ok) throw new Error(saved.message);
		expect((await shown(paul, `brouillon=${id}&enregistre=1`)).saved).toBe('1');
		expect((await shown(paul, `brouillon=${id}&enregistre=nouvelle`)).saved).toBeNull();
		expect((await shown(paul, `brouillon=${id}&enregistre=xyz`)).saved).toBeNull();
	});
});

describe('the form’s « déjà en cours : la voici » (`reprise=1`)', () => {
	it('is said over the organisation’s open update, never on a new form', async () => {
		const paul = await createTestUser(portal.db, PEOPLE.paul);
		const empty = (await shown(paul, 'reprise=1')) as { resumed?: boolean };
		expect(empty.resumed).toBe(false);
		const input = progressInput({ intent: 'draft' });
		const saved = await saveProgressUpdate(portal.db, paul, '9-1', null, input, null);
		if (!saved.ok) throw new Error(saved.message);
		const open = (await shown(paul, `brouillon=${saved.value.id}&reprise=1`)) as {
			resumed?: boolean;
		};
		expect(open.resumed).toBe(true);
	});
});
