import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlanDocumentSchema } from '../../schemas/plan-document';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import {
	buildPlanDocument,
	CSV_COLUMNS,
	planDocumentToCsv,
	planDocumentToJson
} from './plan-document';

let db: Db;
beforeEach(async () => {
	db = await createTestDb();
});
afterEach(async () => {
	await db.destroy();
});

describe('the open-data document', () => {
	it('matches the sdusn/plan@1 shape', async () => {
		const document = await buildPlanDocument(db);
		expect(() => PlanDocumentSchema.parse(document)).not.toThrow();
		expect(document.generated_at).toBe('2026-01-31T10:00:00Z');
		expect(document.fiches).toHaveLength(23);
	});

	it('orders everything as the spec says', async () => {
		const document = await buildPlanDocument(db);
		expect(document.axes.map((a) => a.position)).toEqual([1, 2, 3]);
		expect(document.objectives.map((o) => o.number)).toEqual(
			Array.from({ length: 17 }, (_, i) => i + 1)
		);
		const codes = document.fiches.map((f) => f.code);
		expect(codes.slice(11, 14)).toEqual(['9-1', '10-1', '10-2']);
		for (const fiche of document.fiches) {
			expect([...fiche.partners].sort((a, b) => a.localeCompare(b, 'fr'))).toEqual(fiche.partners);
		}
	});

	it('carries the state of progress and the first measurement of 14-1', async () => {
		const document = await buildPlanDocument(db);
		const wifi = document.fiches.find((f) => f.code === '14-1')!;
		expect(wifi).toMatchObject({
			status: 'en_cours',
			progress: null,
			last_update: '2019-01-01',
			linked: []
		});
		expect(wifi.indicators[0]!.measurements).toEqual([{ date: '2018-12-31', value: 10 }]);
		const first = document.fiches[0]!;
		expect(first).toMatchObject({
			code: '1-1',
			priority: 1,
			owners: [{ organisation: 'Syndicat mixte Lot numérique', scope: null }],
			partners: ['ADCF', 'AMF46', 'CDG46', 'Organismes de formation', 'SGAR'],
			linked: ['2-1', '7-2', '10-2']
		});
	});

	it('leaves drafts and personal data out', async () => {
		const fiche = await db
			.selectFrom('fiche')
			.select('id')
			.where('code', '=', '4-1')
			.executeTakeFirstOrThrow();
		const indicator = await db
			.selectFrom('indicator')
			.select('id')
			.where('fiche_id', '=', fiche.id)
			.executeTakeFirstOrThrow();
		const { id } = await db
			.insertInto('progress_update')
			.values({
				fiche_id: fiche.id,
				organisation_id: null,
				reported_on: '2020-01-01',
				status: 'realisee',
				progress: 100,
				done: 'brouillon',
				source: null,
				state: 'submitted',
				validated_at: null
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await db
			.insertInto('measurement')
			.values({
				indicator_id: indicator.id,
				progress_update_id: id,
				measured_on: '2020-01-01',
				value: 5,
				comment: null
			})
			.execute();
		const text = planDocumentToJson(await buildPlanDocument(db));
		const fourOne = JSON.parse(text).fiches.find((f: { code: string }) => f.code === '4-1');
		expect(fourOne.status).toBe('a_lancer');
		expect(fourOne.indicators[0].measurements).toEqual([]);
		expect(text).not.toMatch(/[\w.-]+@[\w-]+\.[a-z]|brouillon/);
	});

	it('gives the same bytes twice for the same database', async () => {
		const first = planDocumentToJson(await buildPlanDocument(db));
		const second = planDocumentToJson(await buildPlanDocument(db));
		expect(second).toBe(first);
	});
});

describe('the CSV', () => {
	const parseStrict = (csv: string) =>
		parse(csv, {
			bom: false,
			relax_quotes: false,
			relax_column_count: false,
			skip_empty_lines: false
		}) as string[][];

	it('has the spec’s header and one row per fiche, equal to the JSON', async () => {
		const document = await buildPlanDocument(db);
		const rows = parseStrict(planDocumentToCsv(document));
		expect(rows[0]).toEqual([...CSV_COLUMNS]);
		expect(rows).toHaveLength(24);
		const row = rows.find((r) => r[0] === '13-1')!;
		expect(row).toEqual([
			'13-1',
			'13',
			'modernite',
			'open-innovation',
			'Développement d’un réseau de tiers-lieux numériques',
			'1',
			expect.stringContaining(
				'Syndicat mixte Lot numérique (Animation de réseau et actions conjointes)'
			),
			'Associations | LEADER | Région Occitanie | Secteur privé',
			'7-1 | 8-1 | 10-1',
			'en_cours',
			'',
			'2019-02-01'
		]);
	});

	it('round-trips commas, quotes, accents and line breaks through a strict parser', async () => {
		const hostile =
			'Titre, avec « guillemets », des "doubles", un\nretour à la ligne\r\net des accents éèàçœ';
		await db
			.updateTable('fiche')
			.set({ title: hostile, progress: 45 })
			.where('code', '=', '2-1')
			.execute();
		await db
			.updateTable('organisation')
			.set({ name: 'Org, "spéciale"' })
			.where('slug', '=', 'epci')
			.execute();
		const document = await buildPlanDocument(db);
		const rows = parseStrict(planDocumentToCsv(document));
		const row = rows.find((r) => r[0] === '2-1')!;
		expect(row[4]).toBe(hostile);
		expect(row[10]).toBe('45');
		expect(row[7]).toContain('Org, "spéciale"');
		expect(rows.slice(1).map((r) => r[0])).toEqual(document.fiches.map((f) => f.code));
	});
});
