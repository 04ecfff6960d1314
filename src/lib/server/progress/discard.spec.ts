import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../auth/users';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import { UPDATE_NOT_FOUND } from '../../utils/vocabulary';
import {
	findFicheForReporting,
	findProgressUpdate,
	insertStaffStatusUpdate,
	listOrganisationPendingUpdates
} from './repository';
import { discardProgressDraft, saveProgressUpdate } from './service';
import { createProgressCast, preparedUpdate, progressInput, type ProgressCast } from './testing';

let db: Db;
let cast: ProgressCast;
let cdg: User;
let colleague: User;
let ars: User;
let admin: User;

beforeEach(async () => {
	db = await createTestDb();
	cast = await createProgressCast(db);
	({ cdg, colleague, ars, admin } = cast);
});
afterEach(async () => {
	await db.destroy();
});

/** A draft of 9-1 by cdg46 with one indicator's value: its id (version 1). */
async function draftWithValue(user = cdg): Promise<number> {
	const fiche = (await findFicheForReporting(db, '9-1'))!;
	const result = await saveProgressUpdate(
		db,
		user,
		'9-1',
		null,
		progressInput({
			intent: 'draft',
			measurements: [
				{ indicatorId: fiche.indicators[0]!.id, measuredOn: '2026-02-01', value: 3, comment: null }
			]
		}),
		null
	);
	if (!result.ok) throw new Error(result.message);
	return result.value.id;
}

const rows = (table: 'measurement' | 'discarded_update', column: string, id: number) =>
	db
		.selectFrom(table)
		.selectAll()
		.where(column as never, '=', id as never)
		.execute();

const journal = (action: string) =>
	db
		.selectFrom('audit_event')
		.select([
			'actor_id as actorId',
			'target_type',
			'target_id',
			'summary',
			'before_state',
			'after_state'
		])
		.where('action', '=', action)
		.execute();

describe('discardProgressDraft: who may', () => {
	it('deletes the draft and its measurements, keeps its number, and journals who, which fiche, when', async () => {
		const id = await draftWithValue();
		expect(await rows('measurement', 'progress_update_id', id)).toHaveLength(1);
		expect(await discardProgressDraft(db, colleague, id, 1, '127.0.0.1')).toEqual({
			ok: true,
			value: { ficheCode: '9-1' }
		});
		expect(await findProgressUpdate(db, id)).toBeUndefined();
		expect(await rows('measurement', 'progress_update_id', id)).toEqual([]);
		expect(await rows('discarded_update', 'id', id)).toMatchObject([
			{ organisation_id: cdg.organisationId, discarded_by: colleague.id }
		]);
		expect(await listOrganisationPendingUpdates(db, cdg.organisationId!)).toEqual([]);
		const [row, ...more] = await journal('update.discarded');
		expect(more).toEqual([]);
		expect(row).toMatchObject({
			actorId: colleague.id,
			target_type: 'suivi',
			target_id: String(id),
			summary: 'Brouillon de la fiche 9-1 supprimé par son organisation'
		});
		// No content: a draft's was never journaled.
		expect(`${row!.before_state} ${row!.after_state}`).not.toContain('Réunion');
		// The fiche is free for a new update of the organisation (one open at a time).
		const next = await saveProgressUpdate(db, cdg, '9-1', null, progressInput(), null);
		expect(next).toMatchObject({ ok: true });
	});

	it('answers another organisation and an administrator as for a missing update, journaled, deleting nothing', async () => {
		const id = await draftWithValue();
		for (const user of [ars, admin]) {
			expect(await discardProgressDraft(db, user, id, 1, null)).toEqual({
				ok: false,
				status: 404,
				message: UPDATE_NOT_FOUND
			});
		}
		expect(await discardProgressDraft(db, ars, 999_999, 1, null)).toMatchObject({ status: 404 });
		expect(await findProgressUpdate(db, id)).toMatchObject({ state: 'draft', version: 1 });
		const denials = await journal('access.denied');
		expect(denials.map((d) => d.actorId)).toEqual([ars.id, admin.id]);
		expect(denials[0]!.summary).toContain('(update.discard)');
	});

	it('answers a second discard (another tab) with what happened, and others still as missing', async () => {
		const id = await draftWithValue();
		expect((await discardProgressDraft(db, cdg, id, 1, null)).ok).toBe(true);
		const again = await discardProgressDraft(db, colleague, id, 1, null);
		expect(again).toMatchObject({ ok: false, status: 410 });
		if (!again.ok)
			expect(again.message).toMatch(
				/^Ce brouillon de la fiche 9-1 a déjà été supprimé par Partenaire paul@cdg46\.fr le /
			);
		expect(await discardProgressDraft(db, ars, id, 1, null)).toEqual({
			ok: false,
			status: 404,
			message: UPDATE_NOT_FOUND
		});
		expect(await journal('update.discarded')).toHaveLength(1);
	});
});

describe('discardProgressDraft: which states', () => {
	/** An update of 9-1 that is no draft never sent, and what its refusal says. */
	const UNDISCARDABLE: [
		what: string,
		prepare: () => Promise<{ id: number; version: number }>,
		words: string
	][] = [
		[
			'a submitted update',
			() => preparedUpdate(db, cast, 'submitted'),
			'a soumis cette mise à jour à Lot numérique'
		],
		['a validated update', () => preparedUpdate(db, cast, 'validated'), 'validée et publiée'],
		[
			'a returned update: Lot numérique awaits it',
			() => preparedUpdate(db, cast, 'returned'),
			'Lot numérique a renvoyé cette mise à jour'
		],
		[
			'a returned update saved again as a draft',
			async () => {
				const { id } = await preparedUpdate(db, cast, 'returned');
				const saved = await saveProgressUpdate(
					db,
					cdg,
					'9-1',
					id,
					progressInput({ intent: 'draft', version: 2 }),
					null
				);
				expect(saved).toMatchObject({ ok: true, value: { state: 'draft' } });
				return { id, version: 3 };
			},
			'Lot numérique a renvoyé cette mise à jour'
		],
		[
			'a draft once submitted then withdrawn: it was sent to Lot numérique',
			() => preparedUpdate(db, cast, 'withdrawn'),
			'déjà été soumis à Lot numérique, puis retiré'
		]
	];

	for (const [what, prepare, words] of UNDISCARDABLE)
		it(`refuses ${what}`, async () => {
			const { id, version } = await prepare();
			const result = await discardProgressDraft(db, cdg, id, version, null);
			expect(result).toMatchObject({ ok: false, status: 409 });
			if (!result.ok) expect(result.message).toContain(words);
			expect(await findProgressUpdate(db, id)).toBeDefined();
			expect(await journal('update.discarded')).toEqual([]);
		});
});

describe('discardProgressDraft: two people of the organisation at once', () => {
	it('keeps a colleague’s save made after the page was opened: nothing deleted, said', async () => {
		const id = await draftWithValue();
		const saved = await saveProgressUpdate(
			db,
			colleague,
			'9-1',
			id,
			progressInput({ intent: 'draft', done: 'Claire a complété.', version: 1 }),
			null
		);
		expect(saved).toMatchObject({ ok: true });
		const refused = await discardProgressDraft(db, cdg, id, 1, null);
		expect(refused).toMatchObject({ ok: false, status: 409 });
		if (!refused.ok)
			expect(refused.message).toMatch(
				/^Partenaire claire@cdg46\.fr a enregistré ce brouillon le .*: rien n’a été supprimé\./
			);
		expect(await findProgressUpdate(db, id)).toMatchObject({
			done: 'Claire a complété.',
			version: 2
		});
	});

	it('refuses the save of a draft discarded meanwhile with its own words, creating nothing', async () => {
		const id = await draftWithValue();
		expect((await discardProgressDraft(db, cdg, id, 1, null)).ok).toBe(true);
		const late = await saveProgressUpdate(
			db,
			colleague,
			'9-1',
			id,
			progressInput({ intent: 'draft', done: 'Claire écrivait.', version: 1 }),
			null
		);
		expect(late).toMatchObject({ ok: false, status: 409 });
		if (!late.ok) {
			expect(late.message).toMatch(
				/^Ce brouillon de la fiche 9-1 a été supprimé par Partenaire paul@cdg46\.fr le .*, pendant que vous le modifiiez\.$/
			);
		}
		expect(await listOrganisationPendingUpdates(db, cdg.organisationId!)).toEqual([]);
		// Another organisation's partner learns nothing of it.
		expect(
			await saveProgressUpdate(db, ars, '9-1', id, progressInput({ version: 1 }), null)
		).toEqual({ ok: false, status: 404, message: UPDATE_NOT_FOUND });
	});
});

describe('a discarded draft’s number', () => {
	it('is never given to another update, of a partner or of Lot numérique', async () => {
		const id = await draftWithValue();
		expect((await discardProgressDraft(db, cdg, id, 1, null)).ok).toBe(true);
		const next = await saveProgressUpdate(db, cdg, '9-1', null, progressInput(), null);
		expect(next.ok && next.value.id).toBe(id + 1);
		expect((await discardProgressDraft(db, cdg, id, 1, null)).ok).toBe(false);
		const fiche = (await findFicheForReporting(db, '12-1'))!;
		const last = await saveProgressUpdate(
			db,
			cdg,
			'12-1',
			null,
			progressInput({ intent: 'draft' }),
			null
		);
		if (!last.ok) throw new Error(last.message);
		expect((await discardProgressDraft(db, cdg, last.value.id, 1, null)).ok).toBe(true);
		const staff = await insertStaffStatusUpdate(db, {
			ficheId: fiche.id,
			reportedOn: '2026-03-01',
			status: 'suspendue',
			reason: 'Décision de la commission',
			source: 'Lot numérique',
			authorId: admin.id,
			at: new Date().toISOString()
		});
		expect(staff).toBe(last.value.id + 1);
	});
});
