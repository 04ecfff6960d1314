import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestUser } from '$lib/server/auth/testing';
import type { User } from '$lib/server/auth/users';
import type { Db } from '$lib/server/db';
import { createTestDb } from '$lib/server/db/testing';
import { reviewProgressUpdate, saveProgressUpdate } from '$lib/server/progress/service';
import { createPartner, progressInput } from '$lib/server/progress/testing';
import { abandonFiche } from '$lib/server/authoring/testing';
import { HOME_PAGE_EVENTS } from '$lib/utils/rules';

/**
 * Public pages keep what they read once per change of published data (keyedByRevision), also with
 * the page cache switched off: a validation, an edit of the plan or a new organisation must show on
 * the very next request, and what visitors do not see (a draft) must not make them read again.
 */
const state = vi.hoisted(() => ({ db: undefined as unknown }));
vi.mock('$lib/server/db/instance', async (original) => ({
	...(await original<typeof import('$lib/server/db/instance')>()),
	getDb: () => state.db
}));
// Svelte's render() counted: the dashboard's and an edition's figures are rendered apart from the page
// (src/lib/server/render/kept-html.ts), once per change.
const renders = vi.hoisted(() => ({ count: 0 }));
vi.mock('svelte/server', async (original) => {
	const svelte = await original<typeof import('svelte/server')>();
	return {
		...svelte,
		render: (...args: unknown[]) => {
			renders.count += 1;
			return (svelte.render as (...args: unknown[]) => unknown)(...args);
		}
	};
});
// The files of a worker share their loaded modules (vite.config.ts, isolate: false): the routes an
// earlier file loaded against the real database are dropped, so that this file's imports load them
// against the mock above; and those loaded here are dropped, so that later files load them again.
beforeAll(() => {
	vi.resetModules();
});
afterAll(() => {
	vi.resetModules();
});

let db: Db;
let partner: User;
let admin: User;

beforeEach(async () => {
	db = await createTestDb();
	state.db = db;
	partner = await createPartner(db, 'cdg46', 'partenaire@cdg46.test');
	admin = await createTestUser(db, {
		email: 'admin@lot.test',
		name: 'Admin',
		role: 'admin',
		password: null
	});
});
afterEach(async () => {
	await db.destroy();
});

type Load = (event: never) => Promise<unknown>;
const load = async (module: Promise<{ load: unknown }>, event: object) =>
	((await module).load as Load)(event as never) as Promise<Record<string, unknown>>;

const fichePage = () =>
	load(import('./fiches/[code=fiche]/+page.server'), { params: { code: '9-1' } }) as Promise<{
		fiche: { history: { done: string }[]; progress: number | null };
	}>;

/** The partner's update of 9-1 (advancement 45 %), saved to wait for validation: returns its validation. */
async function submitUpdate(done: string): Promise<() => Promise<void>> {
	const saved = await saveProgressUpdate(
		db,
		partner,
		'9-1',
		null,
		progressInput({ done, progress: 45 }),
		null
	);
	if (!saved.ok) throw new Error(saved.message);
	return async () => {
		const review = await reviewProgressUpdate(
			db,
			admin,
			{ updateId: saved.value.id, version: 1, decision: 'validate', comment: '' },
			null
		);
		expect(review.ok).toBe(true);
	};
}

describe('pages read once per change of published data', () => {
	it('the fiche page shows a validation at once, not a draft', async () => {
		// The same values: the page's data is a new object each time (it carries a mark, see
		// rendered-only.ts), what it holds is the one read of this state of the published data.
		const before = await fichePage();
		expect((await fichePage()).fiche).toBe(before.fiche);

		const validate = await submitUpdate('Validée par le banc');
		// A submission waiting for validation changes nothing public: the same values are served.
		expect((await fichePage()).fiche).toBe(before.fiche);

		await validate();
		const after = await fichePage();
		expect(after.fiche.progress).toBe(45);
		expect(after.fiche.history.at(-1)!.done).toBe('Validée par le banc');
	});

	it('the home page, the filters and an organisation show an edit of the plan at once', async () => {
		const home = () => load(import('./+page.server'), {});
		const filters = () =>
			load(import('./fiches/+page.server'), { url: new URL('http://localhost/fiches') });
		const organisation = () =>
			load(import('./organisations/[slug=slug]/+page.server'), {
				params: { slug: 'cdg46' }
			}) as Promise<{ organisation: { name: string } }>;
		const homeBefore = await home();
		expect((await home()).tree).toBe(homeBefore.tree);
		expect((await organisation()).organisation.name).toBe('CDG46');

		await db.updateTable('plan').set({ title: 'Plan renommé' }).where('id', '=', 1).execute();
		await db
			.updateTable('organisation')
			.set({ name: 'Centre de gestion du Lot' })
			.where('slug', '=', 'cdg46')
			.execute();
		expect(((await home()).plan as { title: string }).title).toBe('Plan renommé');
		expect((await organisation()).organisation.name).toBe('Centre de gestion du Lot');
		const names = ((await filters()).organisations as { name: string }[]).map((o) => o.name);
		expect(names).toContain('Centre de gestion du Lot');
	});

	it('the home page lists the plan’s latest events, /historique all of them, a new one at once', async () => {
		type Events = { events: { title: string }[]; eventCount?: number };
		const home = () => load(import('./+page.server'), {}) as Promise<Events>;
		const history = () => load(import('./historique/+page.server'), {}) as Promise<Events>;
		const seeded = (await history()).events.length;
		await db
			.insertInto('plan_event')
			.values(
				Array.from({ length: HOME_PAGE_EVENTS }, (_, i) => ({
					occurred_on: `2030-01-${10 + i}`,
					title: `Délibération ${i + 1}`,
					body: 'Texte.',
					source: 'Registre'
				}))
			)
			.execute();
		const all = (await history()).events;
		expect(all).toHaveLength(seeded + HOME_PAGE_EVENTS);
		const front = await home();
		expect(front.eventCount).toBe(all.length);
		expect(front.events).toEqual(all.slice(-HOME_PAGE_EVENTS));
		expect(front.events.at(-1)!.title).toBe(`Délibération ${HOME_PAGE_EVENTS}`);
	});

	it('the dashboard and an edition render their figures once per change, a validation at once', async () => {
		// The HTML kept once per change that the page's load gives its answer (inAnswer).
		const kept = async (module: Promise<{ load: unknown }>, event: object) => {
			const locals = {} as App.Locals;
			await load(module, { ...event, locals });
			return locals.keptHtml![0]!.html;
		};
		const dashboard = () => kept(import('./tableau-de-bord/+page.server'), {});
		const edition = () =>
			kept(import('./bilans/[year=annee]/+page.server'), {
				params: { year: '2018' },
				url: new URL('http://localhost/bilans/2018')
			});
		renders.count = 0;
		const figures = await dashboard();
		const report = await edition();
		expect(figures).toContain('Avancement par axe et par orientation');
		expect(report).toContain('Bilan 2018 du schéma');
		expect(await dashboard()).toBe(figures);
		expect(await edition()).toBe(report);
		expect(renders.count).toBe(2);

		const validate = await submitUpdate('Validée pour le tableau de bord');
		// Waiting for validation: nothing public changed, nothing is rendered again.
		await dashboard();
		await edition();
		expect(renders.count).toBe(2);
		await validate();
		expect(await dashboard()).not.toBe(figures);
		await edition();
		expect(renders.count).toBe(4);
	});

	it('keeps the values of one database apart from another’s', async () => {
		const other = await createTestDb();
		await other.updateTable('plan').set({ title: 'Autre plan' }).where('id', '=', 1).execute();
		const home = () => load(import('./+page.server'), {}) as Promise<{ plan: { title: string } }>;
		const first = (await home()).plan.title;
		state.db = other;
		expect((await home()).plan.title).toBe('Autre plan');
		state.db = db;
		expect((await home()).plan.title).toBe(first);
		await other.destroy();
	});
});

describe('the partner’s workspace', () => {
	it('asks nothing of a fiche the plan abandoned', async () => {
		const workspace = async () =>
			(await load(import('./espace/+page.server'), {
				url: new URL('http://localhost/espace'),
				locals: {
					user: partner,
					session: { id: 's', userId: partner.id, createdAt: 0, expiresAt: 0 }
				},
				getClientAddress: () => '127.0.0.1'
			})) as { fiches: { code: string; stale: boolean; due: boolean }[] };
		const before = (await workspace()).fiches.find((f) => f.code === '12-1')!;
		expect(before.stale || before.due).toBe(true);
		expect(await abandonFiche(db, admin, '12-1')).toMatchObject({ ok: true });
		expect((await workspace()).fiches.find((f) => f.code === '12-1')).toMatchObject({
			stale: false,
			due: false
		});
	});
});
