import { isHttpError, isRedirect } from '@sveltejs/kit';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createSession } from '$lib/server/auth/sessions';
import { createTestUser } from '$lib/server/auth/testing';
import type { User } from '$lib/server/auth/users';
import { openCampaign } from '$lib/server/campaigns/service';
import { changeSittingState, recordDecision } from '$lib/server/commission/service';
import { shownText } from '$lib/utils/html-testing';
import { heldSitting, preparedSitting } from '$lib/server/commission/testing';
import type { Db } from '$lib/server/db';
import { closeDatabase } from '$lib/server/db/instance';
import { createTestInstance } from '$lib/server/db/testing';
import { reviewProgressUpdate, saveProgressUpdate } from '$lib/server/progress/service';
import { createPartner, progressInput } from '$lib/server/progress/testing';
import { conveneSitting } from '$lib/server/commission/convocation';
import { parisDate } from '$lib/utils/dates';
import { render } from 'svelte/server';
import { load } from './commission/seances/[id=id]/fiches/[code=fiche]/+page.server';
import FilePage from './commission/seances/[id=id]/fiches/[code=fiche]/+page.svelte';
import { load as sittingLoad } from './commission/seances/[id=id]/+page.server';
import { routeEvent } from './route-testing';

// The commission's file of a fiche on an agenda, read by the route's own load as each role.

let db: Db;

async function fileAs(user: User, sittingId: number, code: string) {
	const { session } = await createSession(db, user.id);
	const id = String(sittingId);
	return (await load(
		routeEvent(
			`/commission/seances/${id}/fiches/${code}`,
			'/commission/seances/[id=id]/fiches/[code=fiche]',
			{ id, code },
			{ user, session }
		)
	)) as { campaigns: { organisations: { name: string; label: string }[] }[] };
}

function activePartner(organisation: string, email: string): Promise<User> {
	return createTestUser(db, { email, name: email, role: 'partenaire', organisation });
}

function staff(role: 'admin' | 'commission', email: string): Promise<User> {
	return createTestUser(db, { email, name: email, role, password: null });
}

beforeEach(async () => {
	db = await createTestInstance();
});
afterAll(closeDatabase);

/** What a load threw, or what it returned. */
const outcome = (loading: Promise<unknown>) =>
	loading.then(
		() => 'ok',
		(thrown: unknown) =>
			isRedirect(thrown)
				? `redirect ${thrown.location.split('?')[0]}`
				: isHttpError(thrown)
					? thrown.status
					: thrown
	);

describe('the commission’s file of a fiche', () => {
	it('tells a partner their own organisation’s state in a campaign, not how staff judged another’s update', async () => {
		// 6-1: CDG46 and the Département du Lot both work on it.
		const admin = await staff('admin', 'anne@lot.fr');
		const member = await staff('commission', 'marc@lot.fr');
		// Active accounts (with a password): an organisation without one is « sans compte ».
		const cdg = await activePartner('cdg46', 'paul@cdg46.fr');
		const dep = await activePartner('departement-du-lot', 'dora@lot.fr');
		const now = Date.now();
		const opened = await openCampaign(
			db,
			admin,
			{
				title: 'Campagne',
				deadline: parisDate(new Date(now + 30 * 86_400_000)),
				scope: { kind: 'all' },
				sittingId: null,
				reminders: '-3'
			},
			null,
			now
		);
		if (!opened.ok) throw new Error(opened.message);
		const sent = await saveProgressUpdate(
			db,
			dep,
			'6-1',
			null,
			progressInput({ reportedOn: parisDate(new Date(now)) }),
			null
		);
		if (!sent.ok) throw new Error(sent.message);
		const returned = await reviewProgressUpdate(
			db,
			admin,
			{ updateId: sent.value.id, version: 1, decision: 'return', comment: 'À reprendre.' },
			null
		);
		expect(returned.ok).toBe(true);
		const sittingId = await preparedSitting(db, admin, {
			fiches: ['6-1'],
			heldOn: parisDate(new Date(now + 40 * 86_400_000)),
			title: 'Séance'
		});

		expect((await conveneSitting(db, admin, sittingId, null, now)).ok).toBe(true);

		const byMember = (await fileAs(member, sittingId, '6-1')).campaigns[0]!.organisations;
		expect(byMember).toContainEqual({
			name: 'Département du Lot',
			label: 'renvoyée pour correction',
			state: 'returned'
		});
		expect(byMember.length).toBeGreaterThan(1);
		const byPartner = (await fileAs(cdg, sittingId, '6-1')).campaigns[0]!.organisations;
		expect(byPartner).toEqual([
			{ name: 'CDG46', label: expect.any(String), state: expect.any(String) }
		]);
	});
});

describe('a séance not yet convened', () => {
	// Probe s43, finding 5: a partner read its fiche's « document interne » file, with the draft
	// séance's day, place and title, before the commission had convened anyone; and an anonymous
	// visitor told an unpublished séance (sent to sign in) from a missing one (404).
	it('keeps its files from the partners until convened; members and staff read them all along', async () => {
		const admin = await staff('admin', 'alice@lot.fr');
		// An active account (its password set): a convocation that reaches nobody is refused.
		const member = await createTestUser(db, {
			email: 'michel@lot.fr',
			name: 'michel@lot.fr',
			role: 'commission'
		});
		const partner = await createPartner(db, 'cdg46', 'pierre@cdg46.fr');
		const now = Date.now();
		const id = await preparedSitting(db, member, {
			fiches: ['1-1'],
			heldOn: parisDate(new Date(now + 50 * 86_400_000)),
			title: 'Brouillon'
		});
		// Answered as a séance that does not exist (404): nothing tells the partner it does.
		expect(await outcome(fileAs(partner, id, '1-1'))).toBe(404);
		expect(await outcome(fileAs(member, id, '1-1'))).toBe('ok');
		expect(await outcome(fileAs(admin, id, '1-1'))).toBe('ok');

		expect((await conveneSitting(db, member, id, null, now)).ok).toBe(true);
		expect(await outcome(fileAs(partner, id, '1-1'))).toBe('ok');
		expect(await outcome(fileAs(member, id, '1-1'))).toBe('ok');
	});

	it('sends an anonymous visitor to sign in whether the séance exists or not', async () => {
		const member = await staff('commission', 'mona@lot.fr');
		const sittingId = await preparedSitting(db, member, {
			fiches: [],
			heldOn: parisDate(new Date(Date.now() + 60 * 86_400_000)),
			place: 'Figeac',
			title: 'Projet'
		});
		const anonymous = (id: number) =>
			outcome(
				Promise.resolve(
					sittingLoad(
						routeEvent(
							`/commission/seances/${id}`,
							'/commission/seances/[id=id]',
							{ id: String(id) },
							{ user: null, session: null } as never
						)
					)
				)
			);
		expect(await anonymous(sittingId)).toBe('redirect /connexion');
		expect(await anonymous(999_999)).toBe('redirect /connexion');
	});
});

describe('the file of a closed séance, read later', () => {
	/**
	 * A validated update of 6-1 by CDG46, reported on `day`, with a value of its first indicator,
	 * validated at noon (UTC) on `validatedOn`.
	 */
	async function validated(
		partner: User,
		admin: User,
		day: string,
		progress: number,
		validatedOn = day
	) {
		const indicator = await db
			.selectFrom('indicator')
			.innerJoin('fiche', 'fiche.id', 'indicator.fiche_id')
			.select('indicator.id')
			.where('fiche.code', '=', '6-1')
			.orderBy('indicator.position')
			.executeTakeFirstOrThrow();
		const sent = await saveProgressUpdate(
			db,
			partner,
			'6-1',
			null,
			progressInput({
				reportedOn: day,
				progress,
				done: `Fait le ${day}`,
				measurements: [
					{ indicatorId: indicator.id, measuredOn: day, value: progress, comment: null }
				]
			}),
			null
		);
		if (!sent.ok) throw new Error(sent.message);
		const review = {
			updateId: sent.value.id,
			version: 1,
			decision: 'validate',
			comment: ''
		} as const;
		const at = new Date(`${validatedOn}T12:00:00Z`);
		expect(await reviewProgressUpdate(db, admin, review, null, at)).toEqual({ ok: true });
	}

	it('lists the period up to the séance’s day, all of it, and the fiche as it stood then', async () => {
		// The reviewer's case: 14 updates from 1 to 14 February 2026, a séance on 1 May 2026 with
		// 6-1 on its agenda, one more update on 10 June 2026.
		const admin = await staff('admin', 'anne@lot.fr');
		const cdg = await createPartner(db, 'cdg46', 'paul@cdg46.fr');
		for (let day = 1; day <= 14; day++)
			await validated(cdg, admin, `2026-02-${String(day).padStart(2, '0')}`, 2 * day);
		const { sittingId } = await heldSitting(db, admin, { fiches: ['6-1'], closed: true });
		await validated(cdg, admin, '2026-06-10', 90);

		const file = (await fileAs(admin, sittingId, '6-1')) as unknown as {
			updates: { reportedOn: string }[];
			measurements: { values: { measuredOn: string }[] }[];
			fiche: { progress: number | null };
			stateOn: string | null;
			flags: { stale: boolean };
		};
		const february = Array.from(
			{ length: 14 },
			(_, i) => `2026-02-${String(i + 1).padStart(2, '0')}`
		);
		expect(file.updates.map((u) => u.reportedOn)).toEqual(february);
		expect(file.measurements[0]!.values.map((v) => v.measuredOn)).toEqual(february);
		// Its state on the séance's day, said as such: the June update came after.
		expect(file.stateOn).toBe('2026-05-01');
		expect(file.fiche.progress).toBe(28);
		expect(file.flags.stale).toBe(false);
	});

	// Left noticed s47: the period was bounded by report and measure days only, so an update
	// reported before a séance but validated after its day showed in the closed séance's file,
	// which the commission never had, and in no later one.
	it('lists what was validated by the séance’s day, and states the fiche so; validated after it, in the next séance’s period', async () => {
		const admin = await staff('admin', 'anne@lot.fr');
		const cdg = await createPartner(db, 'cdg46', 'paul@cdg46.fr');
		await validated(cdg, admin, '2026-04-10', 30);
		await validated(cdg, admin, '2026-04-20', 40, '2026-05-04');
		const first = (
			await heldSitting(db, admin, { fiches: ['6-1'], heldOn: '2026-05-01', closed: true })
		).sittingId;
		const next = (await heldSitting(db, admin, { fiches: ['6-1'], heldOn: '2026-07-01' }))
			.sittingId;
		type Period = {
			updates: { reportedOn: string }[];
			measurements: { values: { measuredOn: string }[] }[];
			progressThen: number | null;
		};
		const closed = (await fileAs(admin, first, '6-1')) as unknown as Period & {
			stateOn: string | null;
			fiche: { progress: number | null; lastUpdate: string | null };
		};
		// Left noticed s47: its « État à la date de la séance » read the update validated after the
		// day, which its list leaves out: both read what was validated by then.
		expect(closed.stateOn).toBe('2026-05-01');
		expect(closed.fiche.progress).toBe(30);
		expect(closed.fiche.lastUpdate).toBe('2026-04-10');
		expect(closed.updates.map((u) => u.reportedOn)).toContain('2026-04-10');
		expect(closed.updates.map((u) => u.reportedOn)).not.toContain('2026-04-20');
		expect(closed.measurements[0]!.values.map((v) => v.measuredOn)).not.toContain('2026-04-20');
		const later = (await fileAs(admin, next, '6-1')) as unknown as Period;
		expect(later.updates.map((u) => u.reportedOn)).toEqual(['2026-04-20']);
		expect(later.measurements[0]!.values.map((v) => v.measuredOn)).toEqual(['2026-04-20']);
		// It starts from the advancement the closed séance had: the one validated by its day.
		expect(later.progressThen).toBe(30);
	});
});

// Walkthrough s49: « Nombre de personnes formées : aucune valeur », retired on 5-1, read as one
// still asked for.
describe('a retired indicator in a fiche’s file', () => {
	it('is listed with its values and the day it was retired', async () => {
		const admin = await staff('admin', 'anne@lot.fr');
		const { sittingId } = await heldSitting(db, admin, { fiches: ['5-1'] });
		const [first, second] = await db
			.selectFrom('indicator')
			.innerJoin('fiche', 'fiche.id', 'indicator.fiche_id')
			.select(['indicator.id', 'indicator.label'])
			.where('fiche.code', '=', '5-1')
			.orderBy('indicator.position')
			.execute();
		await db
			.updateTable('indicator')
			.set({ retired_at: '2026-04-15T08:00:00.000Z' })
			.where('id', '=', first!.id)
			.execute();
		const data = await fileAs(admin, sittingId, '5-1');
		const { body } = render(FilePage, { props: { data } as never });
		const text = body.replace(/<!--[^>]*-->/g, '').replace(/\s+/g, ' ');
		expect(text).toContain(`<strong>${first!.label}</strong> (retiré le 15 avril 2026) :`);
		expect(text).toContain(`<strong>${second!.label}</strong> :`);
	});

	// Review s49: a past séance's file said « (retiré le 30 novembre 2026) » for a séance of May.
	it('is not told retired in the file of a séance held before its retirement', async () => {
		const admin = await staff('admin', 'anne@lot.fr');
		const { sittingId } = await heldSitting(db, admin, { fiches: ['5-1'] });
		const first = await db
			.selectFrom('indicator')
			.innerJoin('fiche', 'fiche.id', 'indicator.fiche_id')
			.select(['indicator.id', 'indicator.label'])
			.where('fiche.code', '=', '5-1')
			.orderBy('indicator.position')
			.executeTakeFirstOrThrow();
		// The day after the séance (1 May 2026), a quarter past midnight in Paris.
		await db
			.updateTable('indicator')
			.set({ retired_at: '2026-05-01T22:15:00.000Z' })
			.where('id', '=', first.id)
			.execute();
		const data = await fileAs(admin, sittingId, '5-1');
		const { body } = render(FilePage, { props: { data } as never });
		const text = body.replace(/<!--[^>]*-->/g, '').replace(/\s+/g, ' ');
		expect(text).toContain(`<strong>${first.label}</strong> :`);
		expect(text).not.toContain('retiré le');
	});
});

// A walkthrough of December 2026 (a partner and a member): what a closed séance's file shows of its decisions,
// its campaigns' organisations without an account, and a fiche never updated.
describe('the file of a held or closed séance, read as the walkthrough did', () => {
	const shown = (data: unknown) =>
		shownText(render(FilePage, { props: { data } as never }).body.replace(/<!--[^>]*-->/g, ''));

	it('says what the séance decided on the fiche, as its relevé does, and links the relevé and the fiche', async () => {
		const admin = await staff('admin', 'anne@lot.fr');
		const { sittingId, itemId } = await heldSitting(db, admin, {
			fiches: ['6-1'],
			heldOn: '2026-03-01'
		});
		const priority = (await fileAs(admin, sittingId, '6-1')) as unknown as {
			fiche: { priority: number };
		};
		const other = priority.fiche.priority === 1 ? 2 : 1;
		for (const input of [
			{ kind: 'priority', newPriority: other, text: 'Mise en œuvre avancée.' },
			{ kind: 'opinion', opinion: 'favorable', text: 'Avis motivé.' }
		] as const)
			expect(await recordDecision(db, admin, sittingId, itemId, input, null)).toEqual({
				ok: true,
				value: undefined
			});
		// Held: recorded, to take effect at the closing (members and staff read them).
		const held = shown(await fileAs(admin, sittingId, '6-1'));
		expect(held).toContain('Décisions enregistrées sur cette fiche');
		expect(held).toContain(
			`Priorité ${priority.fiche.priority} → ${other} : Mise en œuvre avancée.`
		);
		// A partner convened to a held séance does not read its decisions before its relevé.
		const cdg = await activePartner('cdg46', 'paul@cdg46.fr');
		expect(await fileAs(cdg, sittingId, '6-1')).toMatchObject({ decisions: null });

		await changeSittingState(db, admin, sittingId, 'closed', null);
		for (const reader of [admin, cdg]) {
			const data = await fileAs(reader, sittingId, '6-1');
			const text = shown(data);
			expect(text).toContain('Décisions de la séance sur cette fiche');
			expect(text).toContain(
				`Priorité ${priority.fiche.priority} → ${other} : Mise en œuvre avancée.`
			);
			expect(text).toContain('Avis favorable : Avis motivé.');
			const body = render(FilePage, { props: { data } as never }).body;
			expect(body).toMatch(
				new RegExp(`<a href="/commission/seances/${sittingId}">Relevé de décisions du`)
			);
			expect(body).toContain('<a href="/fiches/6-1">Page publique de la fiche 6-1</a>');
		}
		// A point without a decision says so, as the relevé does.
		const bare = (await heldSitting(db, admin, { fiches: ['5-1'], heldOn: '2026-04-01' }))
			.sittingId;
		await changeSittingState(db, admin, bare, 'closed', null);
		expect(shown(await fileAs(admin, bare, '5-1'))).toContain(
			'Décisions de la séance sur cette fiche Pas de décision.'
		);
	});

	it('says a fiche never updated « Jamais mise à jour », not « depuis 6 mois »', async () => {
		const admin = await staff('admin', 'anne@lot.fr');
		const { sittingId } = await heldSitting(db, admin, { fiches: ['6-1'], heldOn: '2026-03-01' });
		const data = (await fileAs(admin, sittingId, '6-1')) as unknown as {
			flags: { stale: boolean };
			fiche: { lastUpdate: string | null };
		};
		expect(data.flags.stale).toBe(true);
		expect(data.fiche.lastUpdate).toBeNull();
		const text = shown(data);
		expect(text).toContain('Jamais mise à jour');
		expect(text).not.toContain('Aucune mise à jour depuis');
	});

	it('leaves an organisation without a partner account out of who answers a campaign, saying why', async () => {
		const admin = await staff('admin', 'anne@lot.fr');
		const { sittingId } = await heldSitting(db, admin, { fiches: ['6-1'], heldOn: '2026-03-01' });
		const data = (await fileAs(admin, sittingId, '6-1')) as unknown as Record<string, unknown>;
		const text = shown({
			...data,
			campaigns: [
				{
					id: 1,
					title: 'Campagne de printemps',
					deadline: '2026-02-20',
					closedAt: null,
					organisations: [
						{ name: 'CDG46', label: 'manquante', state: 'missing' },
						{
							name: 'Syndicat mixte Lot numérique',
							label: 'non attendue, faute de compte partenaire actif',
							state: 'unreachable'
						}
					]
				}
			]
		});
		expect(text).toContain(
			'CDG46 : manquante. Non attendue, faute de compte partenaire actif (ni prévenue ni comptée) : Syndicat mixte Lot numérique'
		);
		expect(text).not.toContain('ne peut pas répondre');
	});
});
