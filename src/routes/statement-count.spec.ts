import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateHistory } from '../../scripts/bench/generate';
import { insertUser, findUserById, type User } from '$lib/server/auth/users';
import { openDatabase, type Db } from '$lib/server/db';
import { prepareDatabase } from '$lib/server/db/instance';

/**
 * How many SQL statements one request of each page issues, on the plan as seeded (9 updates, one
 * measurement) and on the same plan with four years of history (more than 1,000 validated updates,
 * 40,000 measurements, 80 more organisations, 800 accounts): the count must not grow with the data
 * (no query per row: no N+1), and stays small. Pages run uncached, as on the first request after a
 * change.
 */
const state = vi.hoisted(() => ({ db: undefined as unknown }));
vi.mock('$lib/server/db/instance', async (original) => ({
	...(await original<typeof import('$lib/server/db/instance')>()),
	getDb: () => state.db
}));

const MAX_STATEMENTS = 16;
let dir: string;

interface Dataset {
	db: Db;
	partner: User;
	counter: { count: number };
}

async function dataset(name: string, scale: number | null): Promise<Dataset> {
	const path = join(dir, `${name}.db`);
	const prepared = await prepareDatabase(path);
	await prepared.destroy();
	if (scale !== null) generateHistory(path, scale, 7);
	const counter = { count: 0 };
	const counting: KyselyPlugin = {
		transformQuery: (args) => {
			counter.count += 1;
			return args.node;
		},
		transformResult: async (args) => args.result
	};
	const db = openDatabase(path).withPlugin(counting);
	const org = await db
		.selectFrom('organisation')
		.select('id')
		.where('slug', '=', 'cdg46')
		.executeTakeFirstOrThrow();
	const id = await insertUser(db, {
		email: `compteur.${name}@cdg46.test`,
		name: 'Compteur',
		role: 'partenaire',
		organisationId: org.id,
		passwordHash: 'non utilisé'
	});
	return { db, partner: (await findUserById(db, id))!, counter };
}

/** One request of each page, by calling its server load or handler as SvelteKit does. */
const PAGES: Record<string, (partner: User) => Promise<unknown>> = {
	'/': async () => (await import('./+page.server')).load({} as never),
	'/fiches': async () =>
		(await import('./fiches/+page.server')).load({ url: new URL('http://l/fiches') } as never),
	'/fiches/14-1': async () =>
		(await import('./fiches/[code]/+page.server')).load({ params: { code: '14-1' } } as never),
	'/tableau-de-bord': async () =>
		(await import('./tableau-de-bord/+page.server')).load({} as never),
	'/bilans/2018': async () =>
		(await import('./bilans/[year]/+page.server')).load({
			params: { year: '2018' },
			url: new URL('http://l/bilans/2018')
		} as never),
	'/donnees/plan.json': async () =>
		(
			await (
				await import('./donnees/[fichier=ressource]/+server')
			).GET({ params: { fichier: 'plan.json' } } as never)
		).text(),
	'/espace': async (partner) =>
		(await import('./espace/+page.server')).load({
			locals: { user: partner },
			url: new URL('http://l/espace'),
			request: new Request('http://l/espace'),
			getClientAddress: () => '127.0.0.1'
		} as never)
};

async function countStatements(data: Dataset): Promise<Record<string, number>> {
	const counts: Record<string, number> = {};
	for (const [page, request] of Object.entries(PAGES)) {
		// Fresh modules: no value computed for an earlier request or dataset is reused.
		vi.resetModules();
		state.db = data.db;
		data.counter.count = 0;
		await request(data.partner);
		counts[page] = data.counter.count;
	}
	return counts;
}

let seeded: Dataset;
let history: Dataset;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'sdusn-statements-'));
	seeded = await dataset('plan', null);
	history = await dataset('historique', 40);
}, 60_000);

afterAll(async () => {
	await seeded?.db.destroy();
	await history?.db.destroy();
	rmSync(dir, { recursive: true, force: true });
});

describe('SQL statements per page', () => {
	it('the larger dataset really is larger', async () => {
		const updates = async (db: Db) =>
			(
				await db
					.selectFrom('progress_update')
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.executeTakeFirstOrThrow()
			).n;
		expect(await updates(seeded.db)).toBeLessThan(20);
		expect(await updates(history.db)).toBeGreaterThan(1000);
	});

	it('issues the same small number of statements whatever the history', async () => {
		const small = await countStatements(seeded);
		const large = await countStatements(history);
		expect(large).toEqual(small);
		for (const [page, count] of Object.entries(small))
			expect(count, page).toBeLessThanOrEqual(MAX_STATEMENTS);
		console.info('Requêtes SQL par page :', small);
	});
});
