import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestUser } from '../auth/testing';
import type { User } from '../auth/users';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import {
	CATEGORIES_BY_ROLE,
	categoryLabel,
	mailPreferences,
	updateMailPreferences
} from './preferences';
import { activeRecipients } from './preferences-repository';

let db: Db;
let user: User;
beforeEach(async () => {
	db = await createTestDb({ seed: false });
	user = await createTestUser(db, {
		email: 'claire@lot.fr',
		name: 'Claire',
		role: 'commission',
		password: null
	});
});
afterEach(async () => {
	await db.destroy();
});

const ALL_ON = { reminders: true, validations: true, commission: true };

describe('mail preferences saved unchanged', () => {
	it('write nothing, and no row of the journal', async () => {
		const journal = () =>
			db.selectFrom('audit_event').select('id').where('action', '=', 'mail.preferences').execute();
		for (let n = 0; n < 3; n++)
			expect(
				await updateMailPreferences(db, user, { preferences: ALL_ON, shown: ALL_ON }, null)
			).toEqual({ ok: true, value: { preferences: ALL_ON, kept: [] } });
		expect(await journal()).toHaveLength(0);
		await updateMailPreferences(
			db,
			user,
			{ preferences: { ...ALL_ON, commission: false }, shown: ALL_ON },
			null
		);
		expect(await journal()).toHaveLength(1);
	});
});

describe('mail preferences from two tabs', () => {
	it('a tab opened earlier saves only the boxes it changed, and says which it kept', async () => {
		// Tab A turns the reminders off.
		const a = await updateMailPreferences(
			db,
			user,
			{ preferences: { ...ALL_ON, reminders: false }, shown: ALL_ON },
			null
		);
		expect(a).toMatchObject({ ok: true, value: { kept: [] } });
		// Tab B, opened before, still shows them on, and turns the commission's off.
		const b = await updateMailPreferences(
			db,
			user,
			{ preferences: { ...ALL_ON, commission: false }, shown: ALL_ON },
			null
		);
		expect(b).toEqual({
			ok: true,
			value: {
				preferences: { reminders: false, validations: true, commission: false },
				kept: ['reminders']
			}
		});
		expect(await mailPreferences(db, user)).toEqual({
			reminders: false,
			validations: true,
			commission: false
		});
		// A box changed here wins over the same box changed there; without what the page showed,
		// every box is taken as sent.
		await updateMailPreferences(
			db,
			user,
			{ preferences: ALL_ON, shown: { ...ALL_ON, reminders: false } },
			null
		);
		expect((await mailPreferences(db, user)).reminders).toBe(true);
		await updateMailPreferences(db, user, { preferences: ALL_ON, shown: null }, null);
		expect(await mailPreferences(db, user)).toEqual(ALL_ON);
	});
});

describe('categories by role', () => {
	it('journals a member’s choice in the one category a member is written to', async () => {
		await updateMailPreferences(
			db,
			user,
			{ preferences: { ...ALL_ON, reminders: false }, shown: null },
			null
		);
		const { summary } = await db
			.selectFrom('audit_event')
			.select('summary')
			.where('action', '=', 'mail.preferences')
			.executeTakeFirstOrThrow();
		expect(summary).toBe(
			'Notifications reçues : Commission : convocations, ordres du jour et relevés de décisions'
		);
		expect(CATEGORIES_BY_ROLE.admin.map((c) => categoryLabel(c, 'admin'))).toEqual([
			'Mises à jour soumises par les partenaires, à relire (un récapitulatif par heure au plus)'
		]);
		expect(CATEGORIES_BY_ROLE.partenaire).toEqual(['reminders', 'validations', 'commission']);
	});
});

describe('recipients', () => {
	it('are never a disabled account nor an invitation not yet accepted, whoever is asked for', async () => {
		const org = await db
			.insertInto('organisation')
			.values({ slug: 'cdg46', name: 'CDG46', full_name: null, kind: 'syndicat_mixte' })
			.returning('id')
			.executeTakeFirstOrThrow();
		const account = async (email: string, role: 'commission' | 'partenaire', disabled = false) =>
			(
				await createTestUser(db, {
					email,
					name: email,
					role,
					organisation: role === 'partenaire' ? 'cdg46' : null,
					disabledAt: disabled ? '2026-03-01T00:00:00.000Z' : undefined
				})
			).id;
		const member = await account('membre@lot.fr', 'commission');
		const gone = await account('parti@lot.fr', 'commission', true);
		const partner = await account('paul@cdg46.fr', 'partenaire');
		const left = await account('partie@cdg46.fr', 'partenaire', true);
		const emails = async (who: Parameters<typeof activeRecipients>[1]) =>
			(await activeRecipients(db, who)).map((r) => r.email);
		// Claire (beforeEach) has no password yet: an invitation, not a recipient either.
		expect(await emails({ role: 'commission' })).toEqual(['membre@lot.fr']);
		expect(await emails({ organisationId: org.id })).toEqual(['paul@cdg46.fr']);
		expect(await emails({ userIds: [user.id, member, gone, partner, left] })).toEqual([
			'membre@lot.fr',
			'paul@cdg46.fr'
		]);
	});
});
