import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import { createTestUser } from '../auth/testing';
import { listUsers } from '../auth/repository';
import { listOrganisationChoices } from './repository';
import { loadPlanModel } from './import-repository';

// Lists of names read in French order, not SQLite's byte order (« Ad’Occ » after « ARS », and
// « École… », « État » after « Union… »).
describe('lists of names in French order', () => {
	let db: Db;
	beforeEach(async () => {
		db = await createTestDb();
		for (const name of ['Ad’Occ', 'ARS', 'État', 'École régionale du numérique', 'Union'])
			await db
				.insertInto('organisation')
				.values({ slug: name.replace(/\W/g, '').toLowerCase() + '-t', name, kind: 'state' })
				// Some are in the plan already.
				.onConflict((oc) => oc.doNothing())
				.execute();
	});
	afterEach(async () => {
		await db.destroy();
	});

	const order = (names: string[], among: string[]) => names.filter((n) => among.includes(n));

	it('the owner and partner choices, and the plan model the import reads', async () => {
		const among = ['Ad’Occ', 'ARS', 'École régionale du numérique', 'État', 'Union'];
		expect(
			order(
				(await listOrganisationChoices(db)).map((o) => o.name),
				among
			)
		).toEqual(among);
		expect(
			order(
				(await loadPlanModel(db)).organisations.map((o) => o.name),
				among
			)
		).toEqual(among);
	});

	it('the accounts', async () => {
		for (const [n, name] of ['Zoé Zadig', 'Émilie Étienne', 'Eva Ernst'].entries())
			await createTestUser(db, { email: `u${n}@lot.fr`, name, role: 'commission' });
		expect(
			order(
				(await listUsers(db)).map((u) => u.name),
				['Émilie Étienne', 'Eva Ernst', 'Zoé Zadig']
			)
		).toEqual(['Émilie Étienne', 'Eva Ernst', 'Zoé Zadig']);
	});
});
