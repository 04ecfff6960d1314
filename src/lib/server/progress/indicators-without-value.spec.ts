import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import { insertRevision } from '../authoring/revisions-repository';
import { listFicheFlags } from '../commission/service';
import { agendaFlags, ficheStateOn } from '../commission/service';
import { listFichesForOrganisation } from './repository';

// Walkthrough s49: « Nombre de personnes formées » retired on 5-1, the partner's « À faire » still
// said « 3 indicateurs sans valeur en 2026 » (5-1 has 2 in service), « Proposer l’ordre du jour »
// « 2 indicateurs jamais mesurés ».

let db: Db;
beforeEach(async () => {
	db = await createTestDb();
});
afterEach(async () => {
	await db.destroy();
});

const fiche51 = () =>
	db.selectFrom('fiche').select('id').where('code', '=', '5-1').executeTakeFirstOrThrow();

/** 5-1's first indicator with no value at all, retired at `at` (an ISO timestamp, as production writes). */
async function retireUnmeasured(at: string) {
	const fiche = await fiche51();
	const measured = db.selectFrom('measurement').select('indicator_id');
	const indicator = await db
		.selectFrom('indicator')
		.select('id')
		.where('fiche_id', '=', fiche.id)
		.where('id', 'not in', measured)
		.orderBy('position')
		.executeTakeFirstOrThrow();
	await db
		.updateTable('indicator')
		.set({ retired_at: at })
		.where('id', '=', indicator.id)
		.execute();
}

/** An organisation partner of 5-1. */
async function partnerOf51(): Promise<number> {
	const partner = await db
		.selectFrom('fiche_partner')
		.innerJoin('fiche', 'fiche.id', 'fiche_partner.fiche_id')
		.select('organisation_id')
		.where('fiche.code', '=', '5-1')
		.executeTakeFirstOrThrow();
	return partner.organisation_id;
}

const missingOn51 = async (organisationId: number) =>
	(await listFichesForOrganisation(db, organisationId, 2026)).find((f) => f.code === '5-1')!
		.indicatorsWithoutValueThisYear;
const neverMeasuredNow = async () =>
	(await listFicheFlags(db, '2026-12-20', '5-1'))[0]!.neverMeasured;
const neverMeasuredOn = async (heldOn: string) =>
	(await agendaFlags(db, heldOn, '2026-12-06')).flags.find((f) => f.code === '5-1')!.neverMeasured;

describe('a retired indicator', () => {
	it('is no more counted without a value: a partner’s « À faire », a séance to come', async () => {
		const organisationId = await partnerOf51();
		const missing = await missingOn51(organisationId);
		const never = await neverMeasuredNow();
		expect(never).toBeGreaterThan(0);
		await retireUnmeasured('2026-12-01T10:00:00.000Z');
		expect(await missingOn51(organisationId)).toBe(missing - 1);
		expect(await neverMeasuredNow()).toBe(never - 1);
	});

	it('counts as of a past séance’s day while it was in service then, not once retired by then', async () => {
		const never = await neverMeasuredOn('2026-06-01');
		const state = await ficheStateOn(db, '5-1', '2026-06-01');
		await retireUnmeasured('2026-09-15T14:00:00.000Z');
		// Retired after the séance: still asked for on its day.
		expect(await neverMeasuredOn('2026-06-01')).toBe(never);
		expect(await ficheStateOn(db, '5-1', '2026-06-01')).toEqual(state);
		// Retired by the day of a later séance: no more.
		expect(await neverMeasuredOn('2026-09-15')).toBe(never - 1);
		expect((await ficheStateOn(db, '5-1', '2026-10-01'))!.neverMeasured).toBe(never - 1);
	});

	it('does not count an indicator retired during the séance’s day (a real timestamp), as the README says', async () => {
		const never = await neverMeasuredOn('2026-09-15');
		await retireUnmeasured('2026-09-15T08:00:00.000Z');
		expect(await neverMeasuredOn('2026-09-15')).toBe(never - 1);
	});

	it('counts it on the séance’s Paris day when retired just after that day’s end', async () => {
		const never = await neverMeasuredOn('2026-09-15');
		// 16 September, 00:30 in Paris.
		await retireUnmeasured('2026-09-15T22:30:00.000Z');
		expect(await neverMeasuredOn('2026-09-15')).toBe(never);
		expect(await neverMeasuredOn('2026-09-16')).toBe(never - 1);
	});
});

describe('an indicator added to the plan after a past séance’s day', () => {
	/** A new indicator of 5-1, never measured, added by an import at `at` (its own revision). */
	async function addUnmeasured(at: string) {
		const fiche = await fiche51();
		const { position } = await db
			.selectFrom('indicator')
			.select((eb) => eb.fn.max('position').as('position'))
			.where('fiche_id', '=', fiche.id)
			.executeTakeFirstOrThrow();
		const label = 'Nombre de tiers-lieux ouverts';
		const { id } = await db
			.insertInto('indicator')
			.values({ fiche_id: fiche.id, label, unit: null, target: null, position: position + 1 })
			.returning('id')
			.executeTakeFirstOrThrow();
		await insertRevision(db, {
			entity: 'indicator',
			entityId: id,
			ficheId: fiche.id,
			action: 'created',
			changes: [{ field: 'label', label: 'Libellé', before: '', after: label }],
			reason: 'Classeur du plan',
			decisionId: null,
			origin: 'import',
			userId: null,
			createdAt: at
		});
	}

	it('is not counted « jamais mesuré » on that séance’s day, only from the day it was added (review s49)', async () => {
		const never = await neverMeasuredOn('2026-06-01');
		const state = await ficheStateOn(db, '5-1', '2026-06-01');
		await addUnmeasured('2026-09-15T14:00:00.000Z');
		expect(await neverMeasuredOn('2026-06-01')).toBe(never);
		expect(await ficheStateOn(db, '5-1', '2026-06-01')).toEqual(state);
		expect(await neverMeasuredOn('2026-09-15')).toBe(never + 1);
	});
});
