import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { createTestUser, PEOPLE } from '../auth/testing';
import type { User } from '../auth/users';
import { addAgendaFiches, createSitting } from '../commission/service';
import { findSitting } from '../commission/repository';
import { conveneSitting } from './notifications';
import { savePreferences } from './preferences-repository';
import { startMailTest, type MailTest } from './test-context';

let db: Db;
let mail: MailTest;
let member: User;
let clock = Date.parse('2026-03-02T09:00:00Z');

beforeEach(async () => {
	clock = Date.parse('2026-03-02T09:00:00Z');
	mail = await startMailTest(() => clock + 1);
	db = mail.db;
	await createTestUser(db, PEOPLE.admin);
	await createTestUser(db, PEOPLE.paul);
	await createTestUser(db, PEOPLE.chloe);
	member = await createTestUser(db, PEOPLE.claude);
});
afterEach(() => mail.close());

async function convenedSitting() {
	const created = await createSitting(
		db,
		member,
		{ heldOn: '2026-03-20', startsAt: null, place: 'Cahors', title: 'Séance' },
		null
	);
	if (!created.ok) throw new Error('no sitting');
	const id = created.value.id;
	await addAgendaFiches(db, member, id, ['9-1'], null);
	return id;
}

// Who a convocation sent again reaches (review of session 39).
describe('a convocation sent again', () => {
	it('convenes a member who had turned the commission’s messages off and turned them on again', async () => {
		const nadia = await createTestUser(db, {
			email: 'nadia@commission.fr',
			name: 'Nadia Commission',
			role: 'commission'
		});
		await savePreferences(
			db,
			nadia.id,
			{ reminders: true, validations: true, commission: false },
			clock
		);
		const id = await convenedSitting();
		expect(await conveneSitting(db, member, id, null, clock)).toMatchObject({
			ok: true,
			value: { optedOut: 1 }
		});
		await mail.deliver();
		// Pressed again while she still turns them off: nothing to write, refused (no journal row).
		const unchanged = await conveneSitting(
			db,
			member,
			id,
			null,
			clock,
			(await findSitting(db, id))!.convenedAt
		);
		expect(unchanged).toMatchObject({ ok: false, status: 409 });
		expect(!unchanged.ok && unchanged.message).toMatch(
			/ne reçoivent pas les messages de la commission/
		);
		// She wants the commission's messages again: pressing « Envoyer la convocation » should reach her.
		await savePreferences(
			db,
			nadia.id,
			{ reminders: true, validations: true, commission: true },
			clock
		);
		const sent = (await findSitting(db, id))!.convenedAt;
		const again = await conveneSitting(db, member, id, null, clock, sent);
		// No mail was written to her: she is not among those convened.
		expect(again).toMatchObject({ ok: true, value: { members: 1 } });
		expect((await mail.deliver()).map((m) => m.envelopeTo[0])).toEqual(['nadia@commission.fr']);
	});

	it('does not tell a former member (now an administrator) that « vos fiches ne sont plus à l’ordre du jour »', async () => {
		const nadia = await createTestUser(db, {
			email: 'nadia@commission.fr',
			name: 'Nadia Commission',
			role: 'commission'
		});
		const id = await convenedSitting();
		await conveneSitting(db, member, id, null, clock);
		await mail.deliver();
		// She leaves the commission: now one of Lot numérique's administrators.
		await db
			.updateTable('user_account')
			.set({ role: 'admin' })
			.where('id', '=', nadia.id)
			.execute();
		const sent = (await findSitting(db, id))!.convenedAt;
		await conveneSitting(db, member, id, null, clock, sent);
		const mails = await mail.deliver();
		const toNadia = mails.filter((m) => m.envelopeTo[0] === 'nadia@commission.fr');
		// She was convened as a member: « vos fiches » never were hers.
		expect(toNadia.map((m) => m.mail.subject)).not.toContainEqual(
			expect.stringContaining('vos fiches ne sont plus à l’ordre du jour')
		);
	});

	it('does not tell everyone « L’ordre du jour a changé » when a séance convened before 2026-12-05 is convened again unchanged', async () => {
		const id = await convenedSitting();
		await conveneSitting(db, member, id, null, clock);
		await mail.deliver();
		// A row written before its agenda and recipients were recorded: the facts only.
		const facts = { title: 'Séance', heldOn: '2026-03-20', startsAt: null, place: 'Cahors' };
		await db
			.updateTable('commission_session')
			.set({ convened_as: JSON.stringify(facts) })
			.where('id', '=', id)
			.execute();
		const sent = (await findSitting(db, id))!.convenedAt;
		expect((await conveneSitting(db, member, id, null, clock, sent)).ok).toBe(true);
		const texts = (await mail.deliver()).map((m) => m.mail.text);
		expect(texts.length).toBeGreaterThan(0);
		// Whether the agenda changed is not known: it is not said.
		for (const text of texts) expect(text).not.toContain('L’ordre du jour a changé');
	});
});
