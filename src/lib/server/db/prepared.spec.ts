import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from './index';
import { preparedLookup } from './prepared';
import { createTestDb } from './testing';

let db: Db;
let other: Db;
beforeEach(async () => {
	db = await createTestDb();
	other = await createTestDb();
});
afterEach(async () => {
	await db.destroy();
	await other.destroy();
});

const organisationBySlug = preparedLookup((db, slug) =>
	db
		.selectFrom('organisation')
		.select(['name', 'slug'])
		.where('slug', '=', slug)
		.where('name', '!=', '')
		.compile()
);

describe('preparedLookup', () => {
	it('binds the value as a parameter, beside the query’s own constants', () => {
		expect(organisationBySlug(db, 'cdg46')?.name).toBe('CDG46');
		expect(organisationBySlug(db, 'lot-numerique')?.name).toBe('Syndicat mixte Lot numérique');
		expect(organisationBySlug(db, "cdg46' or '1'='1")).toBeUndefined();
		expect(organisationBySlug(db, 'absente')).toBeUndefined();
	});

	it('prepares once per connection and reads each connection’s own data', async () => {
		await other
			.updateTable('organisation')
			.set({ name: 'Autre nom' })
			.where('slug', '=', 'cdg46')
			.execute();
		expect(organisationBySlug(db, 'cdg46')?.name).toBe('CDG46');
		expect(organisationBySlug(other, 'cdg46')?.name).toBe('Autre nom');
	});

	it('refuses a query that does not use its variable', () => {
		const broken = preparedLookup((db) =>
			db.selectFrom('organisation').select('name').where('slug', '=', 'cdg46').compile()
		);
		expect(() => broken(db, 'cdg46')).toThrow(/does not use its variable/);
	});
});
