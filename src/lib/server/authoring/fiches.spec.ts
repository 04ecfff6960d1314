import { describe, expect, it } from 'vitest';
import { parseFicheForm, ownerField, indicatorRowField } from '../../schemas/plan-edit';
import { formatMoment, formatNumber } from '../../utils/format';
import type { User } from '../auth/users';
import type { Db } from '../db';
import { createTestUser } from '../auth/testing';
import { abandonFiche, eachTestWithAdmin, editedFiche } from './testing';
import { listPriorityHistory } from '../commission/repository';
import { changeSittingState, recordDecision } from '../commission/service';
import { heldSitting } from '../commission/testing';
import { findFicheByCode, listFiches } from '../plan/repository';
import { ficheFormValues } from './fiche-form';
import {
	findFicheState,
	lastFicheRevisionId,
	listDecisionChoices,
	listFicheRevisionViews
} from './repository';
import { findMovedFicheCode, insertRevision, listFicheRevisions } from './revisions-repository';
import { createFiche, nextFicheNumber, rebaseTyping, retireFiche, updateFiche } from './fiches';
import { structuralHistory } from './structure';

let db: Db;
let admin: User;

eachTestWithAdmin((opened) => ({ db, admin } = opened));

async function organisationId(slug: string): Promise<number> {
	const row = await db
		.selectFrom('organisation')
		.select('id')
		.where('slug', '=', slug)
		.executeTakeFirstOrThrow();
	return row.id;
}

/** The form as the page fills it for `code`, with `changes` typed over it, parsed. */
async function edit(code: string, changes: Record<string, string>) {
	const parsed = await editedFiche(db, code, changes);
	expect(parsed.errors).toEqual({});
	return parsed.input!;
}

/** An objective's row, by its number in the plan. */
function objectiveNumbered(number: number) {
	return db
		.selectFrom('objective')
		.select('id')
		.where('number', '=', number)
		.executeTakeFirstOrThrow();
}

/** A decision of a closed séance (1 May 2026) on the fiche `code`, as the fiche's forms list it. */
async function closedDecisionOn(code: string) {
	const { sittingId, itemId } = await heldSitting(db, admin, { fiches: [code] });
	const decided = await recordDecision(
		db,
		admin,
		sittingId,
		itemId,
		{ kind: 'free', text: `Décision sur la fiche ${code}.` },
		null
	);
	expect(decided).toEqual({ ok: true });
	await changeSittingState(db, admin, sittingId, 'closed', null);
	return (await listDecisionChoices(db)).find((d) => d.ficheCode === code)!;
}

/** A decision of the plan's first séance (2019) on the fiche 10-1. */
async function decisionOn10_1() {
	return (await listDecisionChoices(db)).find((d) => d.ficheCode === '10-1')!;
}

describe('an organisation entered twice on a fiche', () => {
	// Walkthrough s49: saved, the rows broke fiche_partner's and fiche_owner's unique keys (a 500).
	it('is refused by the service, whoever calls it, nothing written', async () => {
		const state = (await findFicheState(db, '5-1'))!;
		const first = state.partners[0]!;
		const row = state.partners.length;
		const input = await edit('5-1', {
			[`partner_${row}_org`]: String(first.organisationId),
			[`partner_${row}_detail`]: 'Autre précision',
			reason: 'Nouveau partenariat'
		});
		expect(await updateFiche(db, admin, '5-1', input, null)).toMatchObject({
			ok: false,
			status: 400,
			fieldErrors: {
				[`partner_${row}_org`]: `« ${first.name} » est déjà partenaire de la fiche 5-1 (Partenaire 1) : une organisation n’est partenaire d’une fiche qu’une fois. Gardez une seule ligne.`
			}
		});
		expect((await findFicheState(db, '5-1'))!.partners).toEqual(state.partners);
	});

	it('may own a fiche twice with two scopes, not twice without one', async () => {
		const state = (await findFicheState(db, '7-3'))!;
		const owner = state.owners[0]!;
		const row = state.owners.length;
		const twoScopes = await edit('7-3', {
			[`owner_${row}_org`]: String(owner.organisationId),
			[`owner_${row}_scope`]: `${owner.scope ?? ''} (suite)`,
			reason: 'Second périmètre'
		});
		expect((await updateFiche(db, admin, '7-3', twoScopes, null)).ok).toBe(true);
		const again = (await findFicheState(db, '7-3'))!;
		const noScope = await edit('7-3', {
			[`owner_0_scope`]: '',
			[`owner_${row + 1}_org`]: String(owner.organisationId),
			reason: 'Sans périmètre'
		});
		expect(await updateFiche(db, admin, '7-3', noScope, null)).toMatchObject({
			ok: false,
			fieldErrors: {
				[`owner_${row + 1}_org`]: expect.stringContaining(
					`« ${owner.name} » porte déjà la fiche 7-3 sans périmètre (Porteur 1)`
				)
			}
		});
		expect((await findFicheState(db, '7-3'))!.owners).toEqual(again.owners);
	});
});

describe('a change of one fiche citing a decision', () => {
	it('is refused for a decision on another fiche: its edit, beside the field, nothing written', async () => {
		const decision = await decisionOn10_1();
		const input = await edit('17-1', {
			title: 'Un autre titre',
			reason: 'Relecture',
			decision: String(decision.id)
		});
		const result = await updateFiche(db, admin, '17-1', input, null);
		expect(result).toMatchObject({
			ok: false,
			status: 400,
			fieldErrors: {
				decision:
					'Cette décision porte sur la fiche 10-1 : choisissez une décision sur la fiche 17-1, ou sur un point libre de séance.'
			}
		});
		expect((await findFicheByCode(db, '17-1'))!.title).not.toBe('Un autre titre');
	});

	it('is refused for a decision on another fiche: its abandonment, the fiche left as it was', async () => {
		const state = (await findFicheState(db, '4-1'))!;
		const retire = (decisionId: number) =>
			retireFiche(
				db,
				admin,
				'4-1',
				{ version: state.version, reason: 'Projet repris', decisionId },
				null
			);
		expect(await retire((await decisionOn10_1()).id)).toMatchObject({
			ok: false,
			status: 400,
			fieldErrors: { decision: expect.stringContaining('porte sur la fiche 10-1') }
		});
		expect((await findFicheByCode(db, '4-1'))!.status).not.toBe('abandonnee');
		// A decision on the fiche itself is taken.
		const taken = await retire((await closedDecisionOn('4-1')).id);
		expect(taken).toEqual({ ok: true });
	});
});

describe('editing a fiche', () => {
	it('the unchanged form gives the fiche back as it is (every text round-trips)', async () => {
		for (const fiche of await listFiches(db)) {
			const result = await updateFiche(
				db,
				admin,
				fiche.code,
				await edit(fiche.code, { reason: 'Relecture' }),
				null
			);
			expect(result).toMatchObject({ ok: false, status: 400 });
		}
	});

	it('an organisation retired meanwhile is refused on its own row, owner or partner', async () => {
		const [ars, cdg] = [await organisationId('ars'), await organisationId('cdg46')];
		// Chosen on a page opened before both were retired; the first owner row left empty.
		const input = await edit('17-1', {
			[ownerField(1, 'org')]: String(ars),
			partner_2_org: String(cdg),
			reason: 'Porteur et partenaire'
		});
		await db
			.updateTable('organisation')
			.set({ retired_at: '2026-12-01T10:00:00.000Z' })
			.where('id', 'in', [ars, cdg])
			.execute();
		const result = await updateFiche(db, admin, '17-1', input, null);
		expect(result).toMatchObject({ ok: false, status: 400 });
		const errors = !result.ok ? result.fieldErrors : {};
		expect(Object.keys(errors ?? {}).sort()).toEqual(['owner_1_org', 'partner_2_org']);
		// Named, so that the admin knows which row to change.
		expect(errors?.owner_1_org).toMatch(/^L’organisation « ARS » a été retirée ou fusionnée/);
		expect(errors?.partner_2_org).toMatch(/^L’organisation « CDG46 » a été retirée/);
	});

	it('writes the owners, one revision with French labels, a journal line, and the search text', async () => {
		const decision = await closedDecisionOn('17-1');
		const input = await edit('17-1', {
			[ownerField(0, 'org')]: String(await organisationId('departement-du-lot')),
			[ownerField(0, 'scope')]: 'Pilotage',
			reason: 'Porteur choisi par la commission du 1er février 2019',
			decision: String(decision!.id)
		});
		const result = await updateFiche(db, admin, '17-1', input, '192.0.2.1');
		expect(result).toEqual({ ok: true, value: { code: '17-1', changed: 1 } });

		const fiche = (await findFicheByCode(db, '17-1'))!;
		expect(fiche.owners.map((o) => [o.slug, o.scope])).toEqual([
			['departement-du-lot', 'Pilotage']
		]);
		const [revision, ...older] = await listFicheRevisions(db, fiche.id);
		expect(older).toEqual([]);
		expect(revision).toMatchObject({
			entity: 'fiche',
			action: 'updated',
			reason: 'Porteur choisi par la commission du 1er février 2019',
			decisionId: decision!.id,
			origin: 'portal',
			userId: admin.id,
			changes: [
				{ field: 'owners', label: 'Porteurs', before: '', after: 'Département du Lot — Pilotage' }
			]
		});
		// Its public list names the decision and the fiche it was taken on.
		const { revisions } = await listFicheRevisionViews(db, fiche.id, 3, { authors: false });
		expect(revisions[0]!.decision).toEqual({
			sittingId: expect.any(Number),
			heldOn: decision!.heldOn,
			text: decision!.text,
			ficheCode: decision!.ficheCode
		});
		const journal = await db
			.selectFrom('audit_event')
			.selectAll()
			.where('action', '=', 'plan.fiche_updated')
			.execute();
		expect(journal).toHaveLength(1);
		expect(journal[0]!.summary).toContain('Fiche 17-1 modifiée (Porteurs)');
		expect(
			(await listFiches(db, { organisation: 'departement-du-lot' })).map((f) => f.code)
		).toContain('17-1');
		const { search_text } = await db
			.selectFrom('fiche')
			.select('search_text')
			.where('code', '=', '17-1')
			.executeTakeFirstOrThrow();
		expect(search_text).toContain('pilotage');
	});

	// Review of authoring: the form gave a fiche another live fiche's title, which adding a fiche
	// and the import refuse.
	it('refuses a title another live fiche bears (foldForMatching), not its own re-cased', async () => {
		const other = (await findFicheState(db, '14-1'))!;
		const input = await edit('17-1', {
			title: ` ${other.title.toUpperCase()} !`,
			reason: 'Titre repris'
		});
		expect(await updateFiche(db, admin, '17-1', input, null)).toEqual({
			ok: false,
			status: 400,
			message: expect.any(String),
			fieldErrors: {
				title:
					'La fiche 14-1 porte déjà ce titre (capitales, accents, espaces et ponctuation mis à part) : donnez à celle-ci un autre titre.'
			}
		});
		expect((await findFicheState(db, '17-1'))!.version).toBe(1);
		const own = (await findFicheState(db, '14-1'))!;
		const recased = await edit('14-1', { title: own.title.toUpperCase(), reason: 'Capitales' });
		expect((await updateFiche(db, admin, '14-1', recased, null)).ok).toBe(true);
	});

	it('refuses the second of two admins with what the first changed, who and when, overwriting nothing', async () => {
		const first = await edit('14-1', { title: 'Wifi public lotois', reason: 'Titre usuel' });
		const second = await edit('14-1', {
			short_title: 'Wifi',
			reason: 'Titre court'
		});
		const at = new Date('2026-12-07T20:40:00Z');
		const bruno = await createTestUser(db, {
			email: 'bruno@lot.fr',
			name: 'Bruno Admin',
			role: 'admin'
		});
		expect((await updateFiche(db, admin, '14-1', first, null, at)).ok).toBe(true);
		const refused = await updateFiche(db, bruno, '14-1', second, null);
		expect(refused).toMatchObject({
			ok: false,
			status: 409,
			message: `Anne Admin a modifié cette fiche le ${formatMoment(at.getTime())}, depuis que vous l’avez ouverte : rien n’a été enregistré. Ses changements sont listés ci-dessous ; vos saisies sont gardées. Relisez-les, puis enregistrez à nouveau.`,
			changes: [{ field: 'title', label: 'Titre', after: 'Wifi public lotois' }]
		});
		const state = (await findFicheState(db, '14-1'))!;
		expect(state.title).toBe('Wifi public lotois');
		expect(state.shortTitle).not.toBe('Wifi');
		expect(state.version).toBe(2);
		expect(await listFicheRevisions(db, state.id)).toHaveLength(1);
	});

	it('names every admin whose saves lie between, and the last one’s moment', async () => {
		const stale = await edit('14-1', { short_title: 'Wifi', reason: 'Titre court' });
		const bruno = await createTestUser(db, {
			email: 'bruno@lot.fr',
			name: 'Bruno Admin',
			role: 'admin'
		});
		const saves = [
			[admin, { title: 'Wifi public lotois' }, '2026-12-07T08:00:00Z'],
			[bruno, { title: 'Wifi public du Lot' }, '2026-12-07T09:05:00Z'],
			[admin, { title: 'Wifi public' }, '2026-12-07T20:40:00Z']
		] as const;
		for (const [who, change, at] of saves)
			expect(
				(
					await updateFiche(
						db,
						who,
						'14-1',
						await edit('14-1', { ...change, reason: 'Titre' }),
						null,
						new Date(at)
					)
				).ok
			).toBe(true);
		const refused = await updateFiche(db, admin, '14-1', stale, null);
		expect(!refused.ok && refused.message).toMatch(
			`Bruno Admin et vous avez modifié cette fiche depuis que vous l’avez ouverte, en dernier le ${formatMoment(saves[2][2])} : rien n’a été enregistré. Ses changements`
		);
		// Posted by a third admin, every author is named.
		const chloe = await createTestUser(db, {
			email: 'chloe@lot.fr',
			name: 'Chloé Admin',
			role: 'admin'
		});
		const byChloe = await updateFiche(db, chloe, '14-1', stale, null);
		expect(!byChloe.ok && byChloe.message).toMatch(
			`Anne Admin et Bruno Admin ont modifié cette fiche depuis que vous l’avez ouverte, en dernier le ${formatMoment(saves[2][2])} : rien`
		);
	});

	it('says « vous » to an admin whose own save in another tab came first', async () => {
		const stale = await edit('14-1', { short_title: 'Wifi', reason: 'Titre court' });
		const at = new Date('2026-12-07T20:40:00Z');
		const saved = await edit('14-1', { title: 'Wifi public lotois', reason: 'Titre usuel' });
		expect((await updateFiche(db, admin, '14-1', saved, null, at)).ok).toBe(true);
		const refused = await updateFiche(db, admin, '14-1', stale, null);
		expect(!refused.ok && refused.message).toBe(
			`Vous avez modifié cette fiche depuis un autre onglet, une autre fenêtre ou un autre appareil le ${formatMoment(at.getTime())}, depuis que vous l’avez ouverte : rien n’a été enregistré. Ses changements sont listés ci-dessous ; vos saisies sont gardées. Relisez-les, puis enregistrez à nouveau.`
		);
	});

	// Review #14: « Ses changements sont listés ci-dessous » above no list at all.
	it('promises no list of changes when it has none to show', async () => {
		const input = await edit('14-1', { title: 'Wifi public lotois', reason: 'Titre usuel' });
		// The version moved on without a revision: there is nothing to list, nor anyone to name.
		await db
			.updateTable('fiche')
			.set((eb) => ({ version: eb('version', '+', 1) }))
			.where('code', '=', '14-1')
			.execute();
		const unlisted =
			'Quelqu’un a modifié cette fiche depuis que vous l’avez ouverte : rien n’a été enregistré. Vos saisies sont gardées ; ouvrez la fiche dans un autre onglet pour voir ce qui a changé, puis enregistrez à nouveau.';
		const refused = await updateFiche(db, admin, '14-1', input, null);
		expect(refused).toMatchObject({ ok: false, status: 409, changes: [] });
		expect(!refused.ok && refused.message).toBe(unlisted);
		const state = (await findFicheState(db, '7-3'))!;
		const retired = await retireFiche(
			db,
			admin,
			'7-3',
			{ version: state.version + 1, reason: 'Encore', decisionId: null },
			null
		);
		expect(retired).toMatchObject({ ok: false, status: 409, message: unlisted });
	});

	it('edits, adds and retires indicators, keeping the measurements of a retired one', async () => {
		const state = (await findFicheState(db, '14-1'))!;
		const first = state.indicators[0]!;
		const before = await db
			.selectFrom('measurement')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('indicator_id', '=', first.id)
			.executeTakeFirstOrThrow();
		const n = state.indicators.length;
		const input = await edit('14-1', {
			[indicatorRowField(0, 'target')]: '340',
			[indicatorRowField(0, 'target_date')]: '2027-12-31',
			[indicatorRowField(0, 'retire')]: 'on',
			[indicatorRowField(n, 'label')]: 'Part des communes couvertes',
			[indicatorRowField(n, 'unit')]: '%',
			[indicatorRowField(n, 'kind')]: 'percentage',
			[indicatorRowField(n, 'target')]: '80',
			reason: 'Cible fixée par le comité syndical'
		});
		const result = await updateFiche(
			db,
			admin,
			'14-1',
			input,
			null,
			new Date('2026-12-01T09:00:00Z')
		);
		expect(result.ok).toBe(true);
		const after = (await findFicheState(db, '14-1'))!;
		expect(after.indicators[0]).toMatchObject({
			target: 340,
			targetDate: '2027-12-31',
			retiredAt: '2026-12-01'
		});
		expect(after.indicators.at(-1)).toMatchObject({
			label: 'Part des communes couvertes',
			kind: 'percentage',
			target: 80
		});
		const kept = await db
			.selectFrom('measurement')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('indicator_id', '=', first.id)
			.executeTakeFirstOrThrow();
		expect(kept.n).toBe(before.n);
		const [revision] = await listFicheRevisions(db, state.id);
		expect(revision!.changes.map((c) => c.label)).toEqual([
			`Indicateur « ${first.label} » : cible`,
			`Indicateur « ${first.label} » : état`,
			'Nouvel indicateur'
		]);
		// With its unit, as the fiche writes it (indicatorValueText).
		expect(revision!.changes[0]!.after).toBe('340\u00a0communes au 31\u00a0décembre\u00a02027');
	});

	// Review of plan authoring: the form gave an abandoned fiche a new link, the workbook refused it.
	it('refuses a new link to an abandoned fiche, and keeps one the fiche already has', async () => {
		expect((await abandonFiche(db, admin, '2-1')).ok).toBe(true);
		const kept = await edit('1-1', { title: 'Titre 1-1 relu', reason: 'Relecture' });
		expect(kept.linkedCodes).toContain('2-1');
		expect((await updateFiche(db, admin, '1-1', kept, null)).ok).toBe(true);
		expect((await abandonFiche(db, admin, '10-2')).ok).toBe(true);
		expect((await findFicheState(db, '3-1'))!.links.map((l) => l.code)).not.toContain('10-2');
		const added = await edit('3-1', { links: '7-1, 10-2', reason: 'Lien' });
		expect(await updateFiche(db, admin, '3-1', added, null)).toMatchObject({
			ok: false,
			fieldErrors: {
				links:
					'La fiche 10-2 est abandonnée\u00a0: une fiche abandonnée ne reçoit plus de nouveau lien (ceux qu’une fiche a déjà vers elle restent).'
			}
		});
	});

	it('refuses a decision of a sitting that is not closed, an unknown linked fiche, a bad target', async () => {
		const open = await edit('3-1', { title: 'Autre titre', reason: 'Essai', decision: '999999' });
		expect(await updateFiche(db, admin, '3-1', open, null)).toMatchObject({
			ok: false,
			status: 400,
			fieldErrors: { decision: expect.stringContaining('séance close') }
		});
		const links = await edit('3-1', { links: '99-9', reason: 'Essai' });
		expect(await updateFiche(db, admin, '3-1', links, null)).toMatchObject({
			ok: false,
			fieldErrors: { links: 'Aucune fiche ne porte le code 99-9.' }
		});
		const data = new FormData();
		const state = (await findFicheState(db, '3-1'))!;
		for (const [k, v] of Object.entries({
			...ficheFormValues(state, 0),
			[indicatorRowField(0, 'kind')]: 'percentage',
			[indicatorRowField(0, 'target')]: '120',
			reason: ''
		}))
			data.set(k, v);
		const parsed = parseFicheForm(data);
		expect(parsed.input).toBeUndefined();
		expect(parsed.errors[indicatorRowField(0, 'target')]).toContain('entre 0 et 100');
		expect(parsed.errors.reason).toContain('pourquoi');
		expect(parsed.values[indicatorRowField(0, 'target')]).toBe('120');
	});

	it('refuses an indicator dated out of the plan’s years, or its baseline dated after its target', async () => {
		const state = (await findFicheState(db, '3-1'))!;
		const parse = (dates: Record<string, string>) => {
			const data = new FormData();
			for (const [k, v] of Object.entries({
				...ficheFormValues(state, 0),
				[indicatorRowField(0, 'target')]: '10',
				[indicatorRowField(0, 'baseline')]: '2',
				reason: 'Dates',
				...dates
			}))
				data.set(k, v);
			return parseFicheForm(data).errors;
		};
		expect(
			parse({
				[indicatorRowField(0, 'target_date')]: '1900-01-01',
				[indicatorRowField(0, 'baseline_date')]: '2031-01-01'
			})
		).toEqual({
			[indicatorRowField(0, 'target_date')]:
				'Cette date doit tomber entre le 1er\u00a0janvier\u00a02000 et le 31\u00a0décembre\u00a02100.'
		});
		expect(
			parse({
				[indicatorRowField(0, 'target_date')]: '2027-12-31',
				[indicatorRowField(0, 'baseline_date')]: '2031-01-01'
			})
		).toEqual({
			[indicatorRowField(0, 'baseline_date')]: 'La valeur de départ doit être datée avant la cible.'
		});
		expect(
			parse({
				[indicatorRowField(0, 'target_date')]: '2027-12-31',
				[indicatorRowField(0, 'baseline_date')]: '2017-06-30'
			})
		).toEqual({});
	});

	it('reads linked codes typed with full-width digits, and names every malformed one at once', async () => {
		const wide = await editedFiche(db, '17-3', { links: '７-１, 2‑1', reason: 'Liens' });
		expect(wide.errors).toEqual({});
		expect(wide.input?.linkedCodes).toEqual(['7-1', '2-1']);
		const bad = await editedFiche(db, '17-3', { links: '99-9, abc, 7-1, x1', reason: 'Liens' });
		expect(bad.errors.links).toBe(
			'« abc », « x1 » ne sont pas des codes de fiche (exemple : 3-1).'
		);
	});

	it('moving a fiche to another objective gives it the next free code there', async () => {
		const target = await objectiveNumbered(4);
		const input = await edit('17-3', { objective: String(target.id), reason: 'Rattachement' });
		const result = await updateFiche(db, admin, '17-3', input, null);
		expect(result).toEqual({ ok: true, value: { code: '4-2', changed: 2 } });
		const [revision] = await listFicheRevisions(
			db,
			input ? (await findFicheState(db, '4-2'))!.id : 0
		);
		expect(revision!.action).toBe('moved');
		expect(revision!.changes.map((c) => [c.field, c.before, c.after])).toEqual([
			['code', '17-3', '4-2'],
			['objective', expect.stringMatching(/^17\. /), '4. Développer l’e-citoyenneté']
		]);
		// The plan's history names both codes, and its link the fiche it leads to.
		expect((await structuralHistory(db)).at(-1)).toMatchObject({
			title: 'Fiche 17-3 rattachée à un autre objectif : elle devient 4-2',
			link: { href: '/fiches/4-2/modifications', text: 'Modifications de la fiche 4-2' }
		});
		// Its former code still leads to it (the public pages redirect there); others lead nowhere.
		expect(await findMovedFicheCode(db, '17-3')).toBe('4-2');
		expect(await findMovedFicheCode(db, '17-2')).toBeUndefined();
		// 17-3, the highest code of objective 17, is not given again there.
		const seventeen = await objectiveNumbered(17);
		expect(
			await createFiche(
				db,
				admin,
				{ objectiveId: seventeen.id, title: 'Une nouvelle', reason: 'Essai', decisionId: null },
				null
			)
		).toEqual({ ok: true, value: { code: '17-4' } });
	});
});

describe('code allocation', () => {
	it('gives a fiche moved back to an objective the code it had there', async () => {
		const four = await objectiveNumbered(4);
		const seventeen = await objectiveNumbered(17);
		const move = async (code: string, objectiveId: number) =>
			updateFiche(
				db,
				admin,
				code,
				(await edit(code, { objective: String(objectiveId), reason: 'Rattachement' }))!,
				null
			);
		expect(await move('17-3', four.id)).toMatchObject({ ok: true, value: { code: '4-2' } });
		// A move undone: 17-3 again, not 17-4; 4-2 now leads to it, and is not given again in 4.
		expect(await move('4-2', seventeen.id)).toMatchObject({ ok: true, value: { code: '17-3' } });
		expect(await findMovedFicheCode(db, '4-2')).toBe('17-3');
		expect((await structuralHistory(db)).at(-1)).toMatchObject({
			title: 'Fiche 4-2 rattachée à un autre objectif : elle devient 17-3'
		});
		expect(
			await createFiche(
				db,
				admin,
				{ objectiveId: four.id, title: 'Une nouvelle', reason: 'Essai', decisionId: null },
				null
			)
		).toEqual({ ok: true, value: { code: '4-3' } });
		// Moved to 4 once more, it has 4-2 back.
		expect(await move('17-3', four.id)).toMatchObject({ ok: true, value: { code: '4-2' } });
	});

	it('refuses a tenth fiche in an objective, created or moved there (4-10 is no fiche’s code)', async () => {
		const four = await objectiveNumbered(4);
		const create = (n: number) =>
			createFiche(
				db,
				admin,
				{ objectiveId: four.id, title: `Une de plus (${n})`, reason: 'Essai', decisionId: null },
				null
			);
		for (let n = 2; n <= 9; n++)
			expect(await create(n)).toEqual({ ok: true, value: { code: `4-${n}` } });
		const message =
			'L’objectif 4 a déjà reçu neuf fiches (4-1 à 4-9, abandonnées ou déplacées comprises) : un code de fiche n’a qu’un chiffre après le tiret. Choisissez un autre objectif, ou créez-en un.';
		expect(await create(10)).toEqual({
			ok: false,
			status: 409,
			message,
			fieldErrors: { objective: message }
		});
		const moved = await updateFiche(
			db,
			admin,
			'17-3',
			await edit('17-3', { objective: String(four.id), reason: 'Rattachement' }),
			null
		);
		expect(moved).toMatchObject({ ok: false, status: 409, fieldErrors: { objective: message } });
		expect(await findFicheState(db, '17-3')).toBeDefined();
		expect(await findFicheState(db, '4-10')).toBeUndefined();
	});

	it('adds a fiche sent twice once: the second is told which fiche has its title', async () => {
		const four = await objectiveNumbered(4);
		const input = {
			objectiveId: four.id,
			title: 'Fiche envoyée deux fois',
			reason: 'Essai',
			decisionId: null
		};
		const [first, second] = await Promise.all([
			createFiche(db, admin, input, null),
			createFiche(db, admin, { ...input, title: ' fiche  ENVOYÉE deux fois ' }, null)
		]);
		expect(first).toEqual({ ok: true, value: { code: '4-2' } });
		const message =
			'La fiche 4-2 porte déjà ce titre : rien n’a été ajouté (un envoi précédent l’a peut-être créée). Pour une autre fiche, donnez-lui un autre titre.';
		expect(second).toEqual({ ok: false, status: 409, message, fieldErrors: { title: message } });
		expect(await findFicheState(db, '4-3')).toBeUndefined();
		// Abandoned, its title may be given to a fiche started afresh.
		expect((await abandonFiche(db, admin, '4-2')).ok).toBe(true);
		expect(await createFiche(db, admin, input, null)).toEqual({ ok: true, value: { code: '4-3' } });
	});

	it('gives the number after the highest ever given in the objective', () => {
		expect(nextFicheNumber([])).toBe(1);
		expect(nextFicheNumber([1])).toBe(2);
		expect(nextFicheNumber([1, 3, 2])).toBe(4);
		// A gap (a fiche moved away) is not reused: its code stays in that fiche's history.
		expect(nextFicheNumber([1, 3])).toBe(4);
	});
});

describe('a fiche’s links', () => {
	it('are a set: typed in another order, they make no change', async () => {
		const reordered = await edit('1-1', { links: '10-2 7-2, 2-1', reason: 'Ordre' });
		expect(await updateFiche(db, admin, '1-1', reordered, null)).toMatchObject({
			ok: false,
			message: 'Aucune modification à enregistrer : la fiche est déjà ainsi.'
		});
		const retitled = await edit('1-1', {
			links: '10-2, 2-1, 7-2',
			title: 'Titre revu',
			reason: 'Titre'
		});
		expect((await updateFiche(db, admin, '1-1', retitled, null)).ok).toBe(true);
		const { id } = (await findFicheState(db, '1-1'))!;
		const [last] = (await listFicheRevisionViews(db, id, undefined, { authors: false })).revisions;
		expect(last!.changes.map((c) => c.field)).toEqual(['title']);
	});
});

describe('an indicator’s kind and unit', () => {
	/** A measurement of the fiche's first indicator, in an update `state`. */
	async function measured(code: string, value: number, state: 'submitted' | 'validated') {
		const fiche = (await findFicheState(db, code))!;
		const update = await db
			.insertInto('progress_update')
			.values({
				fiche_id: fiche.id,
				organisation_id: null,
				reported_on: '2026-03-01',
				status: 'en_cours',
				progress: null,
				source: null,
				state,
				validated_at: state === 'validated' ? '2026-03-02T10:00:00.000Z' : null,
				author_id: null,
				submission_key: null,
				last_post_key: null,
				review_comment: null,
				reviewed_by: null,
				updated_by: null,
				updated_at: null,
				submitted_at: null
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await db
			.insertInto('measurement')
			.values({
				indicator_id: fiche.indicators[0]!.id,
				progress_update_id: update.id,
				measured_on: '2026-03-01',
				value,
				comment: null
			})
			.execute();
		return fiche.indicators[0]!;
	}
	const kind = indicatorRowField(0, 'kind');
	const unit = indicatorRowField(0, 'unit');

	it('a kind changes only if the values submitted fit the new one', async () => {
		const indicator = await measured('2-1', 1200.5, 'submitted');
		const refused = await updateFiche(
			db,
			admin,
			'2-1',
			await edit('2-1', { [kind]: 'boolean', reason: 'Nature' }),
			null
		);
		expect(refused).toMatchObject({ ok: false, status: 400 });
		expect(!refused.ok && refused.fieldErrors?.[kind]).toBe(
			`Cet indicateur a déjà reçu une valeur qui ne convient pas à la nature « oui ou non » (${formatNumber(1200.5)}) : gardez sa nature, ou retirez-le et créez un nouvel indicateur.`
		);
		expect((await findFicheState(db, '2-1'))!.indicators[0]!.kind).toBe(indicator.kind);
		const amount = await edit('2-1', { [kind]: 'amount', reason: 'Nature' });
		expect((await updateFiche(db, admin, '2-1', amount, null)).ok).toBe(true);
	});

	it('a kind never changes once measurements are published: they would read in it', async () => {
		// 14-1's seeded measurement (10, « bornes ») and this one.
		const indicator = await measured('14-1', 12, 'validated');
		for (const to of ['amount', 'percentage']) {
			const refused = await updateFiche(
				db,
				admin,
				'14-1',
				await edit('14-1', { [kind]: to, reason: 'Nature' }),
				null
			);
			expect(!refused.ok && refused.fieldErrors).toEqual({
				[kind]:
					'Cet indicateur a 2\u00a0mesures publiées : elles changeraient de sens. Retirez-le et créez un nouvel indicateur.'
			});
		}
		expect((await findFicheState(db, '14-1'))!.indicators[0]!.kind).toBe(indicator.kind);
	});

	it('a unit changes, once measurements are published, only with the box beside it ticked', async () => {
		const indicator = (await findFicheState(db, '14-1'))!.indicators[0]!;
		const typed = { [unit]: '% des communes', reason: 'Unité' };
		const refused = await updateFiche(db, admin, '14-1', await edit('14-1', typed), null);
		expect(refused).toMatchObject({ ok: false, status: 400 });
		expect(!refused.ok && refused.fieldErrors).toEqual({
			[unit]: `Cet indicateur a 1\u00a0mesure publiée : elle se lira en « % des communes » et non plus en « ${indicator.unit} ». Si c’est bien ce qu’elle mesure, cochez la case « Changer l’unité des mesures publiées » ; sinon, gardez son unité, ou retirez-le et créez un nouvel indicateur.`
		});
		expect((await findFicheState(db, '14-1'))!.indicators[0]!.unit).toBe(indicator.unit);
		const confirmed = await edit('14-1', {
			...typed,
			[indicatorRowField(0, 'unit_confirmed')]: 'on'
		});
		expect((await updateFiche(db, admin, '14-1', confirmed, null)).ok).toBe(true);
		expect((await findFicheState(db, '14-1'))!.indicators[0]!.unit).toBe('% des communes');
	});

	// Merge review s56: a value submitted in « bornes », then the unit changed to « % » without a
	// word, was published as « 10 % » once validated.
	it('a unit changes, once measurements are submitted, only with the box beside it ticked', async () => {
		const indicator = await measured('2-1', 3, 'submitted');
		const typed = { [unit]: 'connexions', reason: 'Unité' };
		const refused = await updateFiche(db, admin, '2-1', await edit('2-1', typed), null);
		expect(!refused.ok && refused.fieldErrors).toEqual({
			[unit]: `Cet indicateur a 1\u00a0mesure soumise, pas encore validée : elle se lira en « connexions » et non plus ${indicator.unit ? `en « ${indicator.unit} »` : 'sans unité'}. Si c’est bien ce qu’elle mesure, cochez la case « Changer l’unité des mesures publiées » ; sinon, gardez son unité, ou retirez-le et créez un nouvel indicateur.`
		});
		const confirmed = await edit('2-1', {
			...typed,
			[indicatorRowField(0, 'unit_confirmed')]: 'on'
		});
		expect((await updateFiche(db, admin, '2-1', confirmed, null)).ok).toBe(true);
	});

	it('a unit of an indicator without measurements changes freely', async () => {
		const typed = await edit('2-1', { [unit]: 'connexions', reason: 'Unité' });
		expect((await updateFiche(db, admin, '2-1', typed, null)).ok).toBe(true);
	});
});

describe('after a conflict', () => {
	const inputOf = (values: Record<string, string>) => {
		const data = new FormData();
		for (const [k, v] of Object.entries(values)) data.set(k, v);
		return parseFicheForm(data).input!;
	};
	/** The second admin's save, refused; the form as it comes back. */
	async function savedAfterConflict(code: string, typed: Record<string, string>) {
		const input = inputOf(typed);
		const refused = await updateFiche(db, admin, code, input, null);
		expect(refused.ok).toBe(false);
		return rebaseTyping(db, code, typed, input, refused.ok ? [] : refused.changes!);
	}

	it('keeps what the second admin typed and takes the first one’s change where they left the field alone', async () => {
		const state = (await findFicheState(db, '14-1'))!;
		const opened = ficheFormValues(state, await lastFicheRevisionId(db, state.id));
		const first = await edit('14-1', { title: 'Wifi public lotois', reason: 'Titre usuel' });
		expect((await updateFiche(db, admin, '14-1', first, null)).ok).toBe(true);
		const typed = { ...opened, short_title: 'Wifi', reason: 'Titre court' };
		const rebased = await savedAfterConflict('14-1', typed);
		expect(rebased).toMatchObject({
			title: 'Wifi public lotois',
			short_title: 'Wifi',
			reason: 'Titre court',
			version: '2'
		});
		expect((await updateFiche(db, admin, '14-1', inputOf(rebased), null)).ok).toBe(true);
		const after = (await findFicheState(db, '14-1'))!;
		expect([after.title, after.shortTitle]).toEqual(['Wifi public lotois', 'Wifi']);
	});

	it('takes the first admin’s indicator change where the second left that indicator field alone', async () => {
		const state = (await findFicheState(db, '14-1'))!;
		const opened = ficheFormValues(state, await lastFicheRevisionId(db, state.id));
		const target = indicatorRowField(0, 'target');
		const label = indicatorRowField(0, 'label');
		const first = await edit('14-1', { [target]: '42', reason: 'Cible votée' });
		expect((await updateFiche(db, admin, '14-1', first, null)).ok).toBe(true);
		// The second admin renamed the indicator, and did not touch its target.
		const typed = { ...opened, [label]: 'Points d’accès wifi en service', reason: 'Intitulé' };
		const rebased = await savedAfterConflict('14-1', typed);
		expect(rebased[target]).toBe('42');
		expect(rebased[label]).toBe('Points d’accès wifi en service');
		expect((await updateFiche(db, admin, '14-1', inputOf(rebased), null)).ok).toBe(true);
		const after = (await findFicheState(db, '14-1'))!.indicators[0]!;
		expect([after.label, after.target]).toEqual(['Points d’accès wifi en service', 42]);
	});

	it.each([
		['unit', 'territoires'],
		['kind', 'amount']
	] as const)(
		'keeps the first admin’s new target when the second changed only the indicator’s %s',
		async (part, typedValue) => {
			const [target, targetDate] = [
				indicatorRowField(1, 'target'),
				indicatorRowField(1, 'target_date')
			];
			const voted = await edit('2-1', {
				[target]: '25',
				[targetDate]: '2027-12-31',
				reason: 'Cible votée'
			});
			expect((await updateFiche(db, admin, '2-1', voted, null)).ok).toBe(true);
			const state = (await findFicheState(db, '2-1'))!;
			const opened = ficheFormValues(state, await lastFicheRevisionId(db, state.id));
			// Alice changes indicator 2's target and saves first.
			const first = await edit('2-1', {
				[target]: '60',
				[targetDate]: '2028-12-31',
				reason: 'Cible revue'
			});
			expect((await updateFiche(db, admin, '2-1', first, null)).ok).toBe(true);
			// Bruno changed only its unit (or its kind), the target as he opened it.
			const typed = { ...opened, [indicatorRowField(1, part)]: typedValue, reason: 'Unité' };
			const rebased = await savedAfterConflict('2-1', typed);
			expect([rebased[target], rebased[targetDate]]).toEqual(['60', '2028-12-31']);
			expect(rebased[indicatorRowField(1, part)]).toBe(typedValue);
			expect((await updateFiche(db, admin, '2-1', inputOf(rebased), null)).ok).toBe(true);
			const after = (await findFicheState(db, '2-1'))!.indicators[1]!;
			expect([after.target, after.targetDate, after[part]]).toEqual([60, '2028-12-31', typedValue]);
		}
	);

	it('two admins each add an indicator: the second, after the conflict, saves theirs after the first’s', async () => {
		const state = (await findFicheState(db, '14-1'))!;
		const opened = ficheFormValues(state, await lastFicheRevisionId(db, state.id));
		const n = state.indicators.length;
		const newRow = (label: string, reason: string) => ({
			...opened,
			[indicatorRowField(n, 'label')]: label,
			[indicatorRowField(n, 'kind')]: 'count',
			reason
		});
		const first = inputOf(newRow('Nombre de bornes installées', 'Premier'));
		expect((await updateFiche(db, admin, '14-1', first, null)).ok).toBe(true);
		const rebased = await savedAfterConflict(
			'14-1',
			newRow('Nombre de communes couvertes', 'Second')
		);
		// The form shows the first admin's indicator, then the typing of the second.
		expect([
			rebased[indicatorRowField(n, 'label')],
			rebased[indicatorRowField(n + 1, 'label')],
			rebased[indicatorRowField(n + 1, 'id')] ?? ''
		]).toEqual(['Nombre de bornes installées', 'Nombre de communes couvertes', '']);
		expect((await updateFiche(db, admin, '14-1', inputOf(rebased), null)).ok).toBe(true);
		const labels = (await findFicheState(db, '14-1'))!.indicators.map((i) => i.label);
		expect(labels.slice(n)).toEqual([
			'Nombre de bornes installées',
			'Nombre de communes couvertes'
		]);
	});

	it('a new indicator saved by a form that does not show another admin’s new one takes a free position', async () => {
		const state = (await findFicheState(db, '14-1'))!;
		const opened = ficheFormValues(state, await lastFicheRevisionId(db, state.id));
		const n = state.indicators.length;
		const row = (label: string) => ({
			[indicatorRowField(n, 'label')]: label,
			[indicatorRowField(n, 'kind')]: 'count'
		});
		const first = inputOf({ ...opened, ...row('Nombre de bornes installées'), reason: 'Premier' });
		expect((await updateFiche(db, admin, '14-1', first, null)).ok).toBe(true);
		// The same page, sent again with the fiche's new version but without the first's indicator.
		const fresh = ficheFormValues(
			(await findFicheState(db, '14-1'))!,
			await lastFicheRevisionId(db, state.id)
		);
		const second = inputOf({
			...opened,
			version: fresh.version!,
			seen_revision: fresh.seen_revision!,
			...row('Nombre de communes couvertes'),
			reason: 'Second'
		});
		expect((await updateFiche(db, admin, '14-1', second, null)).ok).toBe(true);
		const labels = (await findFicheState(db, '14-1'))!.indicators.map((i) => i.label);
		expect(labels.slice(n)).toEqual([
			'Nombre de bornes installées',
			'Nombre de communes couvertes'
		]);
	});
});

describe('adding and abandoning a fiche', () => {
	it('adds fiche 4-2 to objective 4 (its next free code), readable, listed and searchable', async () => {
		const objective = await objectiveNumbered(4);
		const result = await createFiche(
			db,
			admin,
			{
				objectiveId: objective.id,
				title: 'Budget participatif numérique',
				reason: 'Décision du comité syndical',
				decisionId: null
			},
			null,
			new Date('2026-11-30T23:30:00Z')
		);
		expect(result).toEqual({ ok: true, value: { code: '4-2' } });
		const fiche = (await findFicheByCode(db, '4-2'))!;
		expect(fiche).toMatchObject({
			title: 'Budget participatif numérique',
			priority: 2,
			status: 'a_lancer'
		});
		expect((await listFiches(db, { text: 'budget participatif' })).map((f) => f.code)).toEqual([
			'4-2'
		]);
		const [revision] = await listFicheRevisions(db, fiche.id);
		expect(revision!.action).toBe('created');
		// Its priority dates from its addition (that day in Paris), not from the plan's adoption.
		expect(await listPriorityHistory(db, fiche.id)).toEqual([
			{
				priority: 2,
				since: '2026-12-01',
				sittingId: null,
				sittingDate: null,
				sittingStartsAt: null,
				rationale: 'Priorité fixée à l’ajout de la fiche au plan.'
			}
		]);
		const again = await createFiche(
			db,
			admin,
			{ objectiveId: objective.id, title: 'Une autre', reason: 'Essai', decisionId: null },
			null
		);
		expect(again).toEqual({ ok: true, value: { code: '4-3' } });
	});

	it('retires a fiche: abandoned with its reason, history kept, never deleted', async () => {
		const state = (await findFicheState(db, '7-3'))!;
		const result = await retireFiche(
			db,
			admin,
			'7-3',
			{ version: state.version, reason: 'Plateforme reprise par la Région', decisionId: null },
			null
		);
		expect(result.ok).toBe(true);
		const after = (await findFicheByCode(db, '7-3'))!;
		expect(after.status).toBe('abandonnee');
		const row = await db
			.selectFrom('fiche')
			.select(['retired_reason', 'retired_on'])
			.where('code', '=', '7-3')
			.executeTakeFirstOrThrow();
		expect(row.retired_reason).toBe('Plateforme reprise par la Région');
		const [revision] = await listFicheRevisions(db, state.id);
		expect(revision!.changes).toEqual([
			{ field: 'status', label: 'Statut', before: expect.any(String), after: 'Abandonnée' }
		]);
		expect(
			await retireFiche(
				db,
				admin,
				'7-3',
				{ version: state.version + 1, reason: 'Encore', decisionId: null },
				null
			)
		).toMatchObject({ ok: false, status: 409 });
	});
});

// Left noticed s49: revisions stored before a unit change alone was told as such (b654766a) still
// listed « cible » and « valeur de référence » lines that only repeated the unit's.
describe('« Modifications » of a revision stored before a unit change was told alone', () => {
	it('lists the unit, not the target and baseline lines that only repeat it; a number changed too stays', async () => {
		const fiche = (await findFicheByCode(db, '1-1'))!;
		const line = (field: string, label: string, before: string, after: string) => ({
			field: `indicator.7.${field}`,
			label: `Indicateur « Communes équipées » : ${label}`,
			before,
			after
		});
		const unit = line('unit', 'unité', 'communes', 'sites');
		const changed = line(
			'baseline',
			'valeur de référence',
			'12\u00a0communes au 1er\u00a0janvier\u00a02024',
			'15\u00a0sites au 1er\u00a0janvier\u00a02024'
		);
		await insertRevision(db, {
			entity: 'fiche',
			entityId: fiche.id,
			ficheId: fiche.id,
			action: 'updated',
			changes: [
				unit,
				line(
					'target',
					'cible',
					'340\u00a0communes au 31\u00a0décembre\u00a02027',
					'340\u00a0sites au 31\u00a0décembre\u00a02027'
				),
				changed
			],
			reason: 'Unité corrigée',
			decisionId: null,
			origin: 'portal',
			userId: admin.id,
			createdAt: '2026-11-20T10:00:00.000Z'
		});
		const { revisions } = await listFicheRevisionViews(db, fiche.id, 1, { authors: false });
		expect(revisions[0]!.changes).toEqual([unit, changed]);
	});
});
