import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../auth/users';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import { findFicheByCode } from '../plan/repository';
import { OpenDataSet } from '../opendata/resources';
import type { MeasurementInput } from '../../schemas/progress-update';
import { portalMigrator } from '../db/migrate';
import {
	findFicheForReporting,
	findFicheOrganisationIds,
	findProgressUpdate,
	findReplacedMeasurements,
	listReplacedValues
} from './repository';
import {
	publishedValuesOf,
	replacedValuesOf,
	reviewProgressUpdate,
	saveProgressForm,
	saveProgressUpdate
} from './service';
import {
	createPartner,
	createProgressCast,
	progressFormData,
	progressInput,
	submittedWith
} from './testing';

let db: Db;
let cdg: User;
let admin: User;
let indicatorId: number;

beforeEach(async () => {
	db = await createTestDb();
	({ cdg, admin } = await createProgressCast(db));
	indicatorId = (await findFicheForReporting(db, '9-1'))!.indicators[0]!.id;
});
afterEach(async () => {
	await db.destroy();
});

const measured = (measuredOn: string, value: number): MeasurementInput => ({
	indicatorId,
	measuredOn,
	value,
	comment: null
});

const submitted = (user: User, ...measurements: MeasurementInput[]) =>
	submittedWith(db, user, ...measurements);

const decide = (id: number, decision: 'validate' | 'return') =>
	reviewProgressUpdate(
		db,
		admin,
		{ updateId: id, version: 1, decision, comment: 'Précisez.' },
		null,
		new Date('2026-11-02T10:00:00.000Z')
	);

const csv = (name: string) =>
	new OpenDataSet(db, { generatedAt: '2026-12-07T10:00:00.000Z' })
		.file(name)
		.then((f) => Buffer.from(f!.body).toString('utf8'));

describe('one published value per indicator and day', () => {
	it('a value sent for a day that has one replaces it when validated, journaled, open data one row', async () => {
		const first = await submitted(cdg, measured('2026-10-01', 3));
		expect(await decide(first, 'validate')).toEqual({ ok: true });
		const correction = await submitted(cdg, measured('2026-10-01', 4));
		// The validation page names it before anything is decided.
		expect(await findReplacedMeasurements(db, correction)).toEqual([
			expect.objectContaining({
				indicatorId,
				measuredOn: '2026-10-01',
				value: 3,
				updateId: first,
				validatedAt: '2026-11-02T10:00:00.000Z',
				// Who published it: the review page names another organisation than the submitter's.
				organisationId: cdg.organisationId,
				organisationName: 'CDG46'
			})
		]);
		expect(await decide(correction, 'validate')).toEqual({ ok: true });

		const fiche = (await findFicheByCode(db, '9-1'))!;
		expect(fiche.indicators[0]!.measurements.filter((m) => m.measuredOn === '2026-10-01')).toEqual([
			{ measuredOn: '2026-10-01', value: 4, comment: null }
		]);
		// The older update stays in the history, without the value corrected since.
		expect((await findProgressUpdate(db, first))!.measurements).toEqual([]);
		expect((await csv('mesures')).split('\n').filter((l) => l.includes(',2026-10-01,'))).toEqual([
			expect.stringMatching(/^9-1,9-1-1,.*,2026-10-01,4$/)
		]);
		const plan = JSON.parse(await csv('plan')) as {
			fiches: { code: string; indicators: { latest: unknown; measurement_count: number }[] }[];
		};
		expect(plan.fiches.find((f) => f.code === '9-1')!.indicators[0]).toMatchObject({
			latest: { date: '2026-10-01', value: 4 }
		});

		const journal = await db
			.selectFrom('audit_event')
			.select(['summary', 'before_state'])
			.where('action', '=', 'update.validated')
			.where('target_id', '=', String(correction))
			.executeTakeFirstOrThrow();
		expect(journal.summary).toMatch(
			/^Mise à jour de la fiche 9-1 validée et publiée\. Mesure remplacée : « .+ » au 1er\u00a0octobre\u00a02026 : 3 → 4$/
		);
		expect(JSON.parse(journal.before_state!)).toMatchObject({
			replacedMeasurements: [{ indicatorId, measuredOn: '2026-10-01', value: 3, updateId: first }]
		});
	});

	it('keeps the values of other days, and replaces nothing on a return', async () => {
		const first = await submitted(cdg, measured('2026-10-01', 3));
		await decide(first, 'validate');
		const otherDay = await submitted(cdg, measured('2026-10-02', 5));
		expect(await findReplacedMeasurements(db, otherDay)).toEqual([]);
		await decide(otherDay, 'validate');
		const sameDay = await submitted(cdg, measured('2026-10-01', 4));
		expect(await decide(sameDay, 'return')).toEqual({ ok: true });
		const fiche = { indicators: [{ id: indicatorId }] };
		const values = (await publishedValuesOf(db, fiche, cdg.organisationId))[indicatorId]!;
		// Newest day first: the partner's form shows the first one.
		const validatedAt = '2026-11-02T10:00:00.000Z';
		expect(values.filter((v) => v.measuredOn >= '2026-10-01')).toEqual([
			{ measuredOn: '2026-10-02', value: 5, validatedAt, publishedBy: null },
			{ measuredOn: '2026-10-01', value: 3, validatedAt, publishedBy: null }
		]);
		// Another organisation of the fiche reads whose values it would replace.
		const sdail = await createPartner(db, 'sdail', 'paul@sdail.fr');
		const theirs = (await publishedValuesOf(db, fiche, sdail.organisationId))[indicatorId]!;
		expect(theirs.find((v) => v.measuredOn === '2026-10-01')).toEqual({
			measuredOn: '2026-10-01',
			value: 3,
			validatedAt,
			publishedBy: 'CDG46'
		});
	});

	it('refuses two values of one indicator on one day in one update, in French', async () => {
		const result = await saveProgressUpdate(
			db,
			cdg,
			'9-1',
			null,
			progressInput({ measurements: [measured('2026-10-01', 3), measured('2026-10-01', 4)] }),
			null
		);
		expect(result).toMatchObject({
			ok: false,
			status: 400,
			fieldErrors: {
				[`indicator_${indicatorId}_date`]: expect.stringMatching(
					/^Deux valeurs de l’indicateur « .+ » portent la même date \(1er\u00a0octobre\u00a02026\) : une seule valeur par jour est publiée\./
				)
			}
		});
		// The form itself has one line per indicator: one value a day passes.
		const form = progressFormData({
			[`indicator_${indicatorId}_date`]: '2026-10-01',
			[`indicator_${indicatorId}_value`]: '3',
			reported_on: '2026-10-05'
		});
		expect(await saveProgressForm(db, cdg, '9-1', null, form, null)).toMatchObject({ ok: true });
	});

	it('keeps the value replaced for its own update’s page, with when and by what', async () => {
		const first = await submitted(cdg, { ...measured('2026-10-01', 3), comment: 'Estimation.' });
		await decide(first, 'validate');
		// Another organisation of 9-1 corrects it: cdg46 reads the value and the day, not which update.
		const sdail = await createPartner(db, 'sdail', 'marc@sdail.fr');
		const correction = await submitted(sdail, measured('2026-10-01', 4));
		await decide(correction, 'validate');
		const shown = {
			indicatorId,
			indicatorLabel: expect.any(String),
			indicatorKind: 'count',
			indicatorUnit: null,
			measuredOn: '2026-10-01',
			value: 3,
			comment: 'Estimation.',
			replacedAt: '2026-11-02T10:00:00.000Z',
			replacement: 4
		};
		const ficheId = (await findFicheForReporting(db, '9-1'))!.id;
		const update = {
			id: first,
			organisationId: cdg.organisationId,
			ficheOrganisationIds: await findFicheOrganisationIds(db, ficheId)
		};
		// Replaced by another organisation's value: both pages name it (its reports are public).
		expect(await replacedValuesOf(db, admin, update)).toEqual([
			{ ...shown, replacedBy: correction, replacedByOrganisation: 'SDAIL' }
		]);
		expect(await replacedValuesOf(db, cdg, update)).toEqual([
			{ ...shown, replacedBy: null, replacedByOrganisation: 'SDAIL' }
		]);
		// Replaced in its turn: the first update's page still says which value replaced it.
		const again = await submitted(cdg, measured('2026-10-01', 5));
		await decide(again, 'validate');
		expect(await replacedValuesOf(db, cdg, update)).toEqual([
			{ ...shown, replacedBy: null, replacedByOrganisation: 'SDAIL' }
		]);
		expect(await replacedValuesOf(db, admin, update)).toEqual([
			{ ...shown, replacedBy: correction, replacedByOrganisation: 'SDAIL' }
		]);
		const sdailUpdate = { ...update, id: correction, organisationId: sdail.organisationId };
		expect(await replacedValuesOf(db, sdail, sdailUpdate)).toEqual([
			{
				...shown,
				comment: null,
				value: 4,
				replacement: 5,
				replacedBy: null,
				replacedByOrganisation: 'CDG46'
			}
		]);
		// Corrected by its own organisation: no organisation named (a self-correction).
		expect(await replacedValuesOf(db, admin, { ...update, id: again })).toEqual([]);
		const fourth = await submitted(cdg, measured('2026-10-01', 6));
		await decide(fourth, 'validate');
		expect(await replacedValuesOf(db, cdg, { ...update, id: again })).toEqual([
			{
				...shown,
				comment: null,
				value: 5,
				replacement: 6,
				replacedBy: fourth,
				replacedByOrganisation: null
			}
		]);
	});

	it('takes back from the journal the values replaced before they were set aside (its migration)', async () => {
		const first = await submitted(cdg, measured('2026-10-01', 3));
		await decide(first, 'validate');
		const correction = await submitted(cdg, measured('2026-10-01', 4));
		await decide(correction, 'validate');
		const migrator = portalMigrator(db);
		await migrator.migrateTo('2026_12_17_093000_campaign_dates_notified_unknown');
		await migrator.migrateToLatest();
		expect(await listReplacedValues(db, first)).toEqual([
			expect.objectContaining({
				indicatorId,
				measuredOn: '2026-10-01',
				value: 3,
				comment: null,
				replacedBy: correction,
				replacement: 4
			})
		]);
	});
});
