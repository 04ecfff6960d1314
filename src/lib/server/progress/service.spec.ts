import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/password';
import { findUserById, insertUser, type User } from '../auth/users';
import type { Db } from '../db';
import { getDataRevision } from '../db/revision';
import { createTestDb } from '../db/testing';
import { findFicheByCode } from '../plan/repository';
import { findFicheForReporting, findProgressUpdate, listSubmittedUpdates } from './repository';
import { reviewProgressUpdate, saveProgressUpdate } from './service';
import { createPartner, progressInput } from './testing';

let db: Db;
let cdg: User;
let colleague: User;
let ars: User;
let admin: User;

beforeEach(async () => {
	db = await createTestDb();
	cdg = await createPartner(db, 'cdg46', 'paul@cdg46.fr');
	colleague = await createPartner(db, 'cdg46', 'claire@cdg46.fr');
	ars = await createPartner(db, 'ars', 'alice@ars.fr');
	admin = (await findUserById(
		db,
		await insertUser(db, {
			email: 'admin@lot.fr',
			name: 'Anne Admin',
			role: 'admin',
			organisationId: null,
			passwordHash: await hashPassword('x'.repeat(12))
		})
	))!;
});
afterEach(async () => {
	await db.destroy();
});

const count = async () =>
	Number(
		(
			await db
				.selectFrom('progress_update')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow()
		).n
	);

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
		expect(result).toMatchObject({ ok: true, state: 'submitted', duplicate: false });
		const published = (await findFicheByCode(db, '9-1'))!;
		expect(published.status).toBe('a_lancer');
		expect(published.history).toEqual([]);
		expect(published.indicators[0]!.measurements).toEqual([]);
		expect(await listSubmittedUpdates(db)).toHaveLength(1);
	});

	it('refuses a partner whose organisation neither carries nor partners the fiche, writing nothing', async () => {
		const before = await count();
		const result = await saveProgressUpdate(db, ars, '9-1', null, progressInput(), null);
		expect(result).toMatchObject({ ok: false, status: 403 });
		expect(await count()).toBe(before);
	});

	it('creates one update for a form posted twice', async () => {
		const input = progressInput();
		const first = await saveProgressUpdate(db, cdg, '1-2', null, input, null);
		const second = await saveProgressUpdate(db, cdg, '1-2', null, input, null);
		expect(second).toMatchObject({ ok: true, duplicate: true });
		expect(second.ok && first.ok && second.id === first.id).toBe(true);
		expect(await count()).toBe(9 + 1);
	});

	it('refuses the second of two concurrent edits of the same draft and says what changed', async () => {
		const created = await saveProgressUpdate(
			db,
			cdg,
			'1-2',
			null,
			progressInput({ intent: 'draft' }),
			null
		);
		if (!created.ok) throw new Error('not created');
		const saved = await saveProgressUpdate(
			db,
			cdg,
			'1-2',
			created.id,
			progressInput({ intent: 'draft', version: 1, done: 'Version de Paul' }),
			null
		);
		expect(saved.ok).toBe(true);
		const late = await saveProgressUpdate(
			db,
			colleague,
			'1-2',
			created.id,
			progressInput({ intent: 'draft', version: 1, done: 'Version de Claire', progress: 50 }),
			null
		);
		expect(late).toMatchObject({ ok: false, status: 409 });
		if (late.ok) return;
		expect(late.message).toContain('Partenaire paul@cdg46.fr a enregistré cette mise à jour');
		expect(late.changes).toEqual(
			expect.arrayContaining([
				{ field: 'done', label: 'Ce qui a été fait', current: 'Version de Paul' },
				{ field: 'progress', label: 'Avancement', current: '30 %' }
			])
		);
		expect((await findProgressUpdate(db, created.id))!.done).toBe('Version de Paul');
	});

	it('does not let a submitted update be edited any more', async () => {
		const created = await saveProgressUpdate(db, cdg, '1-2', null, progressInput(), null);
		if (!created.ok) throw new Error('not created');
		const edit = await saveProgressUpdate(
			db,
			cdg,
			'1-2',
			created.id,
			progressInput({ version: 1 }),
			null
		);
		expect(edit).toMatchObject({ ok: false, status: 409 });
	});

	it('refuses an indicator of another fiche', async () => {
		const other = (await findFicheForReporting(db, '14-1'))!;
		const result = await saveProgressUpdate(
			db,
			cdg,
			'9-1',
			null,
			progressInput({
				measurements: [
					{
						indicatorId: other.indicators[0]!.id,
						measuredOn: '2026-01-01',
						value: 1,
						comment: null
					}
				]
			}),
			null
		);
		expect(result).toMatchObject({ ok: false, status: 403 });
	});
});

describe('reviewProgressUpdate', () => {
	it('validation publishes the update, sets the fiche’s state and bumps the data revision', async () => {
		const fiche = (await findFicheForReporting(db, '9-1'))!;
		const created = await saveProgressUpdate(
			db,
			cdg,
			'9-1',
			null,
			progressInput({
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
			}),
			null
		);
		if (!created.ok) throw new Error('not created');
		const revision = (await getDataRevision(db))!.revision;
		expect(
			await reviewProgressUpdate(
				db,
				admin,
				{ updateId: created.id, version: 1, decision: 'validate', comment: '' },
				null
			)
		).toEqual({ ok: true });
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
		const second = await reviewProgressUpdate(
			db,
			admin,
			{ updateId: created.id, version: 2, decision: 'return', comment: 'trop tard' },
			null
		);
		expect(second).toMatchObject({ ok: false, status: 409 });
	});

	it('returning an update sends it back to the partner with the comment, who can resubmit', async () => {
		const created = await saveProgressUpdate(db, cdg, '1-2', null, progressInput(), null);
		if (!created.ok) throw new Error('not created');
		await reviewProgressUpdate(
			db,
			admin,
			{
				updateId: created.id,
				version: 1,
				decision: 'return',
				comment: 'Précisez le nombre d’agents formés.'
			},
			null
		);
		const returned = (await findProgressUpdate(db, created.id))!;
		expect(returned).toMatchObject({
			state: 'returned',
			reviewComment: 'Précisez le nombre d’agents formés.',
			version: 2
		});
		const resubmitted = await saveProgressUpdate(
			db,
			colleague,
			'1-2',
			created.id,
			progressInput({ version: 2, done: '42 agents formés.' }),
			null
		);
		expect(resubmitted).toMatchObject({ ok: true, state: 'submitted' });
		expect((await findFicheByCode(db, '1-2'))!.history).toEqual([]);
	});

	it('refuses a decision on a version the admin has not seen', async () => {
		const created = await saveProgressUpdate(db, cdg, '1-2', null, progressInput(), null);
		if (!created.ok) throw new Error('not created');
		expect(
			await reviewProgressUpdate(
				db,
				admin,
				{ updateId: created.id, version: 7, decision: 'validate', comment: '' },
				null
			)
		).toMatchObject({ ok: false, status: 409 });
	});

	it('journals submissions and decisions with before and after', async () => {
		const created = await saveProgressUpdate(db, cdg, '1-2', null, progressInput(), null);
		if (!created.ok) throw new Error('not created');
		await reviewProgressUpdate(
			db,
			admin,
			{ updateId: created.id, version: 1, decision: 'validate', comment: '' },
			null
		);
		const events = await db
			.selectFrom('audit_event')
			.select(['action', 'before_state', 'after_state'])
			.where('action', 'like', 'update.%')
			.orderBy('id')
			.execute();
		expect(events.map((e) => e.action)).toEqual(['update.submitted', 'update.validated']);
		expect(JSON.parse(events[1]!.before_state!)).toEqual({
			fiche: { status: 'a_lancer', progress: null, last_update: null }
		});
		expect(JSON.parse(events[1]!.after_state!)).toEqual({
			fiche: { status: 'en_cours', progress: 30, last_update: '2026-03-01' }
		});
	});
});
