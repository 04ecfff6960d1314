import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { heldSitting } from '$lib/server/commission/testing';
import { parisToday } from '$lib/utils/dates';
import { actions as sitting } from './commission/seances/[id=id]/+page.server';
import { adminDatabase, formAnswer, idRoute, postAction } from './route-testing';

// Merge review s50: a held séance given today an hour that would keep it from being closed was
// refused by the save, but not told with the form's other problems when another field failed too.

const portal = adminDatabase();

describe('a held séance corrected with an hour that keeps it from closing', () => {
	// Noon in Paris: a séance announced at 23:59 could not be closed before 22:59.
	beforeEach(() => {
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(new Date('2026-06-10T10:00:00Z'));
	});
	afterEach(() => vi.useRealTimers());

	it('says the hour with the other fields’ problems', async () => {
		const today = parisToday();
		const { sittingId: id } = await heldSitting(portal.db, portal.admin, { heldOn: today });
		const fields = { held_on: today, starts_at: '23:59', place: '', title: 'Commission' };
		const answer = await formAnswer(() =>
			postAction(sitting.edit, idRoute('/commission/seances/[id=id]', id), portal.admin, fields)
		);
		expect(answer.status).toBe(400);
		expect(Object.keys(answer.errors)).toEqual(expect.arrayContaining(['place', 'starts_at']));
	});
});
