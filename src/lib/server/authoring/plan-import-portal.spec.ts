import { describe, expect, it } from 'vitest';
import { indicatorRowField } from '../../schemas/plan-edit';
import type { User } from '../auth/users';
import type { Db } from '../db';
import {
	applyPlanImport,
	exportPlanWorkbook,
	importProblemsSummary,
	previewPlanImport
} from './plan-import';
import { findFicheByCode } from '../plan/repository';
import { findFicheState, listFicheRevisionViews, listStructure } from './repository';
import { listFicheRevisions } from './revisions-repository';
import { updateFiche } from './fiches';
import { saveStructure } from './structure';
import {
	abandonFiche,
	eachTestWithAdmin,
	editedFiche,
	editedWorkbook,
	newStructure
} from './testing';

/** The plan's workbook beside the portal's forms: what one changed, the other does not undo. */

let db: Db;
let admin: User;

eachTestWithAdmin((opened) => ({ db, admin } = opened));

const measurementsOf = async (indicatorId: number) =>
	Number(
		(
			await db
				.selectFrom('measurement')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('indicator_id', '=', indicatorId)
				.executeTakeFirstOrThrow()
		).n
	);

/**
 * The plan's workbook exported after a first revision (2-1's short title): the workbook then says
 * its revision, and what changes after it is out of date.
 */
async function exportedWithRevision(): Promise<Uint8Array> {
	const earlier = await editedFiche(db, '2-1', {
		short_title: 'Téléservices',
		reason: 'Titre court'
	});
	expect((await updateFiche(db, admin, '2-1', earlier.input!, null)).ok).toBe(true);
	return exportPlanWorkbook(db);
}

describe('plan import after edits in the portal’s forms', () => {
	it('a new indicator row at a retired indicator’s N° is refused, and does not bring it back with its measurements', async () => {
		// 14-1's indicator 1 (with measurements) is retired in the fiche's form.
		const state = (await findFicheState(db, '14-1'))!;
		const old = state.indicators[0]!;
		expect(await measurementsOf(old.id)).toBeGreaterThan(0);
		const retire = await editedFiche(db, '14-1', {
			[indicatorRowField(0, 'retire')]: 'on',
			reason: 'Indicateur abandonné'
		});
		expect((await updateFiche(db, admin, '14-1', retire.input!, null)).ok).toBe(true);
		const exported = await exportPlanWorkbook(db);
		const withRow = (n: number) =>
			editedWorkbook(exported, (workbook) => {
				const sheet = workbook.getWorksheet('Indicateurs')!;
				for (let r = 2; r <= sheet.rowCount; r++)
					if (sheet.getRow(r).getCell(1).value === '14-1')
						expect(sheet.getRow(r).getCell(2).value).not.toBe(1);
				sheet.addRow(['14-1', n, 'Charte wifi signée', null, 'Oui ou non', 'oui']);
			});
		// The N° the sheet seems to leave free is the retired indicator's.
		const taken = await withRow(1);
		const preview = await previewPlanImport(db, taken);
		expect(preview.changes).toEqual([]);
		expect(preview.problems).toHaveLength(1);
		expect(preview.problems[0]).toContain(
			`Feuille « Indicateurs », indicateur 1 de la fiche 14-1, colonne « N° » : ce N° est celui de l’indicateur « ${old.label} », retiré le`
		);
		const free = state.indicators.length + 1;
		expect(preview.problems[0]).toContain(`donnez-lui le N° ${free}`);
		expect(
			(
				await applyPlanImport(db, taken, {
					reason: 'Nouvel indicateur',
					actor: admin,
					abandonConfirmed: true
				})
			).ok
		).toBe(false);
		expect(
			(await findFicheState(db, '14-1'))!.indicators.find((i) => i.id === old.id)
		).toMatchObject({
			label: old.label,
			retiredAt: expect.any(String)
		});
		// With the N° the message gives, a new indicator, without measurements.
		const bytes = await withRow(free);
		expect((await previewPlanImport(db, bytes)).problems).toEqual([]);
		expect(
			(
				await applyPlanImport(db, bytes, {
					reason: 'Nouvel indicateur',
					actor: admin,
					abandonConfirmed: true
				})
			).ok
		).toBe(true);
		const after = (await findFicheState(db, '14-1'))!;
		const fresh = after.indicators.find((i) => i.label === 'Charte wifi signée')!;
		expect(fresh.id).not.toBe(old.id);
		expect(await measurementsOf(fresh.id)).toBe(0);
		expect(after.indicators.find((i) => i.id === old.id)).toMatchObject({
			label: old.label,
			retiredAt: expect.any(String)
		});
	});

	it('an indicator added, then retired, by the workbook is a change of its fiche, told in the form’s lines', async () => {
		const history = async (code: string) =>
			(
				await listFicheRevisionViews(db, (await findFicheByCode(db, code))!.id, undefined, {
					authors: false
				})
			).revisions;
		const n = (await findFicheState(db, '1-1'))!.indicators.length + 1;
		const withRow = await editedWorkbook(await exportPlanWorkbook(db), (workbook) => {
			workbook
				.getWorksheet('Indicateurs')!
				.addRow([
					'1-1',
					n,
					'Nombre d’élus formés',
					'élus',
					'Nombre',
					200,
					new Date('2028-12-31T00:00:00Z'),
					0,
					new Date('2024-01-01T00:00:00Z')
				]);
		});
		const imported = await applyPlanImport(db, withRow, {
			reason: 'Indicateur voté',
			actor: admin,
			abandonConfirmed: true
		});
		expect(imported.ok ? 'ok' : imported.message).toBe('ok');
		// The same indicator added to 2-1 in the fiche's form: the import's line reads as its own.
		const m = (await findFicheState(db, '2-1'))!.indicators.length;
		const form = await editedFiche(db, '2-1', {
			[indicatorRowField(m, 'label')]: 'Nombre d’élus formés',
			[indicatorRowField(m, 'unit')]: 'élus',
			[indicatorRowField(m, 'kind')]: 'count',
			[indicatorRowField(m, 'target')]: '200',
			[indicatorRowField(m, 'target_date')]: '2028-12-31',
			[indicatorRowField(m, 'baseline')]: '0',
			[indicatorRowField(m, 'baseline_date')]: '2024-01-01',
			reason: 'Indicateur voté'
		});
		expect((await updateFiche(db, admin, '2-1', form.input!, null)).ok).toBe(true);
		const [added] = await history('1-1');
		const [byForm] = await history('2-1');
		expect(added!.action).toBe('updated');
		expect(added!.changes).toEqual([{ ...byForm!.changes[0]!, field: `indicator.new.${n}` }]);
		expect(added!.changes[0]).toMatchObject({ label: 'Nouvel indicateur', before: '' });
		expect(added!.changes[0]!.after).toContain('Nombre d’élus formés');

		// Its row left out of the next workbook: retired, as the form's box « Indicateur retiré ».
		const withoutRow = await editedWorkbook(await exportPlanWorkbook(db), (workbook) => {
			const sheet = workbook.getWorksheet('Indicateurs')!;
			for (let r = sheet.rowCount; r >= 2; r--)
				if (sheet.getRow(r).getCell(1).value === '1-1' && sheet.getRow(r).getCell(2).value === n)
					sheet.spliceRows(r, 1);
		});
		const retired = await applyPlanImport(db, withoutRow, {
			reason: 'Indicateur abandonné',
			actor: admin,
			abandonConfirmed: true
		});
		expect(retired.ok ? 'ok' : retired.message).toBe('ok');
		const [removal] = await history('1-1');
		expect(removal!.action).toBe('updated');
		expect(removal!.changes).toEqual([
			{
				field: expect.stringMatching(/^indicator\.\d+\.state$/),
				label: 'Indicateur « Nombre d’élus formés » : état',
				before: 'en service',
				after: 'retiré (ses mesures restent)'
			}
		]);
		// Either way the revision is the fiche's, never its addition to the plan or its abandonment.
		expect((await history('1-1')).map((r) => r.action)).toEqual(['updated', 'updated']);
	});

	it('a workbook exported before a colleague changed or added an indicator in the fiche form is refused as out of date', async () => {
		const exported = await exportedWithRevision();
		// The colleague sets 16-1's first indicator's target, and adds an indicator to 14-1.
		const target = await editedFiche(db, '16-1', {
			[indicatorRowField(0, 'target')]: '42',
			reason: 'Cible votée'
		});
		expect((await updateFiche(db, admin, '16-1', target.input!, null)).ok).toBe(true);
		const n = (await findFicheState(db, '14-1'))!.indicators.length;
		const added = await editedFiche(db, '14-1', {
			[indicatorRowField(n, 'label')]: 'Nombre de salles équipées',
			[indicatorRowField(n, 'kind')]: 'count',
			reason: 'Nouvel indicateur'
		});
		expect((await updateFiche(db, admin, '14-1', added.input!, null)).ok).toBe(true);
		// The older workbook, edited elsewhere (a title), is imported.
		const bytes = await editedWorkbook(exported, (workbook) => {
			const sheet = workbook.getWorksheet('Fiches')!;
			for (let r = 2; r <= sheet.rowCount; r++)
				if (sheet.getRow(r).getCell(1).value === '1-1')
					sheet.getRow(r).getCell(3).value = 'Accompagnement des élus au numérique';
		});
		const preview = await previewPlanImport(db, bytes);
		expect(preview.changes).toEqual([]);
		expect(preview.problems).toEqual([
			expect.stringMatching(
				/^Feuille « Indicateurs », ligne \d+ : indicateur 1 de la fiche 16-1 — .* : une modification en a été enregistrée le /
			),
			// Added after the export, it is not in the workbook, which would retire it (finding 7).
			expect.stringMatching(
				new RegExp(
					`^Feuille « Indicateurs » : indicateur ${n + 1} de la fiche 14-1 — Nombre de salles équipées : ajouté le .+ par Anne Admin, après l’export de ce classeur : ce classeur, qui ne l’a pas, le retirerait\\.$`
				)
			)
		]);
		expect(preview.problems[0]).toContain('par Anne Admin');
	});

	it('a workbook exported before a colleague retired an indicator in the fiche form is told out of date, not as the importer’s row', async () => {
		// Review s57: the unchanged row of the retired indicator was refused as the importer's new
		// row at a taken N° (« donnez-lui le N° 2 »), and the sentence above said « à corriger
		// dans le tableur », where the plan had changed since the export.
		const exported = await exportedWithRevision();
		const old = (await findFicheState(db, '14-1'))!.indicators[0]!;
		const retire = await editedFiche(db, '14-1', {
			[indicatorRowField(0, 'retire')]: 'on',
			reason: 'Indicateur abandonné'
		});
		const day = new Date('2026-12-04T10:00:00Z');
		expect((await updateFiche(db, admin, '14-1', retire.input!, null, day)).ok).toBe(true);
		const preview = await previewPlanImport(db, exported);
		expect(preview.problems).toEqual([
			`Feuille « Indicateurs », indicateur 1 de la fiche 14-1, colonne « N° » : l’indicateur « ${old.label} » a été retiré le 4\u00a0décembre\u00a02026 par Anne Admin, après l’export de ce classeur, qui en a l’ancienne version.`
		]);
		expect(preview.outOfDate).toBe(1);
		expect(importProblemsSummary(preview)).toMatch(
			/le plan a été modifié dans le portail depuis l’export de ce classeur/
		);
	});

	// Probe s46: a target of 16 digits the fiche form keeps (1234567890.123456) was written back
	// rounded to 15 (1234567890.12346) by an import that changed only the indicator's label.
	it('an import that changes an indicator’s label keeps its 16-digit target as the form saved it', async () => {
		// An amount, as the workbook tests use.
		const target = await editedFiche(db, '1-1', {
			[indicatorRowField(0, 'kind')]: 'amount',
			[indicatorRowField(0, 'target')]: '1234567890,123456',
			reason: 'Cible précise'
		});
		expect((await updateFiche(db, admin, '1-1', target.input!, null)).ok).toBe(true);
		const indicator = (await findFicheState(db, '1-1'))!.indicators[0]!;
		expect(indicator.target).toBe(1234567890.123456);
		const bytes = await editedWorkbook(await exportPlanWorkbook(db), (workbook) => {
			const sheet = workbook.getWorksheet('Indicateurs')!;
			for (let r = 2; r <= sheet.rowCount; r++)
				if (sheet.getRow(r).getCell(1).value === '1-1' && sheet.getRow(r).getCell(2).value === 1)
					sheet.getRow(r).getCell(3).value = `${indicator.label} (revu)`;
		});
		const preview = await previewPlanImport(db, bytes);
		expect(preview.problems).toEqual([]);
		expect(preview.changes.flatMap((c) => c.changes.map((f) => f.label))).toEqual([
			`Indicateur « ${indicator.label} » : intitulé`
		]);
		const applied = await applyPlanImport(db, bytes, {
			reason: 'Libellé',
			actor: admin,
			abandonConfirmed: true
		});
		expect(applied.ok ? 'ok' : applied.message).toBe('ok');
		expect((await findFicheState(db, '1-1'))!.indicators[0]).toMatchObject({
			label: `${indicator.label} (revu)`,
			target: 1234567890.123456
		});
		const revisions = await db
			.selectFrom('plan_revision')
			.select('changes')
			.where('entity', '=', 'indicator')
			.where('entity_id', '=', indicator.id)
			.execute();
		expect(
			revisions.map((r) => JSON.parse(r.changes).map((c: { field: string }) => c.field))
		).toEqual([[`indicator.${indicator.id}.label`]]);
	});

	it('a link to an abandoned fiche survives an import that changes the fiche’s partners', async () => {
		const linkCount = async () =>
			Number(
				(
					await db
						.selectFrom('fiche_link')
						.innerJoin('fiche as f', 'f.id', 'fiche_link.fiche_id')
						.innerJoin('fiche as l', 'l.id', 'fiche_link.linked_fiche_id')
						.select((eb) => eb.fn.countAll<number>().as('n'))
						.where('f.code', '=', '2-1')
						.where('l.code', '=', '3-1')
						.executeTakeFirstOrThrow()
				).n
			);
		expect(await linkCount()).toBe(1);
		expect((await abandonFiche(db, admin, '3-1')).ok).toBe(true);
		const bytes = await editedWorkbook(await exportPlanWorkbook(db), (workbook) => {
			const sheet = workbook.getWorksheet('Porteurs et partenaires')!;
			for (let r = sheet.rowCount; r >= 2; r--)
				if (
					sheet.getRow(r).getCell(1).value === '2-1' &&
					sheet.getRow(r).getCell(2).value === 'Partenaire'
				) {
					sheet.spliceRows(r, 1);
					break;
				}
		});
		const preview = await previewPlanImport(db, bytes);
		expect(preview.problems).toEqual([]);
		expect(preview.changes.flatMap((c) => c.changes.map((f) => f.field))).toEqual(['partners']);
		expect(
			(
				await applyPlanImport(db, bytes, {
					reason: 'Partenaire retiré',
					actor: admin,
					abandonConfirmed: true
				})
			).ok
		).toBe(true);
		expect(await linkCount()).toBe(1);
		// The unchanged export reads back unchanged.
		expect((await previewPlanImport(db, await exportPlanWorkbook(db))).changes).toEqual([]);
	});

	it('an objective moved by the workbook writes a revision on each of its fiches, as its form does, its axis with it', async () => {
		const bytes = await editedWorkbook(await exportPlanWorkbook(db), (workbook) => {
			const sheet = workbook.getWorksheet('Objectifs')!;
			for (let r = 2; r <= sheet.rowCount; r++)
				if (sheet.getRow(r).getCell(1).value === 4)
					sheet.getRow(r).getCell(2).value = 'territoire-en-reseau';
		});
		const preview = await previewPlanImport(db, bytes);
		expect(preview.problems).toEqual([]);
		expect(preview.changes.map((c) => `${c.action} ${c.entity} ${c.key}`)).toEqual([
			'moved objective 4'
		]);
		expect(
			(
				await applyPlanImport(db, bytes, {
					reason: 'Rattachement',
					actor: admin,
					abandonConfirmed: true
				})
			).ok
		).toBe(true);
		const fiche = (await findFicheByCode(db, '4-1'))!;
		const revisions = await listFicheRevisions(db, fiche.id);
		// Orientation « Territoire en réseau » is on another axis than objective 4's.
		expect(revisions.map((r) => r.changes.map((c) => `${c.label}: ${c.after}`))).toEqual([
			[
				'Orientation: Territoire en réseau',
				'Axe: Accompagnement du territoire dans la transition numérique'
			]
		]);
		expect(revisions[0]).toMatchObject({ origin: 'import', reason: 'Rattachement' });
	});

	it('an objective moved into an orientation the same workbook moves to another axis: its fiches’ « Axe » starts from their own axis', async () => {
		const bytes = await editedWorkbook(await exportPlanWorkbook(db), (workbook) => {
			const objectives = workbook.getWorksheet('Objectifs')!;
			for (let r = 2; r <= objectives.rowCount; r++)
				if (objectives.getRow(r).getCell(1).value === 7)
					objectives.getRow(r).getCell(2).value = 'politique-donnee';
			const orientations = workbook.getWorksheet('Orientations')!;
			for (let r = 2; r <= orientations.rowCount; r++)
				if (orientations.getRow(r).getCell(1).value === 'politique-donnee')
					orientations.getRow(r).getCell(2).value = 'modernite';
		});
		const applied = await applyPlanImport(db, bytes, {
			reason: 'Rattachement',
			actor: admin,
			abandonConfirmed: true
		});
		expect(applied.ok ? 'ok' : applied.message).toBe('ok');
		const history = async (code: string) =>
			(await listFicheRevisions(db, (await findFicheByCode(db, code))!.id)).map((r) =>
				r.changes.map((c) => `${c.label}: ${c.before} → ${c.after}`)
			);
		// Objective 7 was on « Territoire en réseau », axis « Accompagnement… », not on the axis
		// « Politique de la donnée » leaves.
		expect(await history('7-2')).toEqual([
			['Orientation: Territoire en réseau → Politique de la donnée'],
			[
				'Axe: Accompagnement du territoire dans la transition numérique → Développement de l’innovation'
			]
		]);
		expect(await history('5-1')).toEqual([
			['Axe: Transformation vers l’e-administration → Développement de l’innovation']
		]);
	});

	// Review s43, diff: an objective moved into an orientation the same workbook adds on another
	// axis got no « Axe » revision.
	it('an objective moved into an orientation the workbook adds on another axis: « Axe » too', async () => {
		const bytes = await editedWorkbook(await exportPlanWorkbook(db), (workbook) => {
			const orientations = workbook.getWorksheet('Orientations')!;
			// Objective 4 is on « Téléservices » (axis « performance »).
			orientations.addRow(['nouvelle-orientation', 'modernite', 'Nouvelle orientation']);
			const objectives = workbook.getWorksheet('Objectifs')!;
			for (let r = 2; r <= objectives.rowCount; r++)
				if (objectives.getRow(r).getCell(1).value === 4)
					objectives.getRow(r).getCell(2).value = 'nouvelle-orientation';
		});
		const applied = await applyPlanImport(db, bytes, {
			reason: 'Rattachement',
			actor: admin,
			abandonConfirmed: true
		});
		expect(applied.ok ? 'ok' : applied.message).toBe('ok');
		const revisions = await listFicheRevisions(db, (await findFicheByCode(db, '4-1'))!.id);
		expect(revisions[0]!.changes.map((c) => `${c.label}: ${c.before} → ${c.after}`)).toEqual([
			'Orientation: Téléservices publics et e-citoyenneté → Nouvelle orientation',
			'Axe: Transformation vers l’e-administration → Développement de l’innovation'
		]);
	});

	// Review s43, diff: axes were compared by label, so an axis renamed by the same workbook read as
	// another axis.
	it('an objective moved within an axis the same workbook renames gets no « Axe » revision', async () => {
		const bytes = await editedWorkbook(await exportPlanWorkbook(db), (workbook) => {
			const axes = workbook.getWorksheet('Axes')!;
			for (let r = 2; r <= axes.rowCount; r++)
				if (axes.getRow(r).getCell(1).value === 'performance')
					axes.getRow(r).getCell(3).value = 'Transformation numérique de l’administration';
			const objectives = workbook.getWorksheet('Objectifs')!;
			for (let r = 2; r <= objectives.rowCount; r++)
				if (objectives.getRow(r).getCell(1).value === 4)
					objectives.getRow(r).getCell(2).value = 'politique-donnee';
		});
		const applied = await applyPlanImport(db, bytes, {
			reason: 'Rattachement',
			actor: admin,
			abandonConfirmed: true
		});
		expect(applied.ok ? 'ok' : applied.message).toBe('ok');
		const revisions = await listFicheRevisions(db, (await findFicheByCode(db, '4-1'))!.id);
		expect(revisions.map((r) => r.changes.map((c) => c.label))).toEqual([['Orientation']]);
	});

	it('an orientation moved to another axis by the workbook writes a revision on its fiches, as its form does', async () => {
		const bytes = await editedWorkbook(await exportPlanWorkbook(db), (workbook) => {
			const sheet = workbook.getWorksheet('Orientations')!;
			for (let r = 2; r <= sheet.rowCount; r++)
				if (sheet.getRow(r).getCell(1).value === 'politique-donnee')
					sheet.getRow(r).getCell(2).value = 'solidarite';
		});
		const preview = await previewPlanImport(db, bytes);
		expect(preview.problems).toEqual([]);
		const applied = await applyPlanImport(db, bytes, {
			reason: 'Rattachement',
			actor: admin,
			abandonConfirmed: true
		});
		expect(applied.ok ? 'ok' : applied.message).toBe('ok');
		const fiche = (await findFicheByCode(db, '5-1'))!;
		const revisions = await listFicheRevisions(db, fiche.id);
		expect(revisions.map((r) => r.changes.map((c) => c.label))).toEqual([['Axe']]);
	});

	it('after an orientation is added to the first axis by its form, an import renaming another orientation applies', async () => {
		const structure = await listStructure(db);
		const firstAxis = structure.axes.sort((a, b) => a.position - b.position)[0]!;
		const added = await saveStructure(
			db,
			admin,
			'orientation',
			null,
			newStructure('Culture numérique des élus', firstAxis.id, { reason: 'Comité syndical' }),
			null
		);
		expect(added.ok).toBe(true);
		const other = (await listStructure(db)).orientations
			.filter((o) => o.axisId !== firstAxis.id && o.retiredAt === null)
			.sort((a, b) => a.position - b.position)[0]!;
		const bytes = await editedWorkbook(await exportPlanWorkbook(db), (workbook) => {
			const sheet = workbook.getWorksheet('Orientations')!;
			for (let r = 2; r <= sheet.rowCount; r++)
				if (sheet.getRow(r).getCell(1).value === other.code)
					sheet.getRow(r).getCell(3).value = `${other.label} (intitulé revu)`;
		});
		const preview = await previewPlanImport(db, bytes);
		expect(preview.problems).toEqual([]);
		expect(preview.changes.map((c) => c.changes.map((f) => f.field).join())).toEqual(['label']);
		const applied = await applyPlanImport(db, bytes, {
			reason: 'Intitulé',
			actor: admin,
			abandonConfirmed: true
		});
		expect(applied.ok ? 'ok' : applied.message).toBe('ok');
		// Positions are the sheet's ranks again: the unchanged export reads back unchanged.
		expect((await previewPlanImport(db, await exportPlanWorkbook(db))).changes).toEqual([]);
		const after = await listStructure(db);
		expect(after.orientations.find((o) => o.id === other.id)?.version).toBe(other.version + 1);
	});
});
