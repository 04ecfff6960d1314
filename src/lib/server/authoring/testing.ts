import ExcelJS from 'exceljs';
import { afterEach, beforeEach } from 'vitest';
import { createTestUser, PEOPLE } from '../auth/testing';
import type { User } from '../auth/users';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import { parseFicheForm } from '../../schemas/plan-edit';
import { ficheFormValues } from './fiche-form';
import { findFicheState, lastFicheRevisionId } from './repository';
import { retireFiche, updateFiche } from './fiches';
import { structureEditor, type StructureInput } from './structure';

/** Abandons `code` through the plan's own form (« Projet repris par la Région »): its result. */
export async function abandonFiche(db: Db, admin: User, code: string) {
	const state = (await findFicheState(db, code))!;
	return retireFiche(
		db,
		admin,
		code,
		{ version: state.version, reason: 'Projet repris par la Région', decisionId: null },
		null
	);
}

/**
 * The fiche's edit form as the page fills it, with `changes` typed in, read as the route reads it:
 * its input, or the form's errors.
 */
export async function editedFiche(db: Db, code: string, changes: Record<string, string>) {
	const state = (await findFicheState(db, code))!;
	const values = { ...ficheFormValues(state, await lastFicheRevisionId(db, state.id)), ...changes };
	const data = new FormData();
	for (const [k, v] of Object.entries(values)) data.set(k, v);
	return parseFicheForm(data);
}

/** Moves `code` to the objective numbered `objective` through the fiche's form, at `now`. */
export async function moveFiche(db: Db, admin: User, code: string, objective: number, now: Date) {
	const { id } = await db
		.selectFrom('objective')
		.select('id')
		.where('number', '=', objective)
		.executeTakeFirstOrThrow();
	const { input } = await editedFiche(db, code, { objective: String(id), reason: 'Rattachement' });
	return updateFiche(db, admin, code, input!, null, now);
}

/**
 * An axis's, orientation's or objective's form as its edit page fills it, with `changes` typed over
 * it (a reason among them).
 */
export async function openedStructure(
	db: Db,
	level: 'axis' | 'orientation' | 'objective',
	id: number,
	changes: Partial<StructureInput> = {}
): Promise<StructureInput> {
	const editor = await structureEditor(db, level, id);
	if (!editor.ok) throw new Error(editor.message);
	const v = editor.value.values;
	return {
		version: Number(v.version),
		seenRevision: Number(v.seen_revision),
		label: v.label!,
		shortName: v.short_name || null,
		synthesisLabel: v.synthesis_label || null,
		parentId: v.parent ? Number(v.parent) : null,
		reason: 'Révision du schéma',
		decisionId: null,
		...changes
	};
}

/** The add form of an axis, an orientation or an objective, filled in (`more` typed over it). */
export function newStructure(
	label: string,
	parentId: number | null,
	more: Partial<StructureInput> = {}
): StructureInput {
	return {
		reason: 'Révision du schéma',
		decisionId: null,
		version: null,
		seenRevision: null,
		label,
		shortName: null,
		synthesisLabel: null,
		parentId,
		...more
	};
}

/** The workbook `bytes` as a spreadsheet saves it after `change` (cells typed, rows added). */
export async function editedWorkbook(
	bytes: Uint8Array,
	change: (workbook: ExcelJS.Workbook) => void
): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
	change(workbook);
	return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/**
 * Before each test, its own seeded copy of the base (`createTestDb`) and the administrator who
 * edits the plan in it, handed to `take`; the copy destroyed after the test.
 */
export function eachTestWithAdmin(take: (opened: { db: Db; admin: User }) => void): void {
	let db: Db | undefined;
	beforeEach(async () => {
		db = await createTestDb();
		take({ db, admin: await createTestUser(db, PEOPLE.admin) });
	});
	afterEach(async () => {
		await db?.destroy();
	});
}
