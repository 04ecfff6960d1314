import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateHistory } from '../../scripts/bench/generate';
import { createTestUser } from '$lib/server/auth/testing';
import type { User } from '$lib/server/auth/users';
import { openedCampaign } from '$lib/server/campaigns/testing';
import { preparedSitting } from '$lib/server/commission/testing';
import { openDatabase, type Db } from '$lib/server/db';
import { prepareDatabase } from '$lib/server/db/instance';
import { saveEditionDraft } from '$lib/server/editions/service';
import { saveProgressUpdate } from '$lib/server/progress/service';
import { progressInput } from '$lib/server/progress/testing';
import { daysAfter, parisToday } from '$lib/utils/dates';

/**
 * How many SQL statements one request of each page issues — every public page and every signed-in
 * page — on the plan as seeded (9 updates, one measurement) and on the same plan with four years
 * of history (more than 1,000 validated updates, 40,000 measurements, 80 more organisations, 800
 * accounts): the count must not grow with the data (no query per row: no N+1), and stays small.
 * Pages run uncached and with fresh modules, as on the first request after a change: values
 * computed once per change of published data (dashboard figures, open-data files) are computed
 * in the count.
 */
const state = vi.hoisted(() => ({ db: undefined as unknown }));
vi.mock('$lib/server/db/instance', async (original) => ({
	...(await original<typeof import('$lib/server/db/instance')>()),
	getDb: () => state.db
}));
// The files of a worker share their loaded modules (vite.config.ts, isolate: false): the modules
// loaded here against the mock above are dropped, so that later files load them again.
afterAll(() => {
	vi.resetModules();
});

const MAX_STATEMENTS = 10;
/**
 * Built once per change of published data, then served as they are: every open-data file from one
 * reading (plan, its structure and indicators, the fiches' former codes, measurements, updates,
 * decisions, the plan's changes), each of the five readings in a transaction that first checks the
 * revision of published data.
 */
const MAX_OPEN_DATA_BUILD = 22;
let dir: string;

type Role = 'partenaire' | 'admin' | 'commission';

interface Dataset {
	db: Db;
	users: Record<Role, User>;
	ids: { update: number; draftEdition: number; openSitting: number; campaign: number };
	counter: { count: number };
}

function account(db: Db, name: string, role: Role): Promise<User> {
	return createTestUser(db, {
		email: `${role}.${name}@compteur.test`,
		name: `Compteur ${role}`,
		role,
		organisation: role === 'partenaire' ? 'cdg46' : null
	});
}

async function dataset(name: string, scale: number | null): Promise<Dataset> {
	const path = join(dir, `${name}.db`);
	const prepared = await prepareDatabase(path);
	await prepared.destroy();
	if (scale !== null) generateHistory(path, scale, 7);
	const counter = { count: 0 };
	// Counted once per statement run (a result), not per query built: a nested list's subquery is
	// built, and transformed by plugins, like a query, yet runs inside its parent's statement.
	const counting: KyselyPlugin = {
		transformQuery: (args) => args.node,
		transformResult: async (args) => {
			counter.count += 1;
			return args.result;
		}
	};
	// The database with a plugin: still no transaction (`Db`).
	const db = openDatabase(path).withPlugin(counting) as Db;
	const users = {
		partenaire: await account(db, name, 'partenaire'),
		admin: await account(db, name, 'admin'),
		commission: await account(db, name, 'commission')
	};
	// What the signed-in pages show: an update waiting for validation, a draft edition, a sitting
	// being prepared with a fiche on its agenda.
	const update = await saveProgressUpdate(
		db,
		users.partenaire,
		'9-1',
		null,
		progressInput({ reportedOn: '2030-01-10' }),
		null
	);
	// Prepared during 2031, after the generated history (a draft's year has begun).
	const edition = await saveEditionDraft(
		db,
		users.admin,
		{ year: 2031, asOf: '2031-12-31', intro: 'Bilan', axisTexts: {}, changeNote: null },
		null,
		new Date('2031-06-01T12:00:00Z')
	);
	if (!update.ok || !edition.ok) throw new Error('dataset');
	// Open, a month ahead (a séance is planned a year ahead at most).
	const openSitting = await preparedSitting(db, users.admin, {
		heldOn: daysAfter(parisToday(), 30)
	});
	// Opened a moment ago by the admin who reads its page (« Campagne ouverte »), for the fiches of
	// an organisation other than CDG46: the partner's pages stay as they are.
	const adOcc = await db
		.selectFrom('organisation')
		.select('id')
		.where('slug', '=', 'ad-occ')
		.executeTakeFirstOrThrow();
	const campaign = await openedCampaign(db, users.admin, {
		scope: { kind: 'organisation', organisationId: adOcc.id }
	});
	return {
		db,
		users,
		ids: { update: update.value.id, draftEdition: edition.value.id, openSitting, campaign },
		counter
	};
}

interface Page {
	/** The route module, as SvelteKit loads it. */
	module: () => Promise<{ load?: (event: never) => unknown; GET?: (event: never) => unknown }>;
	params?: (data: Dataset) => Record<string, string>;
	as?: Role;
	openData?: true;
	/** A higher bound, with its reason. */
	max?: number;
}

/** Every page a visitor or a signed-in person can open, with the parameters of one request. */
const PAGES: Record<string, Page> = {
	'/': {
		module: () => import('./+page.server'),
		// The plan, its tree, and its history: the register, sittings, editions, and the structural
		// revisions named after the records they concern (once per change of published data; the
		// history, shared with /historique, under a stamp of its own).
		max: 14
	},
	'/historique': {
		module: () => import('./historique/+page.server'),
		// The register, sittings, editions, and the structural revisions named after the records
		// they concern (once per change of published data).
		max: 9
	},
	'/fiches': { module: () => import('./fiches/+page.server') },
	'/fiches?priorite=1&statut=en_cours&q=wifi': { module: () => import('./fiches/+page.server') },
	'/fiches/14-1': {
		module: () => import('./fiches/[code=fiche]/+page.server'),
		params: () => ({ code: '14-1' })
	},
	'/fiches/14-1/historique/2018': {
		module: () => import('./fiches/[code=fiche]/historique/[annee=annee]/+page.server'),
		params: () => ({ code: '14-1', annee: '2018' })
	},
	'/organisations': { module: () => import('./organisations/+page.server') },
	'/organisations/cdg46': {
		module: () => import('./organisations/[slug=slug]/+page.server'),
		params: () => ({ slug: 'cdg46' }),
		// The cache stamp, the organisation with its owner and partner rows nested, its fiches.
		max: 3
	},
	'/tableau-de-bord': { module: () => import('./tableau-de-bord/+page.server') },
	'/tableau-de-bord/indicateurs.csv': {
		module: () => import('./tableau-de-bord/[figure=figure].csv/+server'),
		params: () => ({ figure: 'indicateurs' })
	},
	'/bilans': { module: () => import('./bilans/+page.server') },
	'/bilans/2018': {
		module: () => import('./bilans/[year=annee]/+page.server'),
		params: () => ({ year: '2018' })
	},
	'/bilans/2018/impression': {
		module: () => import('./bilans/[year=annee]/impression/+page.server'),
		params: () => ({ year: '2018' })
	},
	'/bilans/2018/fiches/17-1': {
		module: () => import('./bilans/[year=annee]/fiches/[code=fiche]/+page.server'),
		params: () => ({ year: '2018', code: '17-1' })
	},
	'/bilans/2018/grille-fiches.csv': {
		module: () => import('./bilans/[year=annee]/[figure=figure].csv/+server'),
		params: () => ({ year: '2018', figure: 'grille-fiches' })
	},
	'/bilans/2018/mesures.csv': {
		module: () => import('./bilans/[year=annee]/[fichier=ressource]/+server'),
		params: () => ({ year: '2018', fichier: 'mesures.csv' })
	},
	'/commission': { module: () => import('./commission/+page.server') },
	'/commission/priorites': { module: () => import('./commission/priorites/+page.server') },
	'/commission/seances/1': {
		module: () => import('./commission/seances/[id=id]/+page.server'),
		params: () => ({ id: '1' })
	},
	'/commission/seances/1/releve.csv': {
		module: () => import('./commission/seances/[id=id]/releve.csv/+server'),
		params: () => ({ id: '1' })
	},
	'/donnees': { module: () => import('./donnees/+page.server'), openData: true },
	'/donnees/plan.json': {
		module: () => import('./donnees/[fichier=ressource]/+server'),
		params: () => ({ fichier: 'plan.json' }),
		openData: true
	},
	'/donnees/mesures-2018.csv': {
		module: () => import('./donnees/[fichier=ressource]/+server'),
		params: () => ({ fichier: 'mesures-2018.csv' })
	},
	'/donnees/datapackage.json': {
		module: () => import('./donnees/[fichier=ressource]/+server'),
		params: () => ({ fichier: 'datapackage.json' }),
		openData: true
	},
	'/connexion': { module: () => import('./connexion/+page.server') },
	'/espace': {
		module: () => import('./espace/+page.server'),
		as: 'partenaire',
		// The organisation's fiches; its updates waiting, each with its fiche's organisations nested
		// (whether it still carries it, as the update's page says), and their measurements; those
		// validated lately; its campaigns. « carried » decided by the service costs no statement.
		max: 5
	},
	// 9-1 has the open update (its form leads to it); the form of a fiche without one.
	'/espace/fiches/12-1/suivi': {
		module: () => import('./espace/fiches/[code=fiche]/suivi/+page.server'),
		params: () => ({ code: '12-1' }),
		as: 'partenaire'
	},
	'/espace/suivis/[id=id]': {
		module: () => import('./espace/suivis/[id=id]/+page.server'),
		params: (data) => ({ id: String(data.ids.update) }),
		as: 'partenaire'
	},
	'/compte': { module: () => import('./compte/+page.server'), as: 'partenaire' },
	'/admin': { module: () => import('./admin/+page.server'), as: 'admin' },
	'/admin/suivis': { module: () => import('./admin/suivis/+page.server'), as: 'admin' },
	'/admin/suivis/[id=id]': {
		module: () => import('./admin/suivis/[id=id]/+page.server'),
		params: (data) => ({ id: String(data.ids.update) }),
		as: 'admin'
	},
	'/admin/utilisateurs': {
		module: () => import('./admin/utilisateurs/+page.server'),
		as: 'admin'
	},
	'/admin/utilisateurs/[id=id]': {
		module: () => import('./admin/utilisateurs/[id=id]/+page.server'),
		params: (data) => ({ id: String(data.users.partenaire.id) }),
		as: 'admin'
	},
	'/admin/campagnes/[id=id]?ouverte=1': {
		module: () => import('./admin/campagnes/[id=id]/+page.server'),
		params: (data) => ({ id: String(data.ids.campaign) }),
		as: 'admin',
		// The campaign's completion (the campaign, its fiches and answers, its changes of dates) and
		// the relay's state for « Campagne ouverte »: who opened it and when, read with the campaign,
		// confirm the notice without a statement on the journal.
		max: 6
	},
	'/admin/journal': { module: () => import('./admin/journal/+page.server'), as: 'admin' },
	'/admin/bilans': { module: () => import('./admin/bilans/+page.server'), as: 'admin' },
	'/admin/plan/fiches/14-1': {
		module: () => import('./admin/plan/fiches/[code=fiche]/+page.server'),
		params: () => ({ code: '14-1' }),
		as: 'admin',
		// The fiche with its owners, partners, links and indicators in one statement, its last
		// revision, and the lists to pick from: objectives, organisations, fiches, decisions.
		max: 6
	},
	'/admin/bilans/[id=id]': {
		module: () => import('./admin/bilans/[id=id]/+page.server'),
		params: (data) => ({ id: String(data.ids.draftEdition) }),
		as: 'admin',
		// A draft edition's preview: the edition, then the dashboard of its year, the year's
		// starting states, and the plan as publishing would freeze it (texts, owners, indicators).
		max: 15
	},
	'/commission (membre)': { module: () => import('./commission/+page.server'), as: 'commission' },
	'/commission/seances/[id=id] (préparation)': {
		module: () => import('./commission/seances/[id=id]/+page.server'),
		params: (data) => ({ id: String(data.ids.openSitting) }),
		as: 'commission'
	},
	'/commission/seances/[id=id]/fiches/4-1': {
		module: () => import('./commission/seances/[id=id]/fiches/[code=fiche]/+page.server'),
		params: (data) => ({ id: String(data.ids.openSitting), code: '4-1' }),
		as: 'commission',
		// The preparation file of one fiche for one sitting, for members only: the fiche page's
		// reads, plus the sitting, the previous one and the fiche's state then.
		max: 14
	}
};

/** The request event SvelteKit would pass, as far as the loads and handlers read it. */
function requestEvent(path: string, data: Dataset, page: Page) {
	const url = new URL(`http://localhost${path.replace(/ \(.*\)$/, '')}`);
	const user = page.as ? data.users[page.as] : null;
	return {
		url,
		params: page.params?.(data) ?? {},
		locals: {
			user,
			session: user ? { id: 'compteur', userId: user.id, createdAt: 0, expiresAt: 0 } : null
		},
		request: new Request(url),
		getClientAddress: () => '127.0.0.1',
		setHeaders: () => undefined,
		cookies: { get: () => undefined }
	};
}

async function countStatements(data: Dataset): Promise<Record<string, number>> {
	const counts: Record<string, number> = {};
	for (const [path, page] of Object.entries(PAGES)) {
		// Fresh modules: no value computed for an earlier request or dataset is reused.
		vi.resetModules();
		state.db = data.db;
		data.counter.count = 0;
		const module = await page.module();
		const event = requestEvent(path, data, page) as never;
		const answer = module.load ? await module.load(event) : await module.GET!(event);
		if (answer instanceof Response) {
			expect(answer.status, path).toBe(200);
			await answer.arrayBuffer();
		}
		counts[path] = data.counter.count;
	}
	return counts;
}

let seeded: Dataset;
let history: Dataset;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'sdusn-statements-'));
	seeded = await dataset('plan', null);
	history = await dataset('historique', 40);
}, 120_000);

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

	it('issues the same small number of statements whatever the history, on every page', async () => {
		const small = await countStatements(seeded);
		const large = await countStatements(history);
		console.info('Requêtes SQL par page :', small);
		expect(large).toEqual(small);
		for (const [path, count] of Object.entries(small))
			expect(count, path).toBeLessThanOrEqual(
				PAGES[path]!.max ?? (PAGES[path]!.openData ? MAX_OPEN_DATA_BUILD : MAX_STATEMENTS)
			);
	}, 120_000);
});
