import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import { replaceFicheRelations } from './import-repository';
import { replaceLinks, replaceOwners, replacePartners } from './repository';

let db: Db;
beforeEach(async () => {
	db = await createTestDb();
});
afterEach(async () => {
	await db.destroy();
});

const TABLES = ['fiche_owner', 'fiche_partner', 'fiche_link'] as const;

/** Each list's positions, in their order. */
async function positions(ficheId: number) {
	return Object.fromEntries(
		await Promise.all(
			TABLES.map(async (table) => [
				table,
				(
					await db
						.selectFrom(table)
						.select('position')
						.where('fiche_id', '=', ficheId)
						.orderBy('position')
						.execute()
				).map((r) => r.position)
			])
		)
	);
}

describe('a fiche’s owners, partners and links', () => {
	it('are numbered from 0 in their order, whether the initial plan, the form or the import writes them', async () => {
		// A fiche with two owners or more, partners and links in the initial plan.
		const counts = await db
			.selectFrom('fiche')
			.select((eb) => [
				'fiche.id',
				eb
					.selectFrom('fiche_owner')
					.select((e) => e.fn.countAll<number>().as('n'))
					.whereRef('fiche_owner.fiche_id', '=', 'fiche.id')
					.as('owners'),
				eb
					.selectFrom('fiche_partner')
					.select((e) => e.fn.countAll<number>().as('n'))
					.whereRef('fiche_partner.fiche_id', '=', 'fiche.id')
					.as('partners'),
				eb
					.selectFrom('fiche_link')
					.select((e) => e.fn.countAll<number>().as('n'))
					.whereRef('fiche_link.fiche_id', '=', 'fiche.id')
					.as('links')
			])
			.execute();
		const fiche = counts.find(
			(f) => Number(f.owners) > 1 && Number(f.partners) > 1 && Number(f.links) > 0
		)!;
		const seeded = await positions(fiche.id);
		for (const table of TABLES)
			expect(seeded[table]).toEqual([...Array(seeded[table].length).keys()]);

		const owners = await db
			.selectFrom('fiche_owner')
			.select(['organisation_id as organisationId', 'scope', 'note'])
			.where('fiche_id', '=', fiche.id)
			.orderBy('position')
			.execute();
		const partners = await db
			.selectFrom('fiche_partner')
			.select(['organisation_id as organisationId', 'detail'])
			.where('fiche_id', '=', fiche.id)
			.orderBy('position')
			.execute();
		const links = await db
			.selectFrom('fiche_link')
			.select('linked_fiche_id as id')
			.where('fiche_id', '=', fiche.id)
			.orderBy('position')
			.execute();
		// The form, in the other order.
		await replaceOwners(db, fiche.id, owners.toReversed());
		await replacePartners(db, fiche.id, partners.toReversed());
		await replaceLinks(db, fiche.id, links.map((l) => l.id).toReversed());
		expect(await positions(fiche.id)).toEqual(seeded);
		// The workbook import.
		await replaceFicheRelations(
			db,
			fiche.id,
			[
				...owners.map((o) => ({ role: 'owner' as const, ...o, detail: o.scope })),
				...partners.map((p) => ({ role: 'partner' as const, ...p, note: null }))
			],
			links.map((l) => l.id)
		);
		expect(await positions(fiche.id)).toEqual(seeded);
	});
});
