import { describe, expect, it, vi } from 'vitest';
import { createTestUser, PEOPLE, TEST_PASSWORD } from '$lib/server/auth/testing';
import { findUserByEmail } from '$lib/server/auth/users';
import { heldSitting, preparedSitting } from '$lib/server/commission/testing';
import { configureMail } from '$lib/server/mail/outbox';
import { savePreferences } from '$lib/server/mail/preferences-repository';
import { findSitting } from '$lib/server/commission/repository';
import { listAuditEvents } from '$lib/server/audit/repository';
import { auditChanges } from '$lib/utils/audit-changes';
import { daysAfter, parisToday } from '$lib/utils/dates';
import { ROLE_LABELS } from '$lib/utils/vocabulary';
import * as sitting from './commission/seances/[id=id]/+page.server';
import AgendaProposal from './commission/seances/[id=id]/AgendaProposal.svelte';
import { render } from 'svelte/server';
import { moveFiche } from '$lib/server/authoring/testing';
import * as accounts from './admin/utilisateurs/+page.server';
import * as account from './admin/utilisateurs/[id=id]/+page.server';
import * as own from './compte/+page.server';
import * as outbox from './admin/courriels/+page.server';
import {
	adminDatabase,
	formAnswer,
	idRoute,
	postAction,
	routeAnswer,
	routeEvent,
	withSession
} from './route-testing';

// A form sent without script is answered, once it succeeded, by a redirect to its page (Post/
// Redirect/Get, doneAnswer): Back and a reload then ask nothing again. Sent by the page's script,
// it is answered as before, with the confirmation's data.

const portal = adminDatabase();

const SITTING = '/commission/seances/[id=id]';

/** The séance page's data at `search` (`?fait=…`), read by the admin. */
async function sittingPage(id: number, search: string, reader = portal.admin) {
	const { path, route, params } = idRoute(SITTING, id);
	return (await sitting.load(routeEvent(`${path}${search}`, route, params, reader))) as {
		done: string | null;
		decided: number | null;
	};
}

describe('the séance page’s forms sent without script', () => {
	it('lead to the page again, which says what was done', async () => {
		const id = await preparedSitting(portal.db, portal.admin);
		const [item] = (await findSitting(portal.db, id))!.items;
		const at = idRoute(SITTING, id);
		const answer = await routeAnswer(() =>
			postAction(sitting.actions.removeItem, at, portal.admin, { itemId: String(item!.id) })
		);
		expect(answer).toMatchObject({
			status: 303,
			location: `/commission/seances/${id}?fait=point-retire`
		});
		expect((await sittingPage(id, '?fait=point-retire')).done).toBe('Point retiré.');
		expect((await sittingPage(id, '')).done).toBeNull();
	});

	it('answer the page’s script with the confirmation, as before', async () => {
		const id = await preparedSitting(portal.db, portal.admin);
		const [item] = (await findSitting(portal.db, id))!.items;
		const answer = await postAction(
			sitting.actions.removeItem,
			idRoute(SITTING, id),
			portal.admin,
			{ itemId: String(item!.id) },
			true
		);
		expect(answer).toEqual({ done: 'Point retiré.' });
	});

	it('say the séance’s details saved, as the script does', async () => {
		const heldOn = daysAfter(parisToday(), 30);
		const id = await preparedSitting(portal.db, portal.admin, { heldOn });
		const answer = await routeAnswer(() =>
			postAction(sitting.actions.edit, idRoute(SITTING, id), portal.admin, {
				held_on: daysAfter(heldOn, 1),
				starts_at: '',
				place: 'Figeac',
				title: 'Commission'
			})
		);
		expect(answer.location).toBe(`/commission/seances/${id}?fait=modifiee`);
		expect((await sittingPage(id, '?fait=modifiee')).done).toBe(
			'Date, heure, lieu et intitulé enregistrés.'
		);
	});

	it('open at the point a decision was recorded on, its confirmation there', async () => {
		const { sittingId: id, itemId } = await heldSitting(portal.db, portal.admin);
		const answer = await routeAnswer(() =>
			postAction(sitting.actions.decide, idRoute(SITTING, id), portal.admin, {
				itemId: String(itemId),
				kind: 'free',
				text: 'Arrêté'
			})
		);
		expect(answer.location).toBe(
			`/commission/seances/${id}?fait=decision&point=${itemId}#point-${itemId}`
		);
		expect(await sittingPage(id, `?fait=decision&point=${itemId}`)).toMatchObject({
			done: null,
			decided: itemId
		});
	});

	it('keep a refusal on the page, with its status and no redirect', async () => {
		const id = await preparedSitting(portal.db, portal.admin);
		const answer = await routeAnswer(() =>
			postAction(sitting.actions.removeItem, idRoute(SITTING, id), portal.admin, {
				itemId: '999999'
			})
		);
		expect(answer.status).toBeGreaterThanOrEqual(400);
		expect(answer.location).toBeUndefined();
	});

	// A fiche ticked, then moved to another objective before « Ajouter les fiches cochées »: refused
	// (nothing added), and its box was left unticked under its new code.
	it('tick again, under its new code, a fiche refused as moved meanwhile', async () => {
		const id = await preparedSitting(portal.db, portal.admin, {
			fiches: [],
			heldOn: daysAfter(parisToday(), 30)
		});
		const moved = await moveFiche(portal.db, portal.admin, '11-1', 3, new Date());
		if (!moved.ok) throw new Error(moved.message);
		const answer = await formAnswer(() =>
			postAction(sitting.actions.addFiches, idRoute(SITTING, id), portal.admin, {
				codes: '11-1'
			})
		);
		expect(answer).toMatchObject({ status: 409, ticked: [moved.value.code] });
		const { suggestions } = (await sitting.load(
			routeEvent(`/commission/seances/${id}`, SITTING, { id: String(id) }, portal.admin)
		)) as { suggestions: { code: string }[] };
		const { body } = render(AgendaProposal, {
			props: { suggestions, flagsReadOn: null, ticked: answer.ticked as string[] }
		} as never);
		const boxes = [...body.matchAll(/<input type="checkbox" id="fiche-([\d-]+)"[^>]*>/g)];
		expect(boxes.filter(([tag]) => / checked/.test(tag)).map(([, code]) => code)).toEqual([
			moved.value.code
		]);
	});

	it('show no text of the address: an unknown key or a number that is none says nothing', async () => {
		const id = await preparedSitting(portal.db, portal.admin);
		for (const search of ['?fait=<b>Piégé</b>', '?fait=DONE', '?fait=toString'])
			expect((await sittingPage(id, search)).done).toBeNull();
		expect((await sittingPage(id, '?fait=decision&point=1e3')).decided).toBeNull();
	});

	it('confirm nothing the journal does not hold of this person on this séance: a crafted link', async () => {
		const id = await preparedSitting(portal.db, portal.admin);
		const other = await preparedSitting(portal.db, portal.admin, {
			heldOn: daysAfter(parisToday(), 40)
		});
		const [item] = (await findSitting(portal.db, other))!.items;
		await routeAnswer(() =>
			postAction(sitting.actions.removeItem, idRoute(SITTING, other), portal.admin, {
				itemId: String(item!.id)
			})
		);
		// Nobody's presence recorded, a point removed on another séance, a member who may edit it
		// and removed nothing.
		const member = await createTestUser(portal.db, PEOPLE.claude);
		expect((await sittingPage(id, '?fait=presence')).done).toBeNull();
		expect((await sittingPage(id, '?fait=presence-retiree')).done).toBeNull();
		expect((await sittingPage(other, '?fait=point-retire', member)).done).toBeNull();
		expect((await sittingPage(other, '?fait=tenue')).done).toBeNull();
		expect((await sittingPage(other, '?fait=point-retire')).done).toBe('Point retiré.');
	});

	// Review s61: one journal action records every change of the agenda, and « Point retiré » was
	// said after a point added, or a point added after one removed.
	it('say « Point retiré » only when this person’s latest change of the agenda removed a point', async () => {
		const id = await preparedSitting(portal.db, portal.admin);
		const at = idRoute(SITTING, id);
		const addFree = (title: string) =>
			routeAnswer(() => postAction(sitting.actions.addFree, at, portal.admin, { title }));
		await addFree('Questions diverses');
		expect((await sittingPage(id, '?fait=point-retire')).done).toBeNull();
		expect((await sittingPage(id, '?fait=point-ajoute')).done).toBe('Point ajouté.');
		const [item] = (await findSitting(portal.db, id))!.items;
		await routeAnswer(() =>
			postAction(sitting.actions.removeItem, at, portal.admin, { itemId: String(item!.id) })
		);
		expect((await sittingPage(id, '?fait=point-retire')).done).toBe('Point retiré.');
		// Diff review, finding 3: nor « Point ajouté » / « Ordre du jour mis à jour » after a removal.
		expect((await sittingPage(id, '?fait=point-ajoute')).done).toBeNull();
		expect((await sittingPage(id, '?fait=ordre-du-jour')).done).toBeNull();
		await addFree('Point sur le très haut débit');
		expect((await sittingPage(id, '?fait=point-retire')).done).toBeNull();
	});

	// Review s63: fiches added and a free point added, a member present and a guest added, each pair
	// journaled under one action, were told apart neither by the confirmation nor by the journal.
	it('tell fiches added from a free point, and a member present from a guest', async () => {
		// Fiche 4-1 added by « Ajouter les fiches cochées » (addAgendaFiches).
		const id = await preparedSitting(portal.db, portal.admin);
		const at = idRoute(SITTING, id);
		expect((await sittingPage(id, '?fait=ordre-du-jour')).done).toBe('Ordre du jour mis à jour.');
		expect((await sittingPage(id, '?fait=point-ajoute')).done).toBeNull();
		await routeAnswer(() =>
			postAction(sitting.actions.addFree, at, portal.admin, { title: 'Questions diverses' })
		);
		expect((await sittingPage(id, '?fait=point-ajoute')).done).toBe('Point ajouté.');
		expect((await sittingPage(id, '?fait=ordre-du-jour')).done).toBeNull();
		await routeAnswer(() =>
			postAction(sitting.actions.addMember, at, portal.admin, { userId: String(portal.admin.id) })
		);
		expect((await sittingPage(id, '?fait=presence')).done).toBe('Présence enregistrée.');
		expect((await sittingPage(id, '?fait=invite')).done).toBeNull();
		await routeAnswer(() =>
			postAction(sitting.actions.addGuest, at, portal.admin, { guest_name: 'Marie Invitée' })
		);
		expect((await sittingPage(id, '?fait=invite')).done).toBe('Invité enregistré.');
		expect((await sittingPage(id, '?fait=presence')).done).toBeNull();
		const { entries } = await listAuditEvents(portal.db, {});
		const onSitting = entries.filter((e) => e.target === `séance ${id}`);
		expect(onSitting.map((e) => e.actionLabel)).toEqual([
			'Présences modifiées\u00a0: invité ajouté',
			'Présences modifiées\u00a0: membre présent',
			'Ordre du jour modifié\u00a0: point libre ajouté',
			'Ordre du jour modifié\u00a0: fiches ajoutées',
			'Séance de la commission créée'
		]);
		expect(auditChanges(onSitting[0]!.before, onSitting[0]!.after)).toEqual([
			{ field: 'type', before: null, after: 'invité ajouté' },
			{ field: 'invité', before: null, after: 'Marie Invitée' }
		]);
	});

	it('say a presence recorded or taken off only when this person’s latest change of them did it', async () => {
		const id = await preparedSitting(portal.db, portal.admin);
		const at = idRoute(SITTING, id);
		await routeAnswer(() =>
			postAction(sitting.actions.addGuest, at, portal.admin, { guest_name: 'Marie Invitée' })
		);
		expect((await sittingPage(id, '?fait=invite')).done).toBe('Invité enregistré.');
		expect((await sittingPage(id, '?fait=presence-retiree')).done).toBeNull();
		const [guest] = (await findSitting(portal.db, id))!.attendees;
		await routeAnswer(() =>
			postAction(sitting.actions.removeAttendee, at, portal.admin, {
				attendeeId: String(guest!.id)
			})
		);
		expect((await sittingPage(id, '?fait=presence-retiree')).done).toBe('Présence retirée.');
		for (const added of ['?fait=invite', '?fait=presence'])
			expect((await sittingPage(id, added)).done).toBeNull();
	});

	// Commission's-year review, finding 2: « close » on a séance in preparation, « créée » on a
	// relevé, to anyone, from the address alone.
	it('say « créée » and « close » only of this person’s act, the séance still as it says', async () => {
		const arrived = async (id: number, search: string, reader?: typeof portal.admin) =>
			((await sittingPage(id, search, reader)) as unknown as { arrived: string | null }).arrived;
		const prepared = await preparedSitting(portal.db, portal.admin);
		const { sittingId: closed } = await heldSitting(portal.db, portal.admin, {
			closed: true,
			title: 'Close'
		});
		expect(await arrived(prepared, '?creee=1')).toBe('creee');
		expect(await arrived(closed, '?close=1')).toBe('close');
		expect(await arrived(prepared, '?close=1')).toBeNull();
		expect(await arrived(closed, '?creee=1')).toBeNull();
		const member = await createTestUser(portal.db, PEOPLE.claude);
		expect(await arrived(prepared, '?creee=1', member)).toBeNull();
		expect(await arrived(closed, '?close=1', member)).toBeNull();
		expect(await arrived(closed, '?creee=1', member)).toBeNull();
	});

	it('confirm nothing to a reader who may not send them: a link to a closed séance with ?fait=', async () => {
		const { sittingId, itemId } = await heldSitting(portal.db, portal.admin, { closed: true });
		const paul = await createTestUser(portal.db, PEOPLE.paul);
		for (const reader of [paul, portal.admin]) {
			expect((await sittingPage(sittingId, '?fait=decision-retiree', reader)).done).toBeNull();
			const decided = await sittingPage(sittingId, `?fait=decision&point=${itemId}`, reader);
			expect(decided).toMatchObject({ done: null, decided: null });
		}
	});
});

const ACCOUNTS = { path: '/admin/utilisateurs', route: '/admin/utilisateurs' };

async function accountsPage(search: string) {
	const { path, route } = ACCOUNTS;
	return (await accounts.load(routeEvent(`${path}${search}`, route, {}, portal.admin))) as {
		done: string | null;
	};
}

/** Odile Absente, a member of the commission who turned its messages off. */
async function memberWithoutCommissionMail() {
	const away = await createTestUser(portal.db, {
		email: 'odile@commission.fr',
		name: 'Odile Absente',
		role: 'commission'
	});
	await savePreferences(
		portal.db,
		away.id,
		{ reminders: true, validations: true, commission: false },
		Date.now()
	);
}

describe('« Envoyer la convocation » pressed without script', () => {
	it('leads to the page again, its summary read again from the convocation, for its convener only', async () => {
		const member = await createTestUser(portal.db, PEOPLE.claude);
		await memberWithoutCommissionMail();
		const id = await preparedSitting(portal.db, portal.admin, {
			heldOn: daysAfter(parisToday(), 30)
		});
		const answer = await routeAnswer(() =>
			postAction(sitting.actions.convene, idRoute(SITTING, id), portal.admin, {
				convened_at: ''
			})
		);
		// Counts and names are not in the address: the page reads them in the convocation.
		expect(answer).toMatchObject({
			status: 303,
			location: `/commission/seances/${id}?fait=convocation`
		});
		const done = (await sittingPage(id, '?fait=convocation')).done;
		expect(done).toMatch(
			/^Convocation écrite pour 1\u00a0membre de la commission, mais pas envoyée/
		);
		expect(done).toContain('Odile Absente ne reçoit pas les messages de la commission');
		// Another member who may convene reads nothing of it (its words are its convener's).
		expect((await sittingPage(id, '?fait=convocation', member)).done).toBeNull();
		expect((await sittingPage(id, '')).done).toBeNull();
		// Opened again later than the minutes a marker holds: its convener reads nothing either.
		vi.useFakeTimers({ toFake: ['Date'] });
		try {
			vi.setSystemTime(Date.now() + 11 * 60 * 1000);
			expect((await sittingPage(id, '?fait=convocation')).done).toBeNull();
		} finally {
			vi.useRealTimers();
		}
	});

	it('answers the page’s script with the summary, as before', async () => {
		await createTestUser(portal.db, PEOPLE.claude);
		const id = await preparedSitting(portal.db, portal.admin, {
			heldOn: daysAfter(parisToday(), 30)
		});
		const answer = await postAction(
			sitting.actions.convene,
			idRoute(SITTING, id),
			portal.admin,
			{ convened_at: '' },
			true
		);
		expect(answer).toEqual({
			done: expect.stringMatching(/^Convocation écrite pour 1\u00a0membre/)
		});
	});

	it('says nothing of a séance never convened', async () => {
		const id = await preparedSitting(portal.db, portal.admin, {
			heldOn: daysAfter(parisToday(), 30)
		});
		expect((await sittingPage(id, '?fait=convocation')).done).toBeNull();
	});
});

describe('« Clore définitivement la séance »', () => {
	// Commission's leftovers, finding 1: the convocation names whom it did not reach, the closing
	// said nothing of who gets no relevé.
	it('tells its closer, on the relevé it leads to, to whom the relevé was written and whom it did not reach', async () => {
		const member = await createTestUser(portal.db, PEOPLE.claude);
		await memberWithoutCommissionMail();
		const { sittingId } = await heldSitting(portal.db, portal.admin, { closed: true });
		const closing = async (reader: typeof portal.admin) =>
			((await sittingPage(sittingId, '?close=1', reader)) as unknown as { closing: string | null })
				.closing;
		const said = await closing(portal.admin);
		expect(said).toMatch(/^Relevé écrit pour 1\u00a0membre de la commission, mais pas envoyé : /);
		expect(said).toContain(
			' Odile Absente ne reçoit pas les messages de la commission (préférences, à /compte) : à prévenir autrement.'
		);
		// Kept by number, never by name: named as the account is named when read.
		const kept = await portal.db
			.selectFrom('commission_session')
			.select('closing_written')
			.where('id', '=', sittingId)
			.executeTakeFirstOrThrow();
		expect(kept.closing_written).not.toContain('Odile');
		// Review s63: nor who closed it, the séance's `closed_by` (the summary's reader is checked by it).
		expect(JSON.parse(kept.closing_written!)).not.toHaveProperty('by');
		// Another member who may close séances did not close this one.
		expect(await closing(member)).toBeNull();
		expect(((await sittingPage(sittingId, '')) as unknown as { closing: null }).closing).toBeNull();
	});
});

describe('the accounts’ buttons pressed without script', () => {
	it('lead to the list again, which names the account by its id', async () => {
		const paul = await createTestUser(portal.db, PEOPLE.paul);
		const answer = await routeAnswer(() =>
			postAction(accounts.actions.disable, ACCOUNTS, portal.admin, { userId: String(paul.id) })
		);
		expect(answer).toMatchObject({
			status: 303,
			location: `/admin/utilisateurs?fait=desactive&compte=${paul.id}`
		});
		const said = 'est désactivé et toutes ses sessions sont fermées.';
		expect((await accountsPage(`?fait=desactive&compte=${paul.id}`)).done).toMatch(
			new RegExp(`^Le compte .*paul@cdg46\\.fr.* ${said}$`)
		);
		const enabled = await routeAnswer(() =>
			postAction(accounts.actions.enable, ACCOUNTS, portal.admin, { userId: String(paul.id) })
		);
		expect(enabled.location).toBe(`/admin/utilisateurs?fait=reactive&compte=${paul.id}`);
	});

	it('answer the page’s script with the message, as before', async () => {
		const paul = await createTestUser(portal.db, PEOPLE.paul);
		const answer = await postAction(
			accounts.actions.disable,
			ACCOUNTS,
			portal.admin,
			{ userId: String(paul.id) },
			true
		);
		expect(answer).toEqual({ message: expect.stringContaining('est désactivé') });
	});

	it('say nothing for an account that is none, or a key that is none', async () => {
		const paul = await createTestUser(portal.db, PEOPLE.paul);
		for (const search of [
			'?fait=desactive&compte=999999',
			'?fait=desactive&compte=x',
			`?fait=x&compte=${paul.id}`
		])
			expect((await accountsPage(search)).done).toBeNull();
	});

	it('say nothing the account is not now: a link to « désactivé » on an active account', async () => {
		const paul = await createTestUser(portal.db, PEOPLE.paul);
		for (const key of ['desactive', 'reactive-sans-mot-de-passe'])
			expect((await accountsPage(`?fait=${key}&compte=${paul.id}`)).done, key).toBeNull();
		// Active with a password, but never disabled: not « réactivé » either.
		expect((await accountsPage(`?fait=reactive&compte=${paul.id}`)).done).toBeNull();
		await routeAnswer(() =>
			postAction(accounts.actions.disable, ACCOUNTS, portal.admin, { userId: String(paul.id) })
		);
		expect((await accountsPage(`?fait=reactive&compte=${paul.id}`)).done).toBeNull();
		expect((await accountsPage(`?fait=desactive&compte=${paul.id}`)).done).toMatch(/désactivé/);
		await routeAnswer(() =>
			postAction(accounts.actions.enable, ACCOUNTS, portal.admin, { userId: String(paul.id) })
		);
		expect((await accountsPage(`?fait=reactive&compte=${paul.id}`)).done).toMatch(/est réactivé/);
		// An invitation still open is not « révoquée ».
		await postAction(
			accounts.actions.create,
			ACCOUNTS,
			portal.admin,
			{ email: 'zoe@cdg46.fr', name: 'Zoé Invitée', role: 'partenaire', organisation: 'cdg46' },
			true
		);
		const zoe = (await findUserByEmail(portal.db, 'zoe@cdg46.fr'))!;
		expect((await accountsPage(`?fait=revoquee&compte=${zoe.id}`)).done).toBeNull();
		// Nor of an account that never had one (paul): no invitation revoked by this admin.
		expect((await accountsPage(`?fait=revoquee&compte=${paul.id}`)).done).toBeNull();
	});

	it('keep a refusal on the page', async () => {
		const answer = await routeAnswer(() =>
			postAction(accounts.actions.disable, ACCOUNTS, portal.admin, {
				userId: String(portal.admin.id)
			})
		);
		expect(answer.status).toBeGreaterThanOrEqual(400);
		expect(answer.location).toBeUndefined();
	});
});

describe('an account’s role changed without script', () => {
	it('leads to its page again, which says its new role', async () => {
		const paul = await createTestUser(portal.db, PEOPLE.paul);
		const at = idRoute('/admin/utilisateurs/[id=id]', paul.id);
		const answer = await routeAnswer(() =>
			postAction(account.actions.role, at, portal.admin, {
				role: 'commission',
				organisation: '',
				currentRole: 'partenaire',
				currentOrganisationId: String(paul.organisationId)
			})
		);
		expect(answer).toMatchObject({ status: 303, location: `${at.path}?fait=role` });
		const page = (await account.load(
			routeEvent(`${at.path}?fait=role`, at.route, at.params, portal.admin)
		)) as { done: string | null };
		expect(page.done).toContain(`a maintenant le rôle « ${ROLE_LABELS.commission} » ; `);
	});

	it('says nothing on a link to an account whose role this admin did not change', async () => {
		const paul = await createTestUser(portal.db, PEOPLE.paul);
		const at = idRoute('/admin/utilisateurs/[id=id]', paul.id);
		const page = (await account.load(
			routeEvent(`${at.path}?fait=role`, at.route, at.params, portal.admin)
		)) as { done: string | null };
		expect(page.done).toBeNull();
	});
});

const ACCOUNT = { path: '/compte', route: '/compte' };

/** The choices /compte, opened at `search` by `session`, says kept meanwhile. */
async function keptOnAccount(session: Awaited<ReturnType<typeof withSession>>, search: string) {
	const page = (await own.load(routeEvent(`/compte${search}`, ACCOUNT.route, {}, session))) as {
		done: { keptMeanwhile: string[] };
	};
	return page.done.keptMeanwhile;
}

describe('one’s own account’s forms sent without script', () => {
	it('lead to the page again: the password changed, the other sessions counted', async () => {
		const paul = await withSession(portal.db, await createTestUser(portal.db, PEOPLE.paul));
		const next = 'Un-tout-autre-mot-de-passe-2026';
		const answer = await routeAnswer(() =>
			postAction(own.actions.password, ACCOUNT, paul, {
				current: TEST_PASSWORD,
				next,
				confirm: next
			})
		);
		expect(answer).toMatchObject({ status: 303, location: '/compte?fait=mot-de-passe&sessions=0' });
		const page = (await own.load(
			routeEvent('/compte?fait=mot-de-passe&sessions=0', ACCOUNT.route, {}, paul)
		)) as { done: unknown };
		expect(page.done).toEqual({ changed: true, endedSessions: 0 });
		// Another count than the change's says nothing.
		const other = (await own.load(
			routeEvent('/compte?fait=mot-de-passe&sessions=2', ACCOUNT.route, {}, paul)
		)) as { done: unknown };
		expect(other.done).toBeNull();
	});

	it('say nothing on a link to a change this account did not make', async () => {
		const paul = await withSession(portal.db, await createTestUser(portal.db, PEOPLE.paul));
		const read = async (search: string) =>
			(
				(await own.load(routeEvent(`/compte${search}`, ACCOUNT.route, {}, paul))) as {
					done: unknown;
				}
			).done;
		expect(await read('?fait=mot-de-passe&sessions=0')).toBeNull();
		// The preferences shown are those stored; no choice was made elsewhere meanwhile.
		expect(await read('?fait=preferences&gardee=validations')).toEqual({
			preferencesSaved: true,
			keptMeanwhile: []
		});
	});

	it('lead to the page again: the preferences saved, those kept meanwhile named by key', async () => {
		const paul = await withSession(portal.db, await createTestUser(portal.db, PEOPLE.paul));
		const answer = await routeAnswer(() =>
			postAction(own.actions.preferences, ACCOUNT, paul, {
				reminders: 'on',
				shown_reminders: 'on',
				shown_validations: 'on'
			})
		);
		expect(answer).toMatchObject({ status: 303, location: '/compte?fait=preferences' });
		const read = async (search: string) =>
			(
				(await own.load(routeEvent(`/compte${search}`, ACCOUNT.route, {}, paul))) as {
					done: unknown;
				}
			).done;
		expect(await read('?fait=preferences')).toEqual({ preferencesSaved: true, keptMeanwhile: [] });
		// Named in a crafted link: « validations » was changed by this very save, « commission »
		// by none; neither was kept meanwhile.
		expect(await read('?fait=preferences&gardee=validations&gardee=commission')).toEqual({
			preferencesSaved: true,
			keptMeanwhile: []
		});
		expect(await read('?fait=mot-de-passe&sessions=-1')).toBeNull();
	});

	it('name as kept only a choice the journal shows made elsewhere meanwhile and left by the save', async () => {
		const paul = await withSession(portal.db, await createTestUser(portal.db, PEOPLE.paul));
		const ALL_SHOWN = { shown_reminders: 'on', shown_validations: 'on', shown_commission: 'on' };
		// Another tab turns the commission's mail off…
		await routeAnswer(() =>
			postAction(own.actions.preferences, ACCOUNT, paul, {
				reminders: 'on',
				validations: 'on',
				...ALL_SHOWN
			})
		);
		// …then this one, opened before, turns the reminders off: the commission's choice is kept.
		const answer = await routeAnswer(() =>
			postAction(own.actions.preferences, ACCOUNT, paul, {
				validations: 'on',
				commission: 'on',
				...ALL_SHOWN
			})
		);
		expect(answer).toMatchObject({
			status: 303,
			location: '/compte?fait=preferences&gardee=commission'
		});
		expect(await keptOnAccount(paul, '?fait=preferences&gardee=commission')).toEqual([
			expect.stringMatching(/^Commission/)
		]);
		// Only the role's categories, by their keys: any other text of the address is no label; the
		// reminders, changed by this save, and the validations, by none, are not said kept.
		expect(
			await keptOnAccount(
				paul,
				'?fait=preferences&gardee=reminders&gardee=validations&gardee=<b>x</b>&gardee=commission'
			)
		).toEqual([expect.stringMatching(/^Commission/)]);
	});

	// A choice changed by an earlier save of the same tab, then left by its next save, was said
	// « gardé » on a crafted link: the check read every change of the last minutes.
	it('name as kept no choice changed by an earlier save of the same tab', async () => {
		const paul = await withSession(portal.db, await createTestUser(portal.db, PEOPLE.paul));
		// One tab turns the commission's mail off, then, the page drawn again, the reminders.
		await routeAnswer(() =>
			postAction(own.actions.preferences, ACCOUNT, paul, {
				reminders: 'on',
				validations: 'on',
				shown_reminders: 'on',
				shown_validations: 'on',
				shown_commission: 'on'
			})
		);
		const answer = await routeAnswer(() =>
			postAction(own.actions.preferences, ACCOUNT, paul, {
				validations: 'on',
				shown_reminders: 'on',
				shown_validations: 'on'
			})
		);
		expect(answer).toMatchObject({ status: 303, location: '/compte?fait=preferences' });
		expect(await keptOnAccount(paul, '?fait=preferences&gardee=commission')).toEqual([]);
	});
});

describe('« Réessayer maintenant » pressed without script', () => {
	it('leads to the mail page again, which says how many messages leave', async () => {
		const previous = configureMail({
			origin: 'https://sdusn.test',
			from: 'x@y.test',
			relayed: true
		});
		try {
			const at = { path: '/admin/courriels', route: '/admin/courriels' };
			const answer = await routeAnswer(() =>
				postAction(outbox.actions.retry, at, portal.admin, {})
			);
			expect(answer).toMatchObject({
				status: 303,
				location: '/admin/courriels?fait=relance&messages=0'
			});
			const page = (await outbox.load(
				routeEvent('/admin/courriels?fait=relance&messages=0', at.route, {}, portal.admin)
			)) as { retried: number | null };
			expect(page.retried).toBe(0);
			// A count no retry of this admin's sent says nothing.
			const crafted = (await outbox.load(
				routeEvent('/admin/courriels?fait=relance&messages=3', at.route, {}, portal.admin)
			)) as { retried: number | null };
			expect(crafted.retried).toBeNull();
		} finally {
			configureMail(previous);
		}
	});
});
