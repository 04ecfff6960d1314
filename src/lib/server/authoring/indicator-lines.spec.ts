import { describe, expect, it } from 'vitest';
import { indicatorRowField, parseFicheForm } from '../../schemas/plan-edit';
import { formatDate } from '../../utils/format';
import type { User } from '../auth/users';
import type { Db } from '../db';
import { ficheFormValues } from './fiche-form';
import { applyPlanImport, exportPlanWorkbook, previewPlanImport } from './plan-import';
import { findFicheState, lastFicheRevisionId, listFicheRevisionViews } from './repository';
import { insertRevision } from './revisions-repository';
import { rebaseTyping, updateFiche } from './fiches';
import { eachTestWithAdmin, editedWorkbook } from './testing';

/**
 * An indicator's change told alike by the workbook import and the fiche's form: the same lines in
 * the preview and in the history, the same field names (`indicator.<id>.<field>`), so that a form
 * opened before an import (or an import after a form) reports and keeps each indicator's change.
 */

let db: Db;
let admin: User;

eachTestWithAdmin((opened) => ({ db, admin } = opened));

/** 2-1 has two indicators. */
const CODE = '2-1';

const inputOf = (values: Record<string, string>) => {
	const data = new FormData();
	for (const [k, v] of Object.entries(values)) data.set(k, v);
	return parseFicheForm(data).input!;
};

async function openedForm() {
	const state = (await findFicheState(db, CODE))!;
	return ficheFormValues(state, await lastFicheRevisionId(db, state.id));
}

/** The plan's workbook as exported now, with the cells of 2-1's indicator N° `n` typed over. */
async function workbookWith(n: number, cells: Record<number, unknown>, bytes?: Uint8Array) {
	return editedWorkbook(bytes ?? (await exportPlanWorkbook(db)), (workbook) => {
		const sheet = workbook.getWorksheet('Indicateurs')!;
		for (let r = 2; r <= sheet.rowCount; r++) {
			const row = sheet.getRow(r);
			if (row.getCell(1).value === CODE && row.getCell(2).value === n)
				for (const [column, value] of Object.entries(cells))
					row.getCell(Number(column)).value = value as string;
		}
	});
}

async function imported(bytes: Uint8Array) {
	return applyPlanImport(db, bytes, { reason: 'Import', actor: admin, abandonConfirmed: true });
}

const history = async () => {
	const { id } = (await findFicheState(db, CODE))!;
	return (await listFicheRevisionViews(db, id, undefined, { authors: false })).revisions;
};

describe('an indicator changed by an import and by the fiche form', () => {
	it('a form opened before an import that renamed indicator 2 is refused with that change, and saving again keeps both', async () => {
		const [one, two] = (await findFicheState(db, CODE))!.indicators;
		const opened = await openedForm();
		const renamed = await workbookWith(2, {
			3: 'Intitulé revu par import',
			6: 75,
			7: new Date(Date.UTC(2029, 11, 31))
		});
		expect((await imported(renamed)).ok).toBe(true);
		const typed = {
			...opened,
			[indicatorRowField(0, 'label')]: 'Intitulé revu au formulaire',
			reason: 'Intitulé'
		};
		const input = inputOf(typed);
		const refused = await updateFiche(db, admin, CODE, input, null);
		expect(refused).toMatchObject({
			ok: false,
			status: 409,
			message: expect.stringMatching(
				/^Vous avez modifié cette fiche par l’import d’un classeur le .+ Ses changements sont listés ci-dessous/
			),
			changes: [
				{
					field: `indicator.${two!.id}.label`,
					label: `Indicateur « ${two!.label} » : intitulé`,
					before: two!.label,
					after: 'Intitulé revu par import'
				},
				{
					field: `indicator.${two!.id}.target`,
					label: `Indicateur « ${two!.label} » : cible`,
					after: expect.stringMatching(new RegExp(`^75\\b.* au ${formatDate('2029-12-31')}$`))
				}
			]
		});
		const rebased = await rebaseTyping(db, CODE, typed, input, refused.ok ? [] : refused.changes!);
		expect(rebased[indicatorRowField(0, 'label')]).toBe('Intitulé revu au formulaire');
		expect(rebased[indicatorRowField(1, 'label')]).toBe('Intitulé revu par import');
		expect(rebased[indicatorRowField(1, 'target_date')]).toBe('2029-12-31');
		expect((await updateFiche(db, admin, CODE, inputOf(rebased), null)).ok).toBe(true);
		const after = (await findFicheState(db, CODE))!.indicators;
		expect(after.map((i) => [i.id, i.label])).toEqual([
			[one!.id, 'Intitulé revu au formulaire'],
			[two!.id, 'Intitulé revu par import']
		]);
		expect(after[1]).toMatchObject({ target: 75, targetDate: '2029-12-31' });
		// The form's revision names indicator 1 only: nothing of the import's undone.
		const [byForm, byImport] = await history();
		expect(byForm!.changes.map((c) => c.field)).toEqual([`indicator.${one!.id}.label`]);
		expect(byImport!.changes.map((c) => c.field)).toEqual([
			`indicator.${two!.id}.label`,
			`indicator.${two!.id}.target`
		]);
	});

	it('a form saved before the import of an older workbook: the import is refused for indicator 1 only; a fresh one applies indicator 2', async () => {
		const [one, two] = (await findFicheState(db, CODE))!.indicators;
		const exported = await exportPlanWorkbook(db);
		const typed = {
			...(await openedForm()),
			[indicatorRowField(0, 'label')]: 'Intitulé revu au formulaire',
			reason: 'Intitulé'
		};
		expect((await updateFiche(db, admin, CODE, inputOf(typed), null)).ok).toBe(true);
		const older = await workbookWith(2, { 3: 'Intitulé revu par import' }, exported);
		const preview = await previewPlanImport(db, older);
		expect(preview.problems).toEqual([
			expect.stringMatching(
				new RegExp(
					`^Feuille « Indicateurs », ligne \\d+ : indicateur 1 de la fiche ${CODE} — ${one!.label} : une modification`
				)
			)
		]);
		expect((await imported(older)).ok).toBe(false);
		expect((await imported(await workbookWith(2, { 3: 'Intitulé revu par import' }))).ok).toBe(
			true
		);
		const after = (await findFicheState(db, CODE))!.indicators;
		expect(after.map((i) => i.label)).toEqual([
			'Intitulé revu au formulaire',
			'Intitulé revu par import'
		]);
		const [byImport, byForm] = await history();
		expect(byImport!.changes).toEqual([
			{
				field: `indicator.${two!.id}.label`,
				label: `Indicateur « ${two!.label} » : intitulé`,
				before: two!.label,
				after: 'Intitulé revu par import'
			}
		]);
		expect(byForm!.changes.map((c) => c.field)).toEqual([`indicator.${one!.id}.label`]);
	});
});

describe('an import’s lines for an indicator', () => {
	it('are in its preview as in its revision, and as the fiche form writes them: a target with its date in one line, « retiré (ses mesures restent) »', async () => {
		const [one, two] = (await findFicheState(db, CODE))!.indicators;
		// Indicator 1: a target dated 31 December 2030 (column 6 the target, 7 its date).
		const bytes = await editedWorkbook(
			await workbookWith(1, { 6: 500, 7: new Date(Date.UTC(2030, 11, 31)) }),
			(w) => {
				const sheet = w.getWorksheet('Indicateurs')!;
				for (let r = sheet.rowCount; r >= 2; r--)
					if (sheet.getRow(r).getCell(1).value === CODE && sheet.getRow(r).getCell(2).value === 2)
						sheet.spliceRows(r, 1);
			}
		);
		const preview = await previewPlanImport(db, bytes);
		expect(preview.problems).toEqual([]);
		const shown = preview.changes.filter((c) => c.entity === 'indicator');
		expect(shown.map((c) => c.changes)).toEqual([
			[
				{
					field: `indicator.${one!.id}.target`,
					label: `Indicateur « ${one!.label} » : cible`,
					before: expect.any(String),
					after: `500 au ${formatDate('2030-12-31')}`
				}
			],
			[
				{
					field: `indicator.${two!.id}.state`,
					label: `Indicateur « ${two!.label} » : état`,
					before: 'en service',
					after: 'retiré (ses mesures restent)'
				}
			]
		]);
		expect(preview.fieldCount).toBe(2);
		expect((await imported(bytes)).ok).toBe(true);
		const [retired, target] = await history();
		expect([target!.changes, retired!.changes]).toEqual(shown.map((c) => c.changes));
	});

	it('stored before December 2026 by column (« label », « retired ») on the indicator’s revision: a conflict lists them by indicator, none merged with another', async () => {
		const [one, two] = (await findFicheState(db, CODE))!.indicators;
		const state = (await findFicheState(db, CODE))!;
		const opened = await openedForm();
		const former = (id: number, changes: { field: string; label: string; after: string }[]) =>
			insertRevision(db, {
				entity: 'indicator',
				entityId: id,
				ficheId: state.id,
				action: 'updated',
				changes: changes.map((c) => ({ ...c, before: 'avant' })),
				reason: 'Import',
				decisionId: null,
				origin: 'import',
				userId: null,
				createdAt: new Date().toISOString()
			});
		await former(one!.id, [{ field: 'label', label: 'Indicateur « A » : intitulé', after: 'A2' }]);
		await former(two!.id, [
			{ field: 'label', label: 'Indicateur « B » : intitulé', after: 'B2' },
			{ field: 'retired', label: 'Indicateur « B » : état', after: 'retiré' }
		]);
		await db
			.updateTable('fiche')
			.set((eb) => ({ version: eb('version', '+', 1) }))
			.where('id', '=', state.id)
			.execute();
		const refused = await updateFiche(
			db,
			admin,
			CODE,
			inputOf({ ...opened, reason: 'Relecture' }),
			null
		);
		expect(!refused.ok && refused.changes).toEqual([
			{
				field: `indicator.${one!.id}.label`,
				label: 'Indicateur « A » : intitulé',
				before: 'avant',
				after: 'A2'
			},
			{
				field: `indicator.${two!.id}.label`,
				label: 'Indicateur « B » : intitulé',
				before: 'avant',
				after: 'B2'
			},
			{
				field: `indicator.${two!.id}.state`,
				label: 'Indicateur « B » : état',
				before: 'avant',
				after: 'retiré'
			}
		]);
		// The history reads them as stored.
		const [b, a] = await history();
		expect([a!.changes[0]!.field, b!.changes.map((c) => c.field)]).toEqual([
			'label',
			['label', 'retired']
		]);
	});
});

/** The plan's workbook as exported now, with the cells of 2-1's row in « Fiches » typed over. */
async function workbookWithFiche(cells: Record<number, unknown>) {
	return editedWorkbook(await exportPlanWorkbook(db), (workbook) => {
		const sheet = workbook.getWorksheet('Fiches')!;
		for (let r = 2; r <= sheet.rowCount; r++) {
			const row = sheet.getRow(r);
			if (row.getCell(1).value === CODE)
				for (const [column, value] of Object.entries(cells))
					row.getCell(Number(column)).value = value as string;
		}
	});
}

describe('a fiche’s own fields changed by an import and by its form', () => {
	it('a form opened before an import that changed the short title, the success factors and the owners’ note takes them, and saving again keeps them', async () => {
		const opened = await openedForm();
		const bytes = await workbookWithFiche({
			4: 'Titre court par import',
			9: 'Facteurs revus par import',
			10: 'Note revue par import'
		});
		expect((await imported(bytes)).ok).toBe(true);
		const typed = { ...opened, title: 'Titre revu au formulaire', reason: 'Titre' };
		const input = inputOf(typed);
		const refused = await updateFiche(db, admin, CODE, input, null);
		expect(refused).toMatchObject({ ok: false, status: 409 });
		const changes = refused.ok ? [] : refused.changes!;
		expect(changes.map((c) => c.field)).toEqual(['shortTitle', 'successFactors', 'ownersNote']);
		const rebased = await rebaseTyping(db, CODE, typed, input, changes);
		expect(rebased).toMatchObject({
			title: 'Titre revu au formulaire',
			short_title: 'Titre court par import',
			success_factors: 'Facteurs revus par import',
			owners_note: 'Note revue par import'
		});
		expect((await updateFiche(db, admin, CODE, inputOf(rebased), null)).ok).toBe(true);
		const after = (await findFicheState(db, CODE))!;
		expect(after).toMatchObject({
			title: 'Titre revu au formulaire',
			shortTitle: 'Titre court par import',
			ownersNote: 'Note revue par import'
		});
		expect(JSON.parse(after.successFactors)).toEqual(['Facteurs revus par import']);
	});
});

/** The workbook with the « Précision » of 2-1's first owner typed over (and 2-1's row in « Fiches »). */
async function workbookWithOwnerScope(scope: string, ficheCells: Record<number, unknown> = {}) {
	return editedWorkbook(await exportPlanWorkbook(db), (workbook) => {
		const people = workbook.getWorksheet('Porteurs et partenaires')!;
		for (let r = 2; r <= people.rowCount; r++) {
			const row = people.getRow(r);
			if (row.getCell(1).value === CODE && row.getCell(2).value === 'Porteur') {
				row.getCell(4).value = scope;
				break;
			}
		}
		const fiches = workbook.getWorksheet('Fiches')!;
		for (let r = 2; r <= fiches.rowCount; r++) {
			const row = fiches.getRow(r);
			if (row.getCell(1).value === CODE)
				for (const [column, value] of Object.entries(ficheCells))
					row.getCell(Number(column)).value = value as string;
		}
	});
}

describe('a fiche’s owners changed by an import and by its form', () => {
	it('a form opened before an import that changed only an owner’s precision is refused with that change, takes it, and saving again keeps it', async () => {
		const opened = await openedForm();
		expect((await imported(await workbookWithOwnerScope('Précision par import'))).ok).toBe(true);
		const typed = { ...opened, title: 'Titre revu au formulaire', reason: 'Titre' };
		const input = inputOf(typed);
		const refused = await updateFiche(db, admin, CODE, input, null);
		expect(refused).toMatchObject({ ok: false, status: 409 });
		const changes = refused.ok ? [] : refused.changes!;
		expect(changes.map((c) => c.field)).toEqual(['owners']);
		const rebased = await rebaseTyping(db, CODE, typed, input, changes);
		expect(rebased.owner_0_scope).toBe('Précision par import');
		expect((await updateFiche(db, admin, CODE, inputOf(rebased), null)).ok).toBe(true);
		const after = (await findFicheState(db, CODE))!;
		expect(after.title).toBe('Titre revu au formulaire');
		expect(after.owners[0]!.scope).toBe('Précision par import');
	});

	it('an import’s owners are told as the form tells them, so a form refused for another change takes them too', async () => {
		const opened = await openedForm();
		const bytes = await workbookWithOwnerScope('Précision par import', {
			4: 'Titre court par import'
		});
		expect((await imported(bytes)).ok).toBe(true);
		const typed = { ...opened, title: 'Titre revu au formulaire', reason: 'Titre' };
		const input = inputOf(typed);
		const refused = await updateFiche(db, admin, CODE, input, null);
		const changes = refused.ok ? [] : refused.changes!;
		expect(changes.map((c) => c.field)).toEqual(['shortTitle', 'owners']);
		const rebased = await rebaseTyping(db, CODE, typed, input, changes);
		expect((await updateFiche(db, admin, CODE, inputOf(rebased), null)).ok).toBe(true);
		const after = (await findFicheState(db, CODE))!;
		expect(after).toMatchObject({
			title: 'Titre revu au formulaire',
			shortTitle: 'Titre court par import'
		});
		expect(after.owners[0]!.scope).toBe('Précision par import');
	});
});
