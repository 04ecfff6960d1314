import ExcelJS from 'exceljs';
import type { KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestUser, PEOPLE } from '../auth/testing';
import { createTestDb } from '../db/testing';
import { exportPlanWorkbook } from './plan-import';
import { indicatorRowField } from '../../schemas/plan-edit';
import { updateFiche } from './fiches';
import { editedFiche } from './testing';

/** Every sheet's cells, by sheet name: what the workbook says, without its file's timestamps. */
async function cellsOf(bytes: Uint8Array): Promise<Record<string, unknown>> {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(bytes.slice().buffer);
	return Object.fromEntries(
		workbook.worksheets.map((sheet) => [sheet.name, JSON.stringify(sheet.getSheetValues())])
	);
}

describe('the plan’s workbook', () => {
	it('holds one state of the plan: a colleague’s save that lands during its reads is not half in it', async () => {
		const db = await createTestDb();
		const admin = await createTestUser(db, PEOPLE.admin);
		const before = await cellsOf(await exportPlanWorkbook(db));

		// A colleague retires 14-1's first indicator in the fiche's form (a revision), from another
		// request of the same process, their save sent while the export's first reads are under way
		// (as its first read is asked for).
		const { input } = await editedFiche(db, '14-1', {
			[indicatorRowField(0, 'retire')]: 'on',
			reason: 'Indicateur abandonné'
		});
		let colleague: Promise<unknown> | undefined;
		const duringReads: KyselyPlugin = {
			transformQuery: (args) => {
				colleague ??= updateFiche(db, admin, '14-1', input!, null);
				return args.node;
			},
			transformResult: async (args) => args.result
		};
		const during = await cellsOf(await exportPlanWorkbook(db.withPlugin(duringReads)));
		expect(await colleague).toMatchObject({ ok: true });

		// The workbook read the plan before the save, every sheet of it (its revision too) …
		expect(during).toEqual(before);
		// … and the save was real: a workbook exported after it is another.
		expect(await cellsOf(await exportPlanWorkbook(db))).not.toEqual(before);
	});
});
