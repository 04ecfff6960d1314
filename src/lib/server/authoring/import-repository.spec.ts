import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import { addOrganisationAlias, dropOtherAliasesNamed, loadPlanModel } from './import-repository';
import { listStructure, updateObjective } from './repository';

let db: Db;
beforeEach(async () => {
	db = await createTestDb();
});
afterEach(async () => {
	await db.destroy();
});

describe('the plan as the workbook exports it', () => {
	// Review h46: the indicators were ordered by the objective's id, the fiches by its number. The
	// same on the seeded plan; not once ids and numbers run apart (an import filling a gap in the
	// numbers after a later one was added, a database loaded in another order): forced here by
	// updateObjective, the import's write.
	it('lists the indicators in the fiches’ order, after an objective is renumbered too', async () => {
		const first = (await listStructure(db)).objectives.find((o) => o.number === 1)!;
		expect(await updateObjective(db, first.id, { ...first, number: 18 })).toBe(true);
		const model = await loadPlanModel(db);
		const fiches = model.fiches.map((f) => f.code);
		expect(fiches.slice(-3)).toEqual(['17-3', '1-1', '1-2']);
		const order = model.indicators.map((i) => fiches.indexOf(i.fiche));
		expect(order).toEqual([...order].sort((a, b) => a - b));
		expect(model.indicators.at(-1)?.fiche).toBe('1-2');
	});
});

describe('a name an import gives an organisation', () => {
	// Review s50: the former names of others were compared exactly, capitals aside: « SGAR », or a
	// full-width « ＳＧＡＲ », stayed another's former name when an import named one « Sgar », though
	// the workbook and the admin form take them for the same name (organisationNameKey).
	it('is no other organisation’s former name, written as the workbook compares names', async () => {
		const [one, other] = await db
			.selectFrom('organisation')
			.select('id')
			.orderBy('id')
			.limit(2)
			.execute();
		for (const name of ['SGAR', 'ＳＧＡＲ ', 'S.G.A.R', 'Préfecture'])
			await addOrganisationAlias(db, other!.id, name, '2026-12-01');
		await dropOtherAliasesNamed(db, 'Sgar', one!.id);
		const left = await db
			.selectFrom('organisation_alias')
			.select('name')
			.where('organisation_id', '=', other!.id)
			.execute();
		expect(left.map((a) => a.name)).toEqual(['Préfecture']);
	});
});

describe('a former name an import keeps', () => {
	// Probe s54: a restored organisation « gave up » an empty name, shown as « anciennement : ».
	it('is never empty', async () => {
		const { id } = await db.selectFrom('organisation').select('id').executeTakeFirstOrThrow();
		for (const name of ['', '  ']) await addOrganisationAlias(db, id, name, '2026-12-01');
		const empty = await db
			.selectFrom('organisation_alias')
			.select('name')
			.where('organisation_id', '=', id)
			.where((eb) => eb(eb.fn('trim', ['name']), '=', ''))
			.execute();
		expect(empty).toEqual([]);
	});
});
