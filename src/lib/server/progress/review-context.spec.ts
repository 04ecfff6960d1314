import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import {
	createProgressCast,
	preparedUpdate,
	progressInput,
	takeOffFiche,
	type ProgressCast
} from './testing';
import { reviewContext, reviewProgressUpdate, saveProgressUpdate } from './service';

// What the staff's review page shows of an update: the service decides it, the route only
// answers 404 when there is none.

let db: Db;
let cast: ProgressCast;

beforeEach(async () => {
	db = await createTestDb();
	cast = await createProgressCast(db);
});
afterEach(async () => {
	await db.destroy();
});

/** An update of 9-1 by cdg46 dated `reportedOn` at `progress` %, submitted: its id. */
async function submitted(reportedOn: string, progress: number): Promise<number> {
	const input = progressInput({ reportedOn, progress });
	const saved = await saveProgressUpdate(db, cast.cdg, '9-1', null, input, null);
	if (!saved.ok) throw new Error(saved.message);
	return saved.value.id;
}

async function validated(id: number): Promise<void> {
	const input = { updateId: id, version: 1, decision: 'validate', comment: '' } as const;
	const result = await reviewProgressUpdate(db, cast.admin, input, null);
	if (!result.ok) throw new Error(result.message);
}

describe('reviewContext', () => {
	it('is undefined for an update that does not exist', async () => {
		expect(await reviewContext(db, cast.admin, 999_999)).toBeUndefined();
	});

	it('tells of a draft whose it is, never what it says', async () => {
		const { id } = await preparedUpdate(db, cast, 'draft');
		const context = await reviewContext(db, cast.admin, id);
		expect(context).toEqual({
			update: null,
			draft: {
				id,
				ficheCode: '9-1',
				ficheTitle: expect.any(String),
				organisationName: 'CDG46'
			},
			replacedOwn: []
		});
		expect(JSON.stringify(context)).not.toContain('Réunion de lancement tenue.');
	});

	// Partner walk: the review page did not say that the organisation was taken off the fiche,
	// so that a return left the update stuck.
	it('tells whether the organisation still carries the fiche', async () => {
		const id = await submitted('2026-03-01', 40);
		expect(await reviewContext(db, cast.admin, id)).toMatchObject({ carried: true });
		await takeOffFiche(db, cast.cdg.organisationId!, '9-1');
		expect(await reviewContext(db, cast.admin, id)).toMatchObject({ carried: false });
	});

	it('gives a withdrawn update as a draft too', async () => {
		const { id } = await preparedUpdate(db, cast, 'withdrawn');
		expect(await reviewContext(db, cast.admin, id)).toMatchObject({ update: null });
	});

	it('says which later published update keeps setting what a submitted one states', async () => {
		const newer = await submitted('2026-05-01', 35);
		await validated(newer);
		const older = await submitted('2026-04-01', 10);
		expect(await reviewContext(db, cast.admin, older)).toMatchObject({
			update: { id: older, done: 'Réunion de lancement tenue.' },
			draft: null,
			published: { progress: 35, lastUpdate: '2026-05-01' },
			replaced: [],
			superseded: { status: '2026-05-01', progress: '2026-05-01' }
		});
		await validated(older);
		// One update at a time per organisation: the next, dated after the latest published.
		const latest = await submitted('2026-06-01', 10);
		expect((await reviewContext(db, cast.admin, latest))?.superseded).toEqual({
			status: null,
			progress: null
		});
	});

	it('says nothing superseded of an update no longer submitted', async () => {
		await validated(await submitted('2026-05-01', 35));
		const older = await submitted('2026-04-01', 10);
		await validated(older);
		expect(await reviewContext(db, cast.admin, older)).toMatchObject({
			published: { progress: 35 },
			superseded: { status: null, progress: null }
		});
	});
});
