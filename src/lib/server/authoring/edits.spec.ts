import { describe, expect, it } from 'vitest';
import type { User } from '../auth/users';
import type { Db, Executor } from '../db';
import { ok } from '../result';
import { ORGANISATION_NOT_FOUND, PLAN_ITEM_NOT_FOUND } from '../../utils/vocabulary';
import { editExisting } from './edits';
import { editOrganisation, retireOrganisation } from './organisations';
import { retireStructure } from './structure';
import { eachTestWithAdmin } from './testing';

// The opening that an organisation's edit and retirement, and an axis's, orientation's or
// objective's retirement share: the record read in the edit's transaction, or its 404.

let db: Db;
let admin: User;
const WHY = { reason: 'Registre du comité syndical', decisionId: null };

eachTestWithAdmin((opened) => ({ db, admin } = opened));

describe('editExisting', () => {
	it('gives the record found to the edit, in the edit’s transaction, and answers what it answers', async () => {
		const seen: { found: string; inTransaction: boolean }[] = [];
		const answer = await editExisting(
			db,
			async () => 'found',
			'Introuvable.',
			async (trx: Executor, found) => {
				seen.push({ found, inTransaction: trx.isTransaction });
				return ok();
			}
		);
		expect(answer).toEqual(ok());
		expect(seen).toEqual([{ found: 'found', inTransaction: true }]);
	});

	it('answers the 404 it is given when nothing is found, without calling the edit', async () => {
		let called = false;
		const answer = await editExisting(
			db,
			async () => undefined,
			'Introuvable.',
			async () => {
				called = true;
				return ok();
			}
		);
		expect(answer).toEqual({ ok: false, status: 404, message: 'Introuvable.' });
		expect(called).toBe(false);
	});

	it('is the 404 of an organisation edited or retired, and of a level of the plan retired', async () => {
		const missing = 999_999;
		const edited = await editOrganisation(
			db,
			admin,
			missing,
			{ version: 1, name: 'Nom', fullName: null, kind: 'departement', ...WHY },
			null
		);
		const retired = await retireOrganisation(db, admin, missing, { version: 1, ...WHY }, null);
		expect([edited, retired]).toEqual([
			{ ok: false, status: 404, message: ORGANISATION_NOT_FOUND },
			{ ok: false, status: 404, message: ORGANISATION_NOT_FOUND }
		]);
		expect(await retireStructure(db, admin, 'axis', missing, { version: 1, ...WHY }, null)).toEqual(
			{ ok: false, status: 404, message: PLAN_ITEM_NOT_FOUND }
		);
	});
});
