import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DENIALS_JOURNALED_PER_DAY, DRAFT_SAVES_JOURNALED_PER_DAY } from '../audit/repository';
import type { User } from '../auth/users';
import type { Db } from '../db';
import { getDataRevision } from '../db/revision';
import { createTestDb } from '../db/testing';
import { abandonFiche } from '../authoring/testing';
import { findFicheByCode } from '../plan/repository';
import { listFicheFlags } from '../commission/service';
import { loadDashboardInput, loadFicheStatesAsOf } from '../dashboard/repository';
import { listDecisionChoices } from '../authoring/repository';
import { OpenDataSet } from '../opendata/resources';
import { STATUS_LABELS, UPDATE_NOT_FOUND, type FicheStatus } from '../../utils/vocabulary';
import { insertRevision } from '../authoring/revisions-repository';
import { findFicheForReporting, findProgressUpdate, listSubmittedUpdates } from './repository';
import {
	reviewProgressUpdate,
	saveProgressForm,
	setFicheStatus,
	saveProgressUpdate,
	withdrawProgressUpdate,
	WITHDRAWALS_PER_DAY
} from './service';
import { createPartner, createProgressCast, progressFormData, progressInput } from './testing';

let db: Db;
let cdg: User;
let colleague: User;
let ars: User;
let admin: User;

beforeEach(async () => {
	db = await createTestDb();
	({ cdg, colleague, ars, admin } = await createProgressCast(db));
});
afterEach(async () => {
	await db.destroy();
});

/** The rows of a table (progress updates by default). */
const count = async (table: 'progress_update' | 'audit_event' = 'progress_update') =>
	Number(
		(
			await db
				.selectFrom(table)
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow()
		).n
	);

/** Staff's `decision` on update `id`, seen at `version`: the service's answer. */
const review = (
	id: number,
	version: number,
	decision: 'validate' | 'return',
	comment = '',
	now?: Date
) => reviewProgressUpdate(db, admin, { updateId: id, version, decision, comment }, null, now);

/** Staff validate update `id`, seen at version 1. */
const validate = (id: number) => review(id, 1, 'validate');

/**
 * The service's answer to `user` saving `code`'s update `id` (a new one when null) from the form,
 * with `progressInput(overrides)`.
 */
const save = (
	user: User,
	code: string,
	id: number | null,
	overrides: Parameters<typeof progressInput>[0] = {}
) => saveProgressUpdate(db, user, code, id, progressInput(overrides), null);

/** A new update of `code` by `user`, which must be accepted: its id. */
async function created(
	user: User,
	code: string,
	overrides: Parameters<typeof progressInput>[0] = {}
): Promise<number> {
	const result = await save(user, code, null, overrides);
	if (!result.ok) throw new Error(`not created: ${result.message}`);
	return result.value.id;
}

describe('saveProgressUpdate', () => {
	it('lets a partner of the fiche submit, with indicator values, and keeps it private until validated', async () => {
		const fiche = (await findFicheForReporting(db, '9-1'))!;
		const result = await saveProgressUpdate(
			db,
			cdg,
			'9-1',
			null,
			progressInput({
				measurements: [
					{
						indicatorId: fiche.indicators[0]!.id,
						measuredOn: '2026-02-01',
						value: 3.5,
						comment: 'trois services'
					}
				]
			}),
			'127.0.0.1'
		);
		expect(result).toMatchObject({ ok: true, value: { state: 'submitted', duplicate: false } });
		const published = (await findFicheByCode(db, '9-1'))!;
		expect(published.status).toBe('a_lancer');
		expect(published.history).toEqual([]);
		expect(published.indicators[0]!.measurements).toEqual([]);
		expect(await listSubmittedUpdates(db)).toHaveLength(1);
	});

	it('refuses a partner whose organisation neither carries nor partners the fiche, writing nothing', async () => {
		const before = await count();
		const result = await save(ars, '9-1', null);
		// 409, not 403: the organisation taken off the fiche while writing keeps its typing (the
		// service cannot tell that from a fiche it never worked on).
		expect(result).toMatchObject({
			ok: false,
			status: 409,
			reason: 'organisation-off-fiche',
			message: expect.stringContaining('Votre organisation ne porte pas la fiche 9-1')
		});
		// Only why: what the form keeps is the page's to say (the demo command has no form).
		expect(!result.ok && result.message).not.toContain('saisie');
		expect(await count()).toBe(before);
	});

	it('tells a partner whose organisation was taken off the fiche while they wrote, not « another tab » (review)', async () => {
		const draft = await created(cdg, '9-1', { intent: 'draft' });
		const fiche = (await findFicheForReporting(db, '9-1'))!;
		for (const table of ['fiche_owner', 'fiche_partner'] as const)
			await db
				.deleteFrom(table)
				.where('fiche_id', '=', fiche.id)
				.where('organisation_id', '=', cdg.organisationId!)
				.execute();
		for (const intent of ['draft', 'replace'] as const) {
			const refused = await save(cdg, '9-1', draft, {
				intent,
				done: 'Fait, et plus',
				version: 1,
				submissionKey: intent
			});
			expect(refused).toMatchObject({
				ok: false,
				reason: 'organisation-off-fiche',
				message: expect.stringContaining('ne porte plus la fiche 9-1')
			});
			expect(!refused.ok && refused.message).not.toContain('saisie');
		}
		expect((await findProgressUpdate(db, draft))!.done).not.toBe('Fait, et plus');
	});

	it('creates one update for a form posted twice', async () => {
		const input = progressInput();
		const first = await saveProgressUpdate(db, cdg, '1-2', null, input, null);
		const second = await saveProgressUpdate(db, cdg, '1-2', null, input, null);
		expect(second).toMatchObject({ ok: true, value: { duplicate: true } });
		expect(second.ok && first.ok && second.value.id === first.value.id).toBe(true);
		expect(await count()).toBe(9 + 1);
	});

	it('refuses « À lancer » without an advancement on a fiche published as advanced', async () => {
		await validate(await created(cdg, '1-2', { status: 'en_cours', progress: 40 }));
		const back = await save(cdg, '1-2', null, {
			status: 'a_lancer',
			progress: null,
			submissionKey: 'retour-a-lancer'
		});
		expect(back).toMatchObject({
			ok: false,
			status: 400,
			fieldErrors: {
				progress:
					'La fiche est publiée avancée à 40\u202f% : une fiche à lancer ne l’est pas. Indiquez 0 dans l’avancement, ou choisissez le statut « En cours ».'
			}
		});
		// A draft keeps it, to be set before submitting (left noticed s48).
		const draft = await created(cdg, '1-2', {
			status: 'a_lancer',
			progress: null,
			intent: 'draft',
			submissionKey: 'brouillon-a-lancer'
		});
		const zero = await save(cdg, '1-2', draft, {
			status: 'a_lancer',
			progress: 0,
			submissionKey: 'retour-a-zero',
			version: 1
		});
		expect(zero.ok).toBe(true);
	});

	it('tells an account refused over its own save in another tab that it was itself', async () => {
		const id = await created(cdg, '1-2', { intent: 'draft' });
		const saveTab = (done: string) => save(cdg, '1-2', id, { intent: 'draft', version: 1, done });
		expect((await saveTab('Premier onglet')).ok).toBe(true);
		const ownTab = await saveTab('Second onglet');
		expect(!ownTab.ok && ownTab.message).toMatch(
			// Walkthrough s46: the other save may come from a phone, not only another tab.
			/^Vous avez enregistré cette mise à jour depuis un autre onglet, une autre fenêtre ou un autre appareil pendant que vous la modifiiez\./
		);
	});

	it('refuses the second of two concurrent edits of the same draft and says what changed', async () => {
		const id = await created(cdg, '1-2', { intent: 'draft' });
		const saved = await save(cdg, '1-2', id, {
			intent: 'draft',
			version: 1,
			done: 'Version de Paul'
		});
		expect(saved.ok).toBe(true);
		const late = await save(colleague, '1-2', id, {
			intent: 'draft',
			version: 1,
			done: 'Version de Claire',
			progress: 50
		});
		expect(late).toMatchObject({ ok: false, status: 409 });
		if (late.ok) return;
		expect(late.message).toContain('Partenaire paul@cdg46.fr a enregistré cette mise à jour');

		expect(late.stored?.version).toBe(2);
		expect(late.changes).toEqual(
			expect.arrayContaining([
				{
					field: 'done',
					label: 'Ce qui a été fait',
					after: 'Version de Claire',
					before: 'Version de Paul'
				},
				{ field: 'progress', label: 'Avancement', after: '50\u202f%', before: '30\u202f%' }
			])
		);
		const status = late.changes?.find((c) => c.field === 'status');
		expect(status?.before).toBe(status?.after);
		// The table names the fields as the form does (review #14: « Statut », « Difficultés »).
		expect(late.changes?.slice(0, 6).map((c) => c.label)).toEqual([
			'Date de la mise à jour',
			'Statut de la fiche',
			'Avancement',
			'Ce qui a été fait',
			'Prochaines étapes',
			'Difficultés rencontrées'
		]);
		expect((await findProgressUpdate(db, id))!.done).toBe('Version de Paul');

		// Retrying with the old version is refused again; « replace » with the version shown wins.
		const retry = await save(colleague, '1-2', id, {
			intent: 'draft',
			version: 1,
			done: 'Version de Claire'
		});
		expect(retry).toMatchObject({ ok: false, status: 409 });
		const replaced = await save(colleague, '1-2', id, {
			intent: 'replace',
			version: 2,
			done: 'Version de Claire'
		});
		expect(replaced).toMatchObject({ ok: true, value: { state: 'draft' } });
		expect(await findProgressUpdate(db, id)).toMatchObject({
			done: 'Version de Claire',
			version: 3,
			state: 'draft'
		});
		const journal = await db
			.selectFrom('audit_event')
			.select(['action', 'summary'])
			.where('action', 'like', 'update.%')
			.orderBy('id')
			.execute();
		expect(journal.map((e) => e.action)).toEqual([
			'update.saved',
			'update.saved',
			'update.conflict',
			'update.conflict',
			'update.saved'
		]);
		expect(journal.at(-1)!.summary).toContain('à la place de la version 2');
	});

	// Walkthrough of the roles (s54): an amount's value read « 7 au 15 novembre 2026 » in the
	// conflict's table, where the update's page says « 1 234,50 € au 15 novembre 2026 ».
	it('writes an indicator’s values in the conflict’s table with their unit, as the update’s page', async () => {
		const indicator = (await findFicheForReporting(db, '1-2'))!.indicators[0]!;
		await db
			.updateTable('indicator')
			.set({ kind: 'amount' })
			.where('id', '=', indicator.id)
			.execute();
		const measured = (value: number) => [
			{ indicatorId: indicator.id, measuredOn: '2026-11-15', value, comment: null }
		];
		const id = await created(cdg, '1-2', { intent: 'draft', measurements: measured(3) });
		expect(
			(await save(cdg, '1-2', id, { intent: 'draft', version: 1, measurements: measured(1234.5) }))
				.ok
		).toBe(true);
		const late = await save(colleague, '1-2', id, {
			intent: 'submit',
			version: 1,
			measurements: measured(7)
		});
		if (late.ok) throw new Error('not refused');
		const row = late.changes?.find((r) => r.field === `indicator_${indicator.id}`);
		const plain = (text = '') => text.replace(/\s/g, ' ');
		expect(plain(row?.before)).toBe('1 234,50 € au 15 novembre 2026');
		expect(plain(row?.after)).toBe('7,00 € au 15 novembre 2026');
	});

	it('refuses a save on a draft a colleague has submitted meanwhile, journals it, and shows both versions', async () => {
		const id = await created(cdg, '1-2', { intent: 'draft', done: 'Brouillon commun' });
		expect(
			await save(cdg, '1-2', id, { intent: 'submit', version: 1, done: 'Version soumise par Paul' })
		).toMatchObject({ ok: true, value: { state: 'submitted' } });
		for (const intent of ['draft', 'submit'] as const) {
			const late = await save(colleague, '1-2', id, {
				intent,
				version: 1,
				done: 'Saisie de Claire'
			});
			expect(late).toMatchObject({ ok: false, status: 409 });
			if (late.ok) return;
			expect(late.message).toContain('a soumis cette mise à jour à Lot numérique');
			expect(late.stored).toMatchObject({ state: 'submitted', canReplace: true });
			expect(late.changes?.find((r) => r.field === 'done')).toMatchObject({
				after: 'Saisie de Claire',
				before: 'Version soumise par Paul'
			});
		}
		const refusals = await db
			.selectFrom('audit_event')
			.select(['actor_label', 'summary'])
			.where('action', '=', 'update.conflict')
			.execute();
		expect(refusals).toHaveLength(2);
		expect(refusals[0]!.actor_label).toBe('Partenaire claire@cdg46.fr');
		expect(refusals[0]!.summary).toContain('fiche 1-2');
		expect((await findProgressUpdate(db, id))!).toMatchObject({
			state: 'submitted',
			done: 'Version soumise par Paul'
		});
	});

	it('journals a partner’s stale saves one by one up to a bound a day, then counts them', async () => {
		const id = await created(cdg, '1-2', { intent: 'draft', done: 'Brouillon' });
		const stale = () => save(cdg, '1-2', id, { intent: 'draft', version: 999, done: 'En boucle' });
		for (let i = 0; i < DENIALS_JOURNALED_PER_DAY + 15; i++)
			expect(await stale()).toMatchObject({ ok: false, status: 409 });
		const { n } = await db
			.selectFrom('audit_event')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('action', '=', 'update.conflict')
			.executeTakeFirstOrThrow();
		expect(Number(n)).toBe(DENIALS_JOURNALED_PER_DAY);
		const tally = await db
			.selectFrom('audit_tally')
			.select(['subject', 'count'])
			.where('action', '=', 'update.conflict')
			.execute();
		expect(tally).toEqual([{ subject: `compte ${cdg.id}`, count: 15 }]);
	});

	it('journals a draft’s saves without its content, and the content once submitted', async () => {
		const id = await created(cdg, '1-2', { intent: 'draft', status: 'realisee', progress: 37 });
		await save(cdg, '1-2', id, { intent: 'draft', version: 1, status: 'en_cours', progress: 38 });
		await save(cdg, '1-2', id, { intent: 'submit', version: 2, status: 'en_cours', progress: 40 });
		const journal = await db
			.selectFrom('audit_event')
			.select(['action', 'before_state', 'after_state'])
			.where('target_id', '=', String(id))
			.orderBy('id')
			.execute();
		const drafts = journal.filter((e) => e.action === 'update.saved');
		expect(drafts).toHaveLength(2);
		for (const e of drafts) {
			expect(`${e.before_state} ${e.after_state}`).not.toMatch(/realisee|en_cours|37|38/);
		}
		const sent = journal.find((e) => e.action === 'update.submitted')!;
		expect(JSON.parse(sent.after_state!)).toMatchObject({ status: 'en_cours', progress: 40 });
		// What the draft said before it was sent stays out too.
		expect(sent.before_state).not.toMatch(/38/);
	});

	it('does not let a submitted update be edited any more', async () => {
		const id = await created(cdg, '1-2');
		const edit = await save(cdg, '1-2', id, { version: 1 });
		expect(edit).toMatchObject({ ok: false, status: 409 });
	});

	it('refuses an indicator of another fiche', async () => {
		const other = (await findFicheForReporting(db, '14-1'))!;
		const result = await save(cdg, '9-1', null, {
			measurements: [
				{
					indicatorId: other.indicators[0]!.id,
					measuredOn: '2026-01-01',
					value: 1,
					comment: null
				}
			]
		});
		expect(result).toMatchObject({ ok: false, status: 403 });
	});
});

describe('one open update per fiche and organisation', () => {
	it('refuses a second new update of the same fiche by a colleague, with the open one beside', async () => {
		const first = await save(cdg, '12-1', null, { intent: 'draft' });
		expect(first.ok).toBe(true);
		const before = await count();
		const second = await save(colleague, '12-1', null, { done: 'Autre saisie' });
		expect(second).toMatchObject({ ok: false, status: 409 });
		if (second.ok || !first.ok) return;
		expect(second.message).toContain('déjà en cours pour votre organisation');
		expect(second.stored).toMatchObject({ id: first.value.id, canReplace: true });
		expect(await count()).toBe(before);
		// Another organisation's update of the same fiche is its own.
		const other = await createPartner(db, 'departement-du-lot', 'dep@lot.fr');
		expect(await save(other, '12-1', null)).toMatchObject({
			ok: true
		});
	});

	it('the database itself refuses a second open update', async () => {
		const id = await created(cdg, '12-1');
		const copy = await db
			.selectFrom('progress_update')
			.select([
				'fiche_id',
				'organisation_id',
				'author_id',
				'reported_on',
				'done',
				'next_steps',
				'difficulties'
			])
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
		await expect(
			db
				.insertInto('progress_update')
				.values({ ...copy, submission_key: 'autre', state: 'draft' })
				.execute()
		).rejects.toThrow(/one open update/);
	});

	it('recognises the same form posted again (Back then submit), identical or not', async () => {
		const input = progressInput({ intent: 'submit' });
		const first = await saveProgressUpdate(db, cdg, '12-1', null, input, null);
		const again = await saveProgressUpdate(db, cdg, '12-1', null, input, null);
		expect(again).toMatchObject({ ok: true, value: { duplicate: true, state: 'submitted' } });
		const changed = await saveProgressUpdate(
			db,
			cdg,
			'12-1',
			null,
			{ ...input, done: 'Texte modifié après le retour en arrière' },
			null
		);
		expect(changed).toMatchObject({ ok: false, status: 409 });
		if (changed.ok || !first.ok) return;
		expect(changed.message).toContain('Ce formulaire avait déjà été envoyé');
		expect(changed.stored?.id).toBe(first.value.id);
		expect(await count()).toBe(9 + 1);
	});

	it('does not read a form key used on one fiche as a repeat on another', async () => {
		const input = progressInput({ intent: 'submit' });
		expect(await saveProgressUpdate(db, cdg, '12-1', null, input, null)).toMatchObject({
			ok: true
		});
		const elsewhere = await saveProgressUpdate(db, cdg, '9-1', null, input, null);
		expect(elsewhere).toMatchObject({ ok: false, status: 409 });
		if (elsewhere.ok) return;
		expect(elsewhere.message).toContain('déjà servi pour une autre fiche');
		expect(elsewhere.stored).toBeFalsy();
		expect(await count()).toBe(9 + 1);
	});

	it('recognises an edit posted again rather than calling it a conflict', async () => {
		const id = await created(cdg, '12-1', { intent: 'draft' });
		const edit = progressInput({ intent: 'submit', version: 1, done: 'Complété' });
		expect(await saveProgressUpdate(db, cdg, '12-1', id, edit, null)).toMatchObject({
			ok: true,
			value: { state: 'submitted' }
		});
		expect(await saveProgressUpdate(db, cdg, '12-1', id, edit, null)).toMatchObject({
			ok: true,
			value: { duplicate: true, state: 'submitted' }
		});
	});
});

describe('withdrawProgressUpdate', () => {
	it('takes a submitted update back to draft until staff act, journaled', async () => {
		const id = await created(cdg, '12-1');
		// Review h48 (maintainer): another organisation's update was refused 403 « Vous ne pouvez pas
		// retirer… » while a missing one was 404: its existence was told.
		expect(await withdrawProgressUpdate(db, ars, id, 1, null)).toEqual(
			await withdrawProgressUpdate(db, ars, 999_999, 1, null)
		);
		expect(await withdrawProgressUpdate(db, ars, id, 1, null)).toMatchObject({
			ok: false,
			status: 404,
			message: UPDATE_NOT_FOUND
		});
		expect(await withdrawProgressUpdate(db, colleague, id, 7, null)).toMatchObject({
			ok: false,
			status: 409
		});
		expect(await withdrawProgressUpdate(db, colleague, id, 1, null)).toEqual({
			ok: true,
			value: { ficheCode: '12-1' }
		});
		expect(await findProgressUpdate(db, id)).toMatchObject({
			state: 'draft',
			version: 2,
			submittedAt: null
		});
		expect(await listSubmittedUpdates(db)).toHaveLength(0);
		const stale = await validate(id);
		expect(stale).toMatchObject({ ok: false, status: 409 });
		if (!stale.ok) expect(stale.message).toContain('Le partenaire a retiré cette mise à jour');
		const resubmitted = await save(cdg, '12-1', id, { version: 2 });
		expect(resubmitted).toMatchObject({ ok: true, value: { state: 'submitted' } });
		await review(id, 3, 'validate');
		const late = await withdrawProgressUpdate(db, cdg, id, 4, null);
		expect(late).toMatchObject({ ok: false, status: 409 });
		if (!late.ok) expect(late.message).toContain('Lot numérique a déjà traité');
		const journal = await db
			.selectFrom('audit_event')
			.select('action')
			.where('action', '=', 'update.withdrawn')
			.execute();
		expect(journal).toHaveLength(1);
	});

	it('journals a draft saved back and forth one row per save up to DRAFT_SAVES_JOURNALED_PER_DAY a day, then counts it (probe)', async () => {
		const now = new Date('2026-03-02T10:00:00Z');
		const draft = progressInput({ intent: 'draft' });
		const first = await saveProgressUpdate(db, cdg, '9-1', null, draft, null, now);
		if (!first.ok) throw new Error(first.message);
		const saves = DRAFT_SAVES_JOURNALED_PER_DAY + 10;
		for (let n = 1; n < saves; n++) {
			const saved = await saveProgressUpdate(
				db,
				cdg,
				'9-1',
				first.value.id,
				{ ...draft, version: n, progress: n % 2 ? 31 : 30, submissionKey: `aller-retour-${n}` },
				null,
				now
			);
			expect(saved).toMatchObject({ ok: true, value: { state: 'draft' } });
		}
		const rows = await db
			.selectFrom('audit_event')
			.select('id')
			.where('action', '=', 'update.saved')
			.execute();
		expect(rows).toHaveLength(DRAFT_SAVES_JOURNALED_PER_DAY);
		const tally = await db.selectFrom('audit_tally').selectAll().execute();
		expect(tally).toEqual([
			expect.objectContaining({ action: 'update.saved', subject: `compte ${cdg.id}`, count: 10 })
		]);
		// Its submission keeps its own row.
		const submitted = await saveProgressUpdate(
			db,
			cdg,
			'9-1',
			first.value.id,
			{ ...draft, intent: 'submit', version: saves, submissionKey: 'envoi' },
			null,
			now
		);
		expect(submitted.ok).toBe(true);
		expect(
			await db
				.selectFrom('audit_event')
				.select('id')
				.where('action', '=', 'update.submitted')
				.execute()
		).toHaveLength(1);
	});

	it('is refused beyond WITHDRAWALS_PER_DAY a day per account: a withdraw-and-submit loop cannot fill the journal', async () => {
		const id = await created(cdg, '12-1');
		const now = new Date('2026-03-02T10:00:00Z');
		let version = 1;
		for (let n = 0; n < WITHDRAWALS_PER_DAY; n++) {
			expect((await withdrawProgressUpdate(db, cdg, id, version, null, now)).ok).toBe(true);
			const again = await save(cdg, '12-1', id, { intent: 'submit', version: version + 1 });
			expect(again).toMatchObject({ ok: true, value: { state: 'submitted' } });
			version += 2;
		}
		const refused = await withdrawProgressUpdate(db, cdg, id, version, null, now);
		expect(refused).toMatchObject({ ok: false, status: 429 });
		if (!refused.ok) expect(refused.message).toContain('celle-ci reste soumise à Lot numérique');
		expect((await findProgressUpdate(db, id))?.state).toBe('submitted');
		// The next day in Paris, it may be withdrawn again.
		const tomorrow = new Date('2026-03-03T00:30:00+01:00');
		expect((await withdrawProgressUpdate(db, cdg, id, version, null, tomorrow)).ok).toBe(true);
	});
});

describe('reviewProgressUpdate', () => {
	it('validation publishes the update, sets the fiche’s state and bumps the data revision', async () => {
		const fiche = (await findFicheForReporting(db, '9-1'))!;
		const id = await created(cdg, '9-1', {
			status: 'en_cours',
			progress: 40,
			measurements: [
				{
					indicatorId: fiche.indicators[0]!.id,
					measuredOn: '2026-02-01',
					value: 12,
					comment: null
				}
			]
		});
		const revision = (await getDataRevision(db))!.revision;
		expect(await validate(id)).toEqual({ ok: true });
		const published = (await findFicheByCode(db, '9-1'))!;
		expect(published).toMatchObject({ status: 'en_cours', progress: 40, lastUpdate: '2026-03-01' });
		expect(published.history.at(-1)).toMatchObject({
			done: 'Réunion de lancement tenue.',
			organisation: { slug: 'cdg46', name: 'CDG46' }
		});
		expect(published.indicators[0]!.measurements).toEqual([
			{ measuredOn: '2026-02-01', value: 12, comment: null }
		]);
		expect((await getDataRevision(db))!.revision).toBeGreaterThan(revision);
		const second = await review(id, 2, 'return', 'trop tard');
		expect(second).toMatchObject({ ok: false, status: 409 });
	});

	it('never brings back a fiche the plan abandoned: its status stays « abandonnée »', async () => {
		const id = await created(cdg, '9-1', { status: 'en_cours', progress: 50 });
		expect(await abandonFiche(db, admin, '9-1')).toMatchObject({ ok: true });
		expect((await findProgressUpdate(db, id))!.ficheRetiredOn).not.toBeNull();
		expect(await validate(id)).toEqual({ ok: true });
		const published = (await findFicheByCode(db, '9-1'))!;
		expect(published).toMatchObject({ status: 'abandonnee', progress: 50 });
		expect(published.history.at(-1)).toMatchObject({ status: 'en_cours' });
	});

	it('never abandons a fiche through an update that says « abandonnée » (written before)', async () => {
		const id = await created(cdg, '5-1', { status: 'en_cours', progress: 20 });
		// As a partner's form could send it before the status was kept for the plan.
		await db
			.updateTable('progress_update')
			.set({ status: 'abandonnee' })
			.where('id', '=', id)
			.execute();
		expect(await validate(id)).toEqual({ ok: true });
		expect(await findFicheByCode(db, '5-1')).toMatchObject({ status: 'a_lancer', progress: 20 });
		// The state as of a day (a bilan, a séance's file, the dashboard of a past day) reads it by
		// the same rule (review #14: it called the fiche abandoned).
		// A day after the validation, which is dated now.
		const day = '2099-12-31';
		const asOf = { code: '5-1', status: 'a_lancer', progress: 20 };
		expect(await loadFicheStatesAsOf(db, day, '5-1')).toEqual([expect.objectContaining(asOf)]);
		expect(await loadFicheStatesAsOf(db, day, '5-1', true)).toEqual([
			expect.objectContaining(asOf)
		]);
		expect((await loadDashboardInput(db, day)).fiches.find((f) => f.code === '5-1')).toMatchObject(
			asOf
		);
	});

	it('returning an update sends it back to the partner with the comment, who can resubmit', async () => {
		const id = await created(cdg, '1-2');
		await review(id, 1, 'return', 'Précisez le nombre d’agents formés.');
		const returned = (await findProgressUpdate(db, id))!;
		expect(returned).toMatchObject({
			state: 'returned',
			reviewComment: 'Précisez le nombre d’agents formés.',
			version: 2
		});
		const resubmitted = await save(colleague, '1-2', id, { version: 2, done: '42 agents formés.' });
		expect(resubmitted).toMatchObject({ ok: true, value: { state: 'submitted' } });
		expect((await findFicheByCode(db, '1-2'))!.history).toEqual([]);
	});

	it('keeps the day of the last return with its comment: the journal row of that return', async () => {
		const id = await created(cdg, '1-2');
		expect((await findProgressUpdate(db, id))!.returnedAt).toBeNull();
		const sendBack = (version: number, comment: string, at: string) =>
			review(id, version, 'return', comment, new Date(at));
		await sendBack(1, 'Précisez le nombre d’agents formés.', '2026-12-01T09:00:00.000Z');
		expect((await findProgressUpdate(db, id))!.returnedAt).toBe('2026-12-01T09:00:00.000Z');
		await save(colleague, '1-2', id, { version: 2, done: '42 agents formés.' });
		await sendBack(3, 'Et combien de sessions ?', '2026-12-05T10:00:00.000Z');
		// Saved as a draft since: still the comment of the second return, and its day.
		const draft = { version: 4, intent: 'draft' as const, done: '42 agents, 3 sessions.' };
		expect(await save(colleague, '1-2', id, draft)).toMatchObject({
			ok: true
		});
		expect(await findProgressUpdate(db, id)).toMatchObject({
			state: 'draft',
			reviewComment: 'Et combien de sessions ?',
			returnedAt: '2026-12-05T10:00:00.000Z'
		});
	});

	it('refuses a decision on a version the admin has not seen', async () => {
		const id = await created(cdg, '1-2');
		expect(await review(id, 7, 'validate')).toMatchObject({ ok: false, status: 409 });
	});

	it('journals submissions and decisions with before and after', async () => {
		const id = await created(cdg, '1-2');
		await validate(id);
		const events = await db
			.selectFrom('audit_event')
			.select(['action', 'before_state', 'after_state'])
			.where('action', 'like', 'update.%')
			.orderBy('id')
			.execute();
		expect(events.map((e) => e.action)).toEqual(['update.submitted', 'update.validated']);
		expect(JSON.parse(events[1]!.before_state!)).toEqual({
			fiche: { status: 'a_lancer', progress: null, lastUpdate: null }
		});
		expect(JSON.parse(events[1]!.after_state!)).toEqual({
			fiche: { status: 'en_cours', progress: 30, lastUpdate: '2026-03-01' }
		});
	});
});

/** The progress form as posted, a new key each time: the same key is the same form sent again. */
const posted = (fields: Record<string, string>) =>
	progressFormData({
		submission_key: `cle-${Math.random().toString(36).slice(2, 12)}`,
		...fields
	});

describe('an indicator retired while a partner writes', () => {
	it('refuses a value sent for it, by name, and keeps nothing of it unseen', async () => {
		const fiche = (await findFicheForReporting(db, '1-1'))!;
		const indicator = fiche.indicators[0]!;
		const field = (part: string) => `indicator_${indicator.id}_${part}`;
		const id = await created(cdg, '1-1', {
			intent: 'draft',
			measurements: [
				{ indicatorId: indicator.id, measuredOn: '2026-02-01', value: 8, comment: null }
			]
		});
		// Retired from the plan while the partner's page was open.
		await db
			.updateTable('indicator')
			.set({ retired_at: '2026-03-02T09:00:00.000Z' })
			.where('id', '=', indicator.id)
			.execute();
		expect((await findFicheForReporting(db, '1-1'))!.retiredIndicators).toEqual([
			{ id: indicator.id, label: indicator.label, retiredAt: '2026-03-02T09:00:00.000Z' }
		]);
		const stale = posted({
			version: '1',
			done: 'Fait, et plus',
			[field('date')]: '2026-02-01',
			[field('value')]: '8'
		});
		const refused = await saveProgressForm(db, cdg, '1-1', id, stale, null);
		expect(refused).toMatchObject({ ok: false, status: 410 });
		expect(!refused.ok && refused.message).toContain(
			`L’indicateur « ${indicator.label} » a été retiré du plan le 2\u00a0mars\u00a02026, depuis l’ouverture de cette page : il ne reçoit plus de valeur (vous aviez saisi 8).`
		);
		const draft = (await findProgressUpdate(db, id))!;
		expect(draft).toMatchObject({ version: 1, done: 'Réunion de lancement tenue.' });
		expect(draft.measurements).toHaveLength(1);
		// Sent again from the page drawn without it: saved, the retired value is not kept.
		expect(
			await saveProgressForm(db, cdg, '1-1', id, posted({ version: '1', done: 'Fait' }), null)
		).toMatchObject({ ok: true });
		expect((await findProgressUpdate(db, id))!.measurements).toEqual([]);
	});
});

describe('a form refused for its fields, its update changed meanwhile', () => {
	it('says so with the fields’ messages, not only on the next attempt', async () => {
		const id = await created(cdg, '1-1', { intent: 'draft' });
		const mistaken = { version: '1', progress: '150' };
		// Unchanged: the fields' message alone.
		const alone = await saveProgressForm(db, cdg, '1-1', id, posted(mistaken), null);
		expect(alone).toMatchObject({
			ok: false,
			status: 400,
			message: 'Le formulaire contient des erreurs : corrigez les champs signalés.'
		});
		// A colleague submits it meanwhile.
		expect(
			await saveProgressForm(
				db,
				colleague,
				'1-1',
				id,
				posted({ version: '1', intent: 'submit' }),
				null
			)
		).toMatchObject({ ok: true });
		const refused = await saveProgressForm(db, cdg, '1-1', id, posted(mistaken), null);
		expect(refused).toMatchObject({
			ok: false,
			status: 400,
			fieldErrors: { progress: expect.any(String) }
		});
		expect(!refused.ok && refused.message).toContain(
			`Par ailleurs, ${colleague.name} a soumis cette mise à jour à Lot numérique entre-temps`
		);
		// The page's summary of the fields says it above their links (the fields alone, unchanged).
		expect(!refused.ok && refused.fieldErrors?.form).toMatch(
			new RegExp(`^Par ailleurs, ${colleague.name} a soumis`)
		);
		expect(!alone.ok && alone.fieldErrors).not.toHaveProperty('form');
	});
});

describe('a draft validated while another tab of it was open', () => {
	/** cdg46's draft of 1-1, submitted from another tab and validated: its id. */
	async function validatedMeanwhile(): Promise<number> {
		const id = await created(cdg, '1-1', { intent: 'draft', done: 'Première saisie' });
		expect(await save(cdg, '1-1', id, { intent: 'submit', version: 1 })).toMatchObject({
			ok: true
		});
		expect(await review(id, 2, 'validate')).toMatchObject({ ok: true });
		return id;
	}

	it('refuses the stale tab’s save and offers only to save the typing as a new update', async () => {
		const id = await validatedMeanwhile();
		const stale = posted({ version: '1', done: 'Saisie de l’onglet resté ouvert' });
		const refused = await saveProgressForm(db, cdg, '1-1', id, stale, null);
		expect(refused).toMatchObject({
			ok: false,
			status: 409,
			stored: { id, state: 'validated', canReplace: false, canSaveAsNew: true }
		});
		expect(!refused.ok && refused.message).toContain('comme nouvelle mise à jour');
	});

	it('refused for its fields, says so at once with a reason the page offers the new update for', async () => {
		const id = await validatedMeanwhile();
		const stale = posted({
			version: '1',
			progress: '150',
			done: 'Saisie de l’onglet resté ouvert'
		});
		const refused = await saveProgressForm(db, cdg, '1-1', id, stale, null);
		expect(refused).toMatchObject({
			ok: false,
			status: 400,
			reason: 'update-validated',
			fieldErrors: { progress: expect.any(String), form: expect.any(String) }
		});
		expect(!refused.ok && refused.fieldErrors?.form).toContain(
			'validé et publié cette mise à jour entre-temps'
		);
	});

	it('saves the typing as a new draft of the fiche, under a key of its own, once', async () => {
		const id = await validatedMeanwhile();
		// The page's key was the validated update's last one: sent again, it is answered as such.
		const { lastPostKey } = (await findProgressUpdate(db, id))!;
		const asNew = {
			submission_key: lastPostKey!,
			new_submission_key: 'cle-nouvelle-1',
			version: '1',
			intent: 'new',
			done: 'Saisie de l’onglet resté ouvert'
		};
		const saved = await saveProgressForm(db, cdg, '1-1', id, posted(asNew), null);
		expect(saved).toMatchObject({ ok: true, value: { state: 'draft', duplicate: false } });
		if (!saved.ok) return;
		expect(saved.value.id).not.toBe(id);
		expect(await findProgressUpdate(db, saved.value.id)).toMatchObject({
			state: 'draft',
			done: 'Saisie de l’onglet resté ouvert',
			organisationId: cdg.organisationId
		});
		expect(await findProgressUpdate(db, id)).toMatchObject({ state: 'validated', version: 3 });
		// A double click: the same key, the same draft, nothing created twice.
		const before = await count();
		const again = await saveProgressForm(db, cdg, '1-1', id, posted(asNew), null);
		expect(again).toMatchObject({ ok: true, value: { id: saved.value.id, duplicate: true } });
		expect(await count()).toBe(before);
	});

	it('keeps the typing and says so when the organisation has an open update of the fiche already', async () => {
		const id = await validatedMeanwhile();
		const open = await created(colleague, '1-1', { intent: 'draft', done: 'Brouillon de Claire' });
		const before = await count();
		const fields = { new_submission_key: 'cle-nouvelle-2', intent: 'new', done: 'Ma saisie' };
		const refused = await saveProgressForm(db, cdg, '1-1', id, posted(fields), null);
		expect(refused).toMatchObject({
			ok: false,
			status: 409,
			stored: { id: open, state: 'draft', canReplace: true, canSaveAsNew: false }
		});
		expect(!refused.ok && refused.message).toContain('déjà en cours pour votre organisation');
		expect(!refused.ok && refused.changes?.find((r) => r.field === 'done')).toMatchObject({
			after: 'Ma saisie',
			before: 'Brouillon de Claire'
		});
		expect(await count()).toBe(before);
	});
});

describe('what a partner can repeat at will stays bounded in the journal (security probe)', () => {
	it('bounds « replace » of a submitted update, then submit, as withdrawals are', async () => {
		const id = await created(cdg, '9-1');
		let version = 1;
		for (let n = 0; n < WITHDRAWALS_PER_DAY; n++) {
			const back = await save(cdg, '9-1', id, { intent: 'replace', version, done: `Essai ${n}` });
			expect(back).toMatchObject({ ok: true, value: { state: 'draft' } });
			const again = await save(cdg, '9-1', id, {
				intent: 'submit',
				version: version + 1,
				done: `Essai ${n}`
			});
			expect(again.ok).toBe(true);
			version += 2;
		}
		const refused = await save(cdg, '9-1', id, { intent: 'replace', version, done: 'Encore' });
		expect(refused).toMatchObject({ ok: false, status: 429 });
		expect((await findProgressUpdate(db, id))!.state).toBe('submitted');
		// A withdrawal is refused too: the two share one count.
		expect(await withdrawProgressUpdate(db, cdg, id, version, null)).toMatchObject({
			ok: false,
			status: 429
		});
	});

	it('writes nothing for a draft saved again unchanged, and says so; a change is saved', async () => {
		const draft = progressInput({ intent: 'draft' });
		const first = await saveProgressUpdate(db, cdg, '9-1', null, draft, null);
		if (!first.ok) throw new Error(first.message);
		const rows = await count('audit_event');
		for (let n = 0; n < 5; n++)
			expect(
				await saveProgressUpdate(db, cdg, '9-1', first.value.id, { ...draft, version: 1 }, null)
			).toEqual({
				ok: true,
				value: { id: first.value.id, state: 'draft', duplicate: false, unchanged: true }
			});
		expect(await count('audit_event')).toBe(rows);
		expect((await findProgressUpdate(db, first.value.id))!.version).toBe(1);
		const changed = await saveProgressUpdate(
			db,
			cdg,
			'9-1',
			first.value.id,
			{ ...draft, version: 1, progress: 31 },
			null
		);
		expect(changed).toMatchObject({ ok: true, value: { state: 'draft', duplicate: false } });
		expect(changed.ok && changed.value.unchanged).toBeFalsy();
		expect(await count('audit_event')).toBe(rows + 1);
	});
});

describe('reviewProgressUpdate', () => {
	it('refuses a return without a comment, whoever calls it: the partner must know what to correct', async () => {
		const id = await created(cdg, '9-1');
		expect(await review(id, 1, 'return', '  ')).toMatchObject({
			ok: false,
			status: 400,
			fieldErrors: { comment: 'Expliquez au partenaire ce qu’il doit corriger.' }
		});
		expect((await findProgressUpdate(db, id))!.state).toBe('submitted');
	});
});

describe('setFicheStatus', () => {
	/** Sets the status of `code` from a page showing its status of now (or `shown`). */
	const setStatus = async (
		code: string,
		status: 'suspendue' | 'a_lancer' | 'en_cours',
		{
			decisionId = null,
			user = admin,
			reason = 'Décision de la commission',
			shown
		}: { decisionId?: number | null; user?: User; reason?: string; shown?: FicheStatus } = {}
	) =>
		setFicheStatus(
			db,
			user,
			code,
			{
				status,
				shownStatus: shown ?? (await findFicheByCode(db, code))?.status ?? 'a_lancer',
				reason,
				decisionId
			},
			null,
			new Date('2026-03-10T10:00:00Z')
		);
	const suspend = (code: string, decisionId: number | null = null, user = admin) =>
		setStatus(code, 'suspendue', {
			decisionId,
			user,
			reason: 'Suspendue jusqu’au prochain bilan'
		});

	it('applies a commission’s decision to suspend a fiche: published as an update of Lot numérique, read everywhere the status is', async () => {
		const decision = (await listDecisionChoices(db)).find((d) => d.ficheCode === '10-1');
		const before = (await findFicheByCode(db, '10-1'))!.status;
		expect(await suspend('10-1', decision!.id)).toEqual({ ok: true, value: undefined });
		const fiche = (await findFicheByCode(db, '10-1'))!;
		expect(fiche.status).toBe('suspendue');
		expect(fiche.history.at(-1)).toMatchObject({
			reportedOn: '2026-03-10',
			status: 'suspendue',
			done: 'Suspendue jusqu’au prochain bilan',
			organisation: null,
			source: expect.stringMatching(
				/^Lot numérique, en application de la décision de la commission du \d/
			)
		});
		const csv = (name: string) =>
			new OpenDataSet(db, { generatedAt: '2026-12-05T10:00:00.000Z' })
				.file(name)
				.then((f) => Buffer.from(f!.body).toString('utf8'));
		expect(await csv('fiches')).toMatch(/\n10-1,[^\n]*,suspendue,/);
		expect(await csv('mises-a-jour')).toContain('10-1,2026-03-10,suspendue,,Suspendue jusqu’au');
		const journal = await db
			.selectFrom('audit_event')
			.select(['summary', 'actor_id'])
			.where('action', '=', 'plan.fiche_status')
			.execute();
		expect(journal).toEqual([
			{
				summary: `Statut de la fiche 10-1 changé : ${STATUS_LABELS[before]} → Suspendue`,
				actor_id: admin.id
			}
		]);
		// Its owners’ next validated update says how it goes on.
		const owner = await createPartner(db, 'lot-numerique', 'lea@lot-numerique.fr');
		await validate(
			await created(owner, '10-1', { status: 'en_cours', progress: 10, reportedOn: '2026-04-01' })
		);
		expect((await findFicheByCode(db, '10-1'))!.status).toBe('en_cours');
	});

	it('is not read as a report of the fiche’s owners: still « sans mise à jour depuis 6 mois », not counted in the activity charts (review)', async () => {
		const stale = (await listFicheFlags(db, '2026-03-10')).find(
			(f) => f.stale && f.status !== 'suspendue' && f.status !== 'abandonnee'
		)!;
		const total = (rows: { count: number }[]) => rows.reduce((n, r) => n + r.count, 0);
		const before = await loadDashboardInput(db);
		expect(total(before.updatesByMonth)).toBe(total(before.updatesByOrganisation));
		expect((await suspend(stale.code)).ok).toBe(true);
		expect(
			(await listFicheFlags(db, '2026-03-10')).find((f) => f.code === stale.code)
		).toMatchObject({ status: 'suspendue', stale: true });
		const after = await loadDashboardInput(db);
		expect(total(after.updatesByMonth)).toBe(total(before.updatesByMonth));
		expect(total(after.updatesByOrganisation)).toBe(total(before.updatesByOrganisation));
	});

	it('never publishes « À lancer » with an advancement: an older update validated after the commission took the fiche up again keeps its status and its advancement (review)', async () => {
		const waiting = await created(cdg, '9-1', {
			status: 'en_cours',
			progress: 10,
			reportedOn: '2026-03-10'
		});
		expect((await setStatus('9-1', 'suspendue')).ok).toBe(true);
		expect((await setStatus('9-1', 'a_lancer')).ok).toBe(true);
		expect((await validate(waiting)).ok).toBe(true);
		expect(await findFicheByCode(db, '9-1')).toMatchObject({ status: 'a_lancer', progress: null });
		// A bilan dated that day reads it the same way.
		expect(
			(await loadFicheStatesAsOf(db, '2026-03-10')).find((f) => f.code === '9-1')
		).toMatchObject({ status: 'a_lancer', progress: null });
		// Its owners' next update, later, states both again.
		await validate(
			await created(cdg, '9-1', { status: 'en_cours', progress: 20, reportedOn: '2026-03-12' })
		);
		expect(await findFicheByCode(db, '9-1')).toMatchObject({ status: 'en_cours', progress: 20 });
	});

	it('refuses the status the fiche has, « À lancer » once advanced, an abandoned fiche, an unknown decision, and anyone but the staff', async () => {
		await suspend('7-3');
		expect(await suspend('7-3')).toMatchObject({
			ok: false,
			status: 400,
			fieldErrors: { status: expect.stringContaining('déjà « Suspendue »') }
		});
		await validate(await created(cdg, '9-1', { status: 'en_cours', progress: 40 }));
		expect(await setStatus('9-1', 'a_lancer')).toMatchObject({
			status: 400,
			fieldErrors: { status: expect.stringContaining('40') }
		});
		expect(await suspend('8-1', 999999)).toMatchObject({
			status: 400,
			fieldErrors: { decision: expect.stringContaining('séance close') }
		});
		expect(await suspend('7-1', null, cdg)).toMatchObject({ ok: false, status: 403 });
		await abandonFiche(db, admin, '8-1');
		expect(await suspend('8-1')).toMatchObject({ ok: false, status: 409 });
		expect(await suspend('99-9')).toMatchObject({ ok: false, status: 404 });
		expect((await findFicheByCode(db, '8-1'))!.status).toBe('abandonnee');
		expect((await findFicheByCode(db, '7-1'))!.status).not.toBe('suspendue');
	});

	it('refuses a change chosen on a page showing another status, and a decision on another fiche or from before the fiche (probe)', async () => {
		// Two staff pages show « À lancer »: the first change is published, the second is told.
		expect((await setStatus('7-1', 'suspendue', { shown: 'a_lancer' })).ok).toBe(true);
		expect(await setStatus('7-1', 'en_cours', { shown: 'a_lancer' })).toMatchObject({
			ok: false,
			status: 409,
			message: expect.stringContaining('maintenant « Suspendue »')
		});
		expect((await findFicheByCode(db, '7-1'))!.status).toBe('suspendue');
		const decisions = await listDecisionChoices(db);
		const onOther = decisions.find((d) => d.ficheCode === '3-1')!;
		expect(await suspend('1-2', onOther.id)).toMatchObject({
			status: 400,
			fieldErrors: { decision: expect.stringContaining('porte sur la fiche 3-1') }
		});
		// A fiche added in 2026 cannot apply a decision of 2019, even its own code's.
		const fiche = (await findFicheByCode(db, '10-1'))!;
		await insertRevision(db, {
			entity: 'fiche',
			entityId: fiche.id,
			ficheId: fiche.id,
			action: 'created',
			changes: [],
			reason: 'Ajout',
			decisionId: null,
			origin: 'portal',
			userId: admin.id,
			createdAt: '2026-01-15T10:00:00.000Z'
		});
		const own = decisions.find((d) => d.ficheCode === '10-1')!;
		expect(await suspend('10-1', own.id)).toMatchObject({
			status: 400,
			fieldErrors: { decision: expect.stringContaining('avant l’ajout de la fiche au plan') }
		});
		expect((await findFicheByCode(db, '10-1'))!.status).not.toBe('suspendue');
	});
});
