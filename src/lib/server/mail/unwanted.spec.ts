import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestUser, PEOPLE } from '../auth/testing';
import { changeAccountRole, setAccountDisabled } from '../auth/service';
import type { User } from '../auth/users';
import { findMessage } from './testing';
import { queueNotification } from './outbox';
import { updateMailPreferences } from './preferences';
import { startMailTest, type MailTest } from './test-context';

// A notification written while the relay was down waits, up to three days: by the time it can go,
// its account may have been disabled, or the person may have turned that category off.

let mail: MailTest;
let admin: User;
let partner: User;
const now = Date.parse('2026-03-02T09:00:00Z');

beforeEach(async () => {
	mail = await startMailTest(() => now + 60_000);
	admin = await createTestUser(mail.db, PEOPLE.admin);
	partner = await createTestUser(mail.db, PEOPLE.paul);
});
afterEach(() => mail.close());

const notify = () =>
	queueNotification(
		mail.db,
		'validated',
		'validations',
		partner,
		{
			subject: 'Mise à jour validée',
			greeting: 'Bonjour,',
			paragraphs: ['Votre mise à jour est validée.'],
			reason: 'Vous suivez les mises à jour de votre organisation.'
		},
		now
	);

describe('a notification waiting in the outbox', () => {
	it('is not sent to an account disabled since it was written, and says why', async () => {
		const id = (await notify())!;
		expect((await setAccountDisabled(mail.db, admin, partner.id, true, null)).ok).toBe(true);
		expect(await mail.deliver()).toEqual([]);
		expect(await findMessage(mail.db, id)).toMatchObject({
			status: 'cancelled',
			lastError:
				'Non envoyé : le compte du destinataire a été désactivé depuis que le message a été écrit.'
		});
	});

	it('is not sent once the person turned its category off, and still is for another category', async () => {
		const id = (await notify())!;
		const saved = await updateMailPreferences(
			mail.db,
			partner,
			{ preferences: { reminders: true, validations: false, commission: true }, shown: null },
			null
		);
		expect(saved.ok).toBe(true);
		const reminder = await queueNotification(
			mail.db,
			'campaign-reminder',
			'reminders',
			partner,
			{
				subject: 'Rappel',
				greeting: 'Bonjour,',
				paragraphs: ['Il reste trois jours.'],
				reason: 'Votre organisation porte une fiche de la campagne.'
			},
			now
		);
		const sent = await mail.deliver();
		expect(sent.map((m) => m.mail.subject)).toEqual(['Rappel']);
		expect(await findMessage(mail.db, id)).toMatchObject({
			status: 'cancelled',
			lastError:
				'Non envoyé : le destinataire a désactivé ces messages depuis que celui-ci a été écrit.'
		});
		expect((await findMessage(mail.db, reminder!))?.status).toBe('sent');
	});

	it('is not sent to a person moved to another organisation since: it was about the former one', async () => {
		const id = (await notify())!;
		const cdg = partner.organisationId;
		const moved = await changeAccountRole(
			mail.db,
			admin,
			partner.id,
			{ role: 'partenaire', organisation: 'sdail' },
			{ role: 'partenaire', organisationId: cdg },
			null
		);
		expect(moved.ok).toBe(true);
		expect(await mail.deliver()).toEqual([]);
		expect(await findMessage(mail.db, id)).toMatchObject({
			status: 'cancelled',
			lastError:
				'Non envoyé : le destinataire a changé d’organisation depuis que le message a été écrit : il concernait son ancienne organisation.'
		});
	});

	it('is not sent to a person whose role changed since, and is once they are back where it was written', async () => {
		const first = (await notify())!;
		const shown = { role: 'partenaire' as const, organisationId: partner.organisationId };
		const staff = { role: 'admin' as const, organisationId: null };
		const toStaff = { role: 'admin' as const, organisation: '' };
		expect((await changeAccountRole(mail.db, admin, partner.id, toStaff, shown, null)).ok).toBe(
			true
		);
		expect(await mail.deliver()).toEqual([]);
		expect(await findMessage(mail.db, first)).toMatchObject({
			status: 'cancelled',
			lastError:
				'Non envoyé : le destinataire a changé de rôle depuis que le message a été écrit : il s’adressait à son rôle d’alors.'
		});
		// Back to the organisation it was written for: a message written before both changes goes.
		const second = (await notify())!;
		const back = { role: 'partenaire' as const, organisation: 'cdg46' };
		expect((await changeAccountRole(mail.db, admin, partner.id, back, staff, null)).ok).toBe(true);
		expect((await mail.deliver()).map((m) => m.mail.subject)).toEqual(['Mise à jour validée']);
		expect((await findMessage(mail.db, second))?.status).toBe('sent');
	});
});
