import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import { seedPlan } from '../seed';
import { foldSearchQuery } from '../../utils/text';
import { FICHE_PAGE_HISTORY } from '../../utils/rules';
import {
	findFicheByCode,
	findOrganisationBySlug,
	listFicheHistoryOfYear,
	listFiches,
	listOrganisations,
	listPlanEvents,
	measurementPublishedBy
} from './repository';
import { join } from 'node:path';
import { portalSources } from '../../utils/source-testing';

let db: Db;
beforeEach(async () => {
	db = await createTestDb();
});
afterEach(async () => {
	await db.destroy();
});

const codes = (fiches: { code: string }[]) => fiches.map((f) => f.code);

describe('seeding', () => {
	it('loads the plan once and does nothing the second time', async () => {
		const count = async () => {
			const tables = [
				'fiche',
				'organisation',
				'fiche_owner',
				'fiche_partner',
				'fiche_link',
				'indicator',
				'progress_update',
				'measurement',
				'plan_event'
			] as const;
			const counts: Record<string, number> = {};
			for (const table of tables) {
				const row = await db
					.selectFrom(table)
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.executeTakeFirstOrThrow();
				counts[table] = Number(row.n);
			}
			return counts;
		};
		const before = await count();
		expect(before).toMatchObject({ fiche: 23, organisation: 50, indicator: 30, fiche_link: 80 });
		expect(await seedPlan(db)).toBe(false);
		expect(await count()).toEqual(before);
	});

	it('dates the register’s reports as validated on their own day, not on the installation’s', async () => {
		const updates = await db
			.selectFrom('progress_update')
			.select(['reported_on', 'validated_at'])
			.execute();
		expect(updates.length).toBeGreaterThan(0);
		for (const u of updates) expect(u.validated_at).toBe(`${u.reported_on}T18:00:00.000Z`);
	});

	it('starts every fiche "à lancer" except 13-1 and 14-1', async () => {
		const fiches = await listFiches(db);
		expect(codes(fiches.filter((f) => f.status === 'en_cours'))).toEqual(['13-1', '14-1']);
		expect(fiches.filter((f) => f.status === 'a_lancer')).toHaveLength(21);
		expect(fiches.every((f) => f.progress === null)).toBe(true);
	});
});

describe('listFiches', () => {
	it('returns the 23 fiches in plan order ("10-1" after "9-1")', async () => {
		const all = codes(await listFiches(db));
		expect(all).toHaveLength(23);
		expect(all.indexOf('10-1')).toBe(all.indexOf('9-1') + 1);
		expect(all.at(-1)).toBe('17-3');
	});

	it('finds one fiche by its code, where its words would find them all', async () => {
		expect((await listFiches(db, { code: '1-1' })).map((f) => f.code)).toEqual(['1-1']);
		expect((await listFiches(db, { text: '1 1' })).length).toBeGreaterThan(1);
		expect(await listFiches(db, { code: '99-9' })).toEqual([]);
	});

	it('combines filters', async () => {
		expect(codes(await listFiches(db, { axis: 'modernite', priority: 1 }))).toEqual([
			'13-1',
			'14-1',
			'17-1',
			'17-2'
		]);
		expect(codes(await listFiches(db, { orientation: 'politique-donnee' }))).toEqual([
			'5-1',
			'6-1'
		]);
		expect(codes(await listFiches(db, { objective: 7, priority: 2 }))).toEqual(['7-2', '7-3']);
		expect(codes(await listFiches(db, { status: 'en_cours', axis: 'solidarite' }))).toEqual([]);
	});

	it('finds fiches by owner or partner organisation', async () => {
		expect(codes(await listFiches(db, { organisation: 'cdg46' }))).toEqual([
			'1-1',
			'1-2',
			'5-1',
			'6-1',
			'9-1',
			'12-1'
		]);
		expect(codes(await listFiches(db, { organisation: 'ars' }))).toEqual(['17-2']);
	});

	it('searches titles and descriptions without regard to case or accents', async () => {
		expect(codes(await listFiches(db, { text: 'teleconsultation' }))).toEqual(['17-2']);
		// Both words, anywhere in the fiche: 10-1 mentions APTIC cheques too.
		expect(codes(await listFiches(db, { text: 'cheque aptic' }))).toEqual(['10-1', '10-2']);
		expect(await listFiches(db, { text: "%' or 1=1 --" })).toEqual([]);
	});

	it('treats hyphens, apostrophes and accents alike, and finds every word anywhere', async () => {
		const search = (text: string) => listFiches(db, { text: foldSearchQuery(text) });
		const hyphenated = codes(await search('tiers-lieux'));
		expect(hyphenated.length).toBeGreaterThan(0);
		expect(codes(await search('tiers lieux'))).toEqual(hyphenated);
		expect(codes(await search('TIERS‑LIEUX'))).toEqual(hyphenated);
		expect(codes(await search('lieux tiers'))).toEqual(hyphenated);
		expect(codes(await search('d’actes de teleconsultation'))).toEqual(['17-2']);
	});

	// Walkthrough s46: « ENT », « SI » and « ent » found all 23 fiches (« gouvernement »,
	// « aussi »), « wi-fi » found 7-3 for its « wiki » and a word starting « fi ».
	it('finds a word at the start of a word of the fiche, a hyphenated one whole', async () => {
		const search = async (text: string) =>
			codes(await listFiches(db, { text: foldSearchQuery(text) }));
		const all = codes(await listFiches(db));
		for (const word of ['ENT', 'SI', 'ent']) {
			const found = await search(word);
			expect(found.length, word).toBeGreaterThan(0);
			expect(found.length, word).toBeLessThan(all.length);
		}
		// « ent » finds « entreprises » (16-1), as « ENT » does: a prefix, not a whole word.
		expect(await search('ent')).toContain('16-1');
		expect(await search('ENT')).toEqual(await search('ent'));
		const wifi = await search('wi-fi');
		expect(wifi.length).toBeGreaterThan(0);
		expect(wifi).not.toContain('7-3');
		expect(await search('wifi')).toEqual(wifi);
		expect(await search('Wi‑Fi')).toEqual(wifi);
	});

	it('searches every text of a fiche: sections, indicators, organisations', async () => {
		const search = (text: string) => listFiches(db, { text: foldSearchQuery(text) });
		// A success factor of 3-1, an indicator of 16-1, the partners and owners of fiches.
		expect(codes(await search('Harmoniser le fonctionnement des SIG existants'))).toEqual(['3-1']);
		expect(codes(await search('entreprises agrégées à la filière'))).toContain('16-1');
		const byName = codes(await search('CDG46'));
		for (const code of codes(await listFiches(db, { organisation: 'cdg46' })))
			expect(byName).toContain(code);
	});

	// Review s57: « Ad’Occ » found 10 fiches (« ad » of « administration », « occ » of
	// « Occitanie »), though 5 name Ad’Occ.
	it('finds an organisation by its name with an apostrophe inside, as by its filter', async () => {
		const search = async (text: string) =>
			codes(await listFiches(db, { text: foldSearchQuery(text) }));
		const adOcc = codes(await listFiches(db, { organisation: 'ad-occ' }));
		expect(adOcc.length).toBeGreaterThan(0);
		for (const query of ['Ad’Occ', "Ad'Occ", 'ad-occ', 'adocc'])
			expect(await search(query), query).toEqual(adOcc);
		// Elisions still find the word after them.
		expect(await search('l’ENT')).toEqual(await search('ENT'));
		expect(await search('d’usages')).toEqual(await search('usages'));
	});

	// Review s57: « CDG 46 » (the register's spelling) found 1-1 only, for a « 46 » of its own.
	it('finds two words in a row joined too, besides each word alone', async () => {
		const search = async (text: string) =>
			codes(await listFiches(db, { text: foldSearchQuery(text) }));
		const cdg = codes(await listFiches(db, { organisation: 'cdg46' }));
		expect(cdg.length).toBeGreaterThan(1);
		for (const query of ['CDG 46', 'cdg46'])
			for (const code of cdg) expect(await search(query), query).toContain(code);
		// Today's matches kept: each word alone still finds a fiche.
		const adOcc = codes(await listFiches(db, { organisation: 'ad-occ' }));
		expect(await search('ad occ')).toEqual(
			expect.arrayContaining([...adOcc, ...(await search('administration occitanie'))])
		);
	});

	it('builds a statement once per set of filters, then runs it with each request’s values', async () => {
		await listFiches(db, { axis: 'performance', priority: 2 });
		await listFiches(db, { organisation: 'cdg46', text: 'wi-fi' });
		const built = vi.spyOn(db, 'selectFrom');
		expect(codes(await listFiches(db, { axis: 'modernite', priority: 1 }))).toEqual([
			'13-1',
			'14-1',
			'17-1',
			'17-2'
		]);
		expect(codes(await listFiches(db, { organisation: 'ars', text: 'tele-consultation' }))).toEqual(
			['17-2']
		);
		expect(built).not.toHaveBeenCalled();
		built.mockRestore();
	});
});

describe('findFicheByCode', () => {
	it('gives every field of 14-1 with its history and measurement', async () => {
		const fiche = (await findFicheByCode(db, '14-1'))!;
		expect(fiche.title).toBe('Équipement d’un wifi territorial dans chaque commune');
		expect(fiche.priority).toBe(1);
		expect(fiche.status).toBe('en_cours');
		expect(fiche.lastUpdate).toBe('2019-01-01');
		expect(fiche.owners).toEqual([
			{
				organisationId: expect.any(Number),
				slug: 'lot-numerique',
				name: 'Syndicat mixte Lot numérique',
				retiredAt: null,
				scope: null,
				note: null
			}
		]);
		expect(fiche.partners.map((p) => p.name)).toEqual(['LEADER', 'FNADT']);
		// The partners' own column (ficheRoster reads both lists from their own tables).
		expect((await findFicheByCode(db, '2-1'))!.partners).toContainEqual({
			organisationId: expect.any(Number),
			slug: expect.any(String),
			name: 'État',
			retiredAt: null,
			detail: 'services de l’État'
		});
		expect(fiche.indicators).toEqual([
			expect.objectContaining({
				label: 'Nombre de communes ayant installé une borne wifi',
				measurements: [
					{ measuredOn: '2018-12-31', value: 10, comment: '10 bornes installées en décembre 2018' }
				]
			})
		]);
		expect(fiche.history.map((h) => [h.reportedOn, h.status, h.source?.slice(0, 20)])).toEqual([
			['2018-07-31', 'en_cours', 'Délibérations CS2019'],
			['2018-09-30', null, 'Délibération CS2019/'],
			['2018-12-31', null, 'Délibérations CS2019'],
			['2019-01-01', null, 'Délibération CS2019/']
		]);
		expect(fiche.history.every((h) => h.organisation?.slug === 'lot-numerique')).toBe(true);
		expect(fiche.placement.axisShortName).toBe('modernité');
	});

	it('shows links in both directions', async () => {
		const fiche = (await findFicheByCode(db, '8-1'))!;
		expect(codes(fiche.linked)).toEqual(['1-2', '9-1', '13-1', '17-2']);
		expect(codes(fiche.citedBy)).toEqual(['1-2', '9-1', '10-1', '10-2', '13-1', '17-2']);
	});

	it('shows the latest updates only, and the rest year by year', async () => {
		const fiche = (await findFicheByCode(db, '14-1'))!;
		const months = Array.from({ length: 20 }, (_, i) => i);
		const row = (reportedOn: string, done: string, state: 'validated' | 'draft') => ({
			fiche_id: fiche.id,
			organisation_id: null,
			reported_on: reportedOn,
			status: null,
			progress: null,
			done,
			source: null,
			state,
			validated_at: state === 'validated' ? '2022-01-01T00:00:00Z' : null,
			author_id: null,
			submission_key: null,
			review_comment: null,
			reviewed_by: null,
			updated_by: null,
			updated_at: null,
			submitted_at: null
		});
		const month = (i: number) =>
			`${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-15`;
		await db
			.insertInto('progress_update')
			.values([
				...months.map((i) => row(month(i), `Mois ${i}`, 'validated')),
				row('2021-12-01', 'Brouillon', 'draft')
			])
			.execute();

		const page = (await findFicheByCode(db, '14-1'))!;
		expect(page.history).toHaveLength(FICHE_PAGE_HISTORY);
		expect(page.history.at(-1)!.done).toBe('Mois 19');
		expect(page.history[0]!.done).toBe(`Mois ${20 - FICHE_PAGE_HISTORY}`);
		expect(page.historyYears).toEqual([
			{ year: 2018, count: 3 },
			{ year: 2019, count: 1 },
			{ year: 2020, count: 12 },
			{ year: 2021, count: 8 }
		]);
		const year2021 = await listFicheHistoryOfYear(db, fiche.id, 2021);
		expect(year2021.map((h) => h.done)).toEqual(months.slice(12).map((i) => `Mois ${i}`));
	});

	it('returns undefined for an unknown code', async () => {
		expect(await findFicheByCode(db, '99-9')).toBeUndefined();
	});
});

describe('organisations', () => {
	it('links fiches and organisations both ways', async () => {
		const syndicat = (await findOrganisationBySlug(db, 'lot-numerique'))!;
		expect(syndicat.owned).toHaveLength(17);
		expect(codes(syndicat.partnered)).toEqual(['7-3', '9-1', '15-1', '16-1', '17-1', '17-2']);
		const eleven = syndicat.owned.find((f) => f.code === '11-1')!;
		expect(eleven.scopes).toEqual(['2', '3']);
		const list = await listOrganisations(db);
		expect(list).toHaveLength(50);
		expect(list.find((o) => o.slug === 'lot-numerique')).toMatchObject({ owned: 17, partnered: 6 });
		expect(await findOrganisationBySlug(db, 'inconnue')).toBeUndefined();
	});

	it('sorts organisations in French order', async () => {
		const names = (await listOrganisations(db)).map((o) => o.name);
		expect(names.indexOf('École régionale du numérique')).toBeLessThan(
			names.indexOf('Emmaüs Connect')
		);
	});
});

it('lists the plan events in date order', async () => {
	const events = await listPlanEvents(db);
	expect(events.map((e) => e.occurredOn)).toEqual([
		'2018-07-19',
		'2019-02-01',
		'2019-02-01',
		'2019-02-01'
	]);
	expect(events.some((e) => e.body.includes('50 k€'))).toBe(true);
});

// Review h48 (maintainer): updatePublishedBy promised measurements dated by the cut-off too, but
// tested only reported_on; the measurements' half was added by hand in three queries, and the
// indicators without a value by a day left the update's date out.
describe('a measurement published by a day', () => {
	it('holds both halves: its update reported by then, itself measured by then', () => {
		const { sql, parameters } = db
			.selectFrom('measurement')
			.innerJoin('progress_update', 'progress_update.id', 'measurement.progress_update_id')
			.select('measurement.id')
			.where(measurementPublishedBy('2026-06-30'))
			.compile();
		expect(sql).toContain('"progress_update"."reported_on" <= ?');
		expect(sql).toContain('"measurement"."measured_on" <= ?');
		expect(parameters).toEqual(['2026-06-30', '2026-06-30']);
	});

	it('is the one way measurements are read by a day', () => {
		const byHand = /'measurement\.measured_on',\s*'<=',/g;
		const found = portalSources('src/lib/server')
			.filter(({ text }) => byHand.test(text))
			.map(({ path, text }) => `${path}: ${text.match(byHand)!.length}`);
		expect(found).toEqual([join('src', 'lib', 'server', 'plan', 'repository.ts') + ': 1']);
	});
});
