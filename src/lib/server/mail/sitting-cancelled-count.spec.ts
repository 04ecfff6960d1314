import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { createTestUser, PEOPLE } from '../auth/testing';
import type { User } from '../auth/users';
import { addAgendaFiches, createSitting, deleteSitting } from '../commission/service';
import { conveneSitting } from './notifications';
import { savePreferences } from './preferences-repository';
import { startMailTest, type MailTest } from './test-context';

let db: Db;
let mail: MailTest;
let partner: User;
let colleague: User;
let member: User;
let clock = Date.parse('2026-02-27T09:00:00Z');

beforeEach(async () => {
	clock = Date.parse('2026-02-27T09:00:00Z');
	mail = await startMailTest(() => clock + 1);
	db = mail.db;
	await createTestUser(db, PEOPLE.admin);
	partner = await createTestUser(db, PEOPLE.paul);
	colleague = await createTestUser(db, PEOPLE.chloe);
	member = await createTestUser(db, PEOPLE.claude);
});
afterEach(() => mail.close());

// Review s43, second read-back: the count told to the deleter of a convened séance included the
// people who had turned the commission's mail off.
describe('a convened séance deleted: the count told to its deleter', () => {
	it('counts only the people the cancellation was written to', async () => {
		const created = await createSitting(
			db,
			member,
			{ heldOn: '2026-03-01', startsAt: null, place: 'Cahors', title: 'Séance' },
			null
		);
		if (!created.ok) throw new Error('no sitting');
		const id = created.value.id;
		await addAgendaFiches(db, member, id, ['9-1'], null);
		await conveneSitting(db, member, id, null, clock);
		await mail.deliver();
		// Both partners turn the commission's messages off after their convocation.
		for (const p of [partner, colleague])
			await savePreferences(
				db,
				p.id,
				{ reminders: true, validations: true, commission: false },
				clock
			);
		const result = await deleteSitting(db, member, id, null, new Date(clock));
		const delivered = (await mail.deliver()).map((m) => m.envelopeTo[0]);
		expect(delivered).toEqual(['claude@commission.fr']);
		// The page then says « Son annulation a été envoyée à N personnes convoquées ».
		expect(result).toEqual({ ok: true, value: { convened: true, told: delivered.length } });
	});
});
