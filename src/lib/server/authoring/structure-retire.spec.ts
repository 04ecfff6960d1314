import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { User } from '../auth/users';
import type { Db } from '../db';
import { listAxes, listObjectives, listOrientations } from '../plan/repository';
import { buildPlanDocument } from '../opendata/plan-document';
import { loadDashboardInput } from '../dashboard/repository';
import { findFicheState, listStructure } from './repository';
import { listEntityRevisions, listFicheRevisions } from './revisions-repository';
import { exportPlanWorkbook, previewPlanImport } from './plan-import';
import { createFiche, retireFiche } from './fiches';
import {
	planTree,
	retireStructure,
	saveStructure,
	structuralHistory,
	structureEditor,
	type StructureInput
} from './structure';
import {
	abandonFiche,
	eachTestWithAdmin,
	moveFiche,
	newStructure,
	openedStructure
} from './testing';

let db: Db;
let admin: User;

eachTestWithAdmin((opened) => ({ db, admin } = opened));

const WHY = { reason: 'Ajouté par erreur', decisionId: null };

const newRecord = (label: string, parentId: number | null, more: Partial<StructureInput> = {}) =>
	newStructure(label, parentId, { ...WHY, ...more });

async function add(
	level: 'axis' | 'orientation' | 'objective',
	input: StructureInput,
	now = new Date()
) {
	const result = await saveStructure(db, admin, level, null, input, null, now);
	if (!result.ok) throw new Error(result.message);
	return result.value.id;
}

async function versionOf(level: 'axis' | 'orientation' | 'objective', id: number) {
	return (await openedStructure(db, level, id)).version!;
}

const retire = async (
	level: 'axis' | 'orientation' | 'objective',
	id: number,
	now = new Date('2026-12-10T10:00:00Z')
) =>
	retireStructure(
		db,
		admin,
		level,
		id,
		{ ...WHY, version: await versionOf(level, id) },
		'192.0.2.1',
		now
	);

async function publishedRevision(): Promise<number> {
	const row = await db.selectFrom('data_revision').select('revision').executeTakeFirstOrThrow();
	return row.revision;
}

describe('withdrawing an axis, an orientation or an objective', () => {
	it('withdraws an empty objective: out of the plan’s lists, kept with its revision and history; its number is not given again', async () => {
		const orientation = (await listStructure(db)).orientations[0]!;
		const id = await add('objective', newRecord('Objectif saisi par erreur', orientation.id));
		expect((await listObjectives(db)).map((o) => o.number)).toContain(18);
		const before = await publishedRevision();

		expect(await retire('objective', id)).toEqual({ ok: true });

		expect((await listObjectives(db)).map((o) => o.number)).not.toContain(18);
		expect((await listObjectives(db)).length).toBe(17);
		expect(await publishedRevision()).toBeGreaterThan(before);
		const [revision] = await listEntityRevisions(db, 'objective', id);
		expect(revision).toMatchObject({ action: 'retired', reason: 'Ajouté par erreur' });
		const journal = await db
			.selectFrom('audit_event')
			.select('summary')
			.where('action', '=', 'plan.structure_retired')
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		expect(journal.summary).toBe(
			'Objectif 18 « Objectif saisi par erreur » retiré du plan : Ajouté par erreur'
		);
		const history = await structuralHistory(db);
		expect(history.at(-1)?.title).toBe('Objectif 18 « Objectif saisi par erreur » retiré du plan');

		// The admin's plan lists it apart; its page says so and offers no form.
		const tree = await planTree(db);
		expect(tree.retired).toEqual([
			expect.objectContaining({
				level: 'objective',
				id,
				name: 'Objectif 18 « Objectif saisi par erreur »'
			})
		]);
		expect(tree.axes.flatMap((a) => a.orientations.flatMap((o) => o.objectives))).toHaveLength(17);
		const editor = await structureEditor(db, 'objective', id);
		expect(editor.ok && editor.value.record?.retired).toBe(
			'L’objectif 18 « Objectif saisi par erreur » a été retiré du plan le 10\u00a0décembre\u00a02026 : il ne se modifie plus.'
		);

		// Neither edited nor withdrawn again; the next objective takes 19.
		const edit = await saveStructure(
			db,
			admin,
			'objective',
			id,
			newRecord('Autre intitulé', orientation.id, { version: 2, seenRevision: 0 }),
			null
		);
		expect(edit).toMatchObject({ ok: false, status: 409 });
		expect(await retire('objective', id)).toMatchObject({ ok: false, status: 409 });
		const next = await add('objective', newRecord('Objectif saisi par erreur', orientation.id));
		expect((await listStructure(db)).objectives.find((o) => o.id === next)?.number).toBe(19);
	});

	it('refuses what still holds something: an objective with fiches (abandoned ones too), an orientation with objectives, an axis with orientations', async () => {
		const structure = await listStructure(db);
		const objective = structure.objectives.find((o) => o.number === 7)!;
		const refused = await retire('objective', objective.id);
		expect(refused).toMatchObject({ ok: false, status: 409 });
		expect(!refused.ok && refused.message).toMatch(
			/^L’objectif 7 « .+ » porte encore les fiches 7-1, 7-2 et 7-3 : rattachez-les d’abord à un autre objectif/
		);
		const orientation = structure.orientations.find((o) => o.id === objective.orientationId)!;
		const byOrientation = await retire('orientation', orientation.id);
		expect(!byOrientation.ok && byOrientation.message).toMatch(
			/porte encore les objectifs 7, 8 et 9 : rattachez-les d’abord à une autre orientation, ou retirez-les\.$/
		);
		const axis = structure.axes[0]!;
		const byAxis = await retire('axis', axis.id);
		expect(!byAxis.ok && byAxis.message).toMatch(/^L’axe « .+ » porte encore les orientations « /);
		// An abandoned fiche stays readable under its objective, which stays in the plan.
		await abandonFiche(db, admin, '2-1');
		const two = structure.objectives.find((o) => o.number === 2)!;
		const byAbandoned = await retire('objective', two.id);
		expect(!byAbandoned.ok && byAbandoned.message).toMatch(
			/porte encore la fiche 2-1 : rattachez-la d’abord/
		);
		// Nothing was written.
		expect((await listStructure(db)).objectives.every((o) => o.retiredAt === null)).toBe(true);
		const editor = await structureEditor(db, 'objective', objective.id);
		expect(editor.ok && editor.value.record?.keptBy).toMatch(
			/porte encore les fiches 7-1, 7-2 et 7-3/
		);
	});

	it('an objective emptied by moving its fiche is withdrawn, then its orientation; a past year’s plan keeps them until their withdrawal', async () => {
		const structure = await listStructure(db);
		const eight = structure.objectives.find((o) => o.number === 8)!;
		expect((await moveFiche(db, admin, '8-1', 7, new Date('2024-03-01T10:00:00Z'))).ok).toBe(true);
		expect(await retire('objective', eight.id, new Date('2024-06-01T10:00:00Z'))).toEqual({
			ok: true
		});
		expect((await listObjectives(db)).map((o) => o.number)).not.toContain(8);
		expect((await listObjectives(db, '2023-12-31')).map((o) => o.number)).toContain(8);
		expect((await listObjectives(db, '2024-12-31')).map((o) => o.number)).not.toContain(8);

		// An orientation added for the purpose, then left empty, goes too.
		const axis = structure.axes[0]!;
		const added = await add('orientation', newRecord('Orientation provisoire', axis.id));
		expect(await retire('orientation', added)).toEqual({ ok: true });
		expect((await listOrientations(db)).map((o) => o.label)).not.toContain(
			'Orientation provisoire'
		);
	});

	it('axes keep positions that are their ranks: one withdrawn between two, then one added, lists in order without a clash', async () => {
		const first = await add('axis', newRecord('Axe provisoire un', null, { shortName: 'un' }));
		const second = await add('axis', newRecord('Axe provisoire deux', null, { shortName: 'deux' }));
		expect(await retire('axis', first)).toEqual({ ok: true });
		const third = await add(
			'axis',
			newRecord('Axe provisoire trois', null, { shortName: 'trois' })
		);
		const axes = (await listStructure(db)).axes.filter((a) => a.retiredAt === null);
		expect(axes.map((a) => a.position)).toEqual([1, 2, 3, 4, 5]);
		expect(axes.slice(3).map((a) => a.id)).toEqual([second, third]);
		expect((await listAxes(db)).map((a) => a.shortName).slice(3)).toEqual(['deux', 'trois']);
		// Its label and short name may be taken again: a new axis, with a code of its own.
		const again = await add('axis', newRecord('Axe provisoire un', null, { shortName: 'un' }));
		const codes = (await listStructure(db)).axes.filter((a) => a.id === first || a.id === again);
		expect(new Set(codes.map((a) => a.code)).size).toBe(2);
	});

	it('the plan workbook leaves it out; an older workbook that still has its row is refused, naming it', async () => {
		const orientation = (await listStructure(db)).orientations[0]!;
		const id = await add('objective', newRecord('Objectif saisi par erreur', orientation.id));
		const older = await exportPlanWorkbook(db);
		expect(await retire('objective', id)).toEqual({ ok: true });

		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load((await exportPlanWorkbook(db)) as unknown as ArrayBuffer);
		const objectives = workbook.worksheets.find((w) => w.name.startsWith('Objectifs'))!;
		const numbers: unknown[] = [];
		objectives.eachRow((row, n) => {
			if (n > 1) numbers.push(row.getCell(1).value);
		});
		expect(numbers).not.toContain(18);
		expect(numbers).toHaveLength(17);

		const preview = await previewPlanImport(db, older);
		expect(preview.changes).toEqual([]);
		expect(preview.problems).toEqual([
			'Feuille « Objectifs », ligne 19, colonne « Numéro » : l’objectif « 18 » a été retiré du plan (sa page garde son historique) : un import ne le remet pas et ne redonne pas son numéro ; retirez sa ligne, ou donnez-en un autre s’il s’agit d’un nouvel objectif.'
		]);

		// Told with the workbook's other problems, in one upload.
		const edited = new ExcelJS.Workbook();
		await edited.xlsx.load(older as unknown as ArrayBuffer);
		edited.worksheets
			.find((w) => w.name.startsWith('Axes'))!
			.getRow(2)
			.getCell(3).value = '';
		const both = await previewPlanImport(db, new Uint8Array(await edited.xlsx.writeBuffer()));
		expect(both.problems).toHaveLength(2);
		expect(both.problems[0]).toMatch(/^Feuille « Axes », ligne 2, colonne « Intitulé »/);
		expect(both.problems[1]).toMatch(/^Feuille « Objectifs », ligne 19, .* retiré du plan/);
	});

	it('dates a change by its day in Paris: half past midnight there is the next day in UTC’s evening', async () => {
		const lateEvening = new Date('2026-12-04T23:30:00Z');
		const orientation = (await listStructure(db)).orientations[0]!;
		const id = await add('objective', newRecord('Objectif de minuit', orientation.id));
		expect(await retire('objective', id, lateEvening)).toEqual({ ok: true });
		const state = (await findFicheState(db, '2-1'))!;
		await retireFiche(
			db,
			admin,
			'2-1',
			{ version: state.version, reason: 'Projet repris', decisionId: null },
			null,
			lateEvening
		);
		const fiche = await db
			.selectFrom('fiche')
			.select('retired_on')
			.where('code', '=', '2-1')
			.executeTakeFirstOrThrow();
		expect(fiche.retired_on).toBe('2026-12-05');
		const history = await structuralHistory(db);
		expect(history.slice(-2).map((h) => [h.occurredOn, h.title])).toEqual([
			['2026-12-05', 'Objectif 18 « Objectif de minuit » retiré du plan'],
			['2026-12-05', 'Fiche 2-1 abandonnée']
		]);
	});

	it('a past year’s open data still lists a withdrawn axis, at a position 1 to n; orientations follow their axis’s order', async () => {
		const first = await add(
			'axis',
			newRecord('Axe provisoire un', null, { shortName: 'un' }),
			new Date('2025-03-01T10:00:00Z')
		);
		await add(
			'axis',
			newRecord('Axe provisoire deux', null, { shortName: 'deux' }),
			new Date('2025-03-02T10:00:00Z')
		);
		expect(await retire('axis', first, new Date('2026-02-01T10:00:00Z'))).toEqual({ ok: true });
		const edition = {
			asOf: '2025-12-31',
			state: await loadDashboardInput(db, '2025-12-31'),
			year: 2025,
			version: 1
		};
		const then = await buildPlanDocument(db, '2026-03-01T00:00:00Z', edition);
		expect(then.axes.map((a) => a.position)).toEqual([1, 2, 3, 4, 5]);
		expect(then.axes.map((a) => a.code)).toContain('axe-provisoire-un');
		const today = await buildPlanDocument(db, '2026-03-01T00:00:00Z');
		expect(today.axes.map((a) => a.position)).toEqual([1, 2, 3, 4]);
		expect(today.axes.map((a) => a.code)).not.toContain('axe-provisoire-un');

		// An orientation moved under the first axis is listed with that axis's, first.
		const last = (await listOrientations(db)).at(-1)!;
		const firstAxis = (await listStructure(db)).axes[0]!;
		const moved = (await listStructure(db)).orientations.find((o) => o.code === last.code)!;
		const result = await saveStructure(
			db,
			admin,
			'orientation',
			moved.id,
			await openedStructure(db, 'orientation', moved.id, {
				parentId: firstAxis.id,
				reason: 'Rattachement'
			}),
			null
		);
		expect(result.ok).toBe(true);
		const orientations = await listOrientations(db);
		const axisOrder = (await listAxes(db)).map((a) => a.code);
		const ranks = orientations.map((o) => axisOrder.indexOf(o.axis));
		expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
		const plan = await buildPlanDocument(db, '2026-03-01T00:00:00Z');
		expect(plan.orientations.map((o) => o.position)).toEqual(orientations.map((_, i) => i + 1));
	});

	it('a form opened before its parent or objective was withdrawn is told so, by name', async () => {
		const axis = await add('axis', newRecord('Axe éphémère', null, { shortName: 'ephemere' }));
		const orientation = await add('orientation', newRecord('Orientation éphémère', axis));
		expect(await retire('orientation', orientation)).toEqual({ ok: true });
		expect(await retire('axis', axis)).toEqual({ ok: true });
		const underAxis = await saveStructure(
			db,
			admin,
			'orientation',
			null,
			newRecord('Villes connectées', axis),
			null
		);
		expect(!underAxis.ok && underAxis.fieldErrors?.parent).toBe(
			'L’axe « Axe éphémère » a été retiré du plan entre-temps : choisissez-en un autre.'
		);
		const underOrientation = await saveStructure(
			db,
			admin,
			'objective',
			null,
			newRecord('Objectif tardif', orientation),
			null
		);
		expect(!underOrientation.ok && underOrientation.fieldErrors?.parent).toBe(
			'L’orientation « Orientation éphémère » a été retirée du plan entre-temps : choisissez-en une autre.'
		);
		const first = (await listStructure(db)).orientations[0]!;
		const objective = await add('objective', newRecord('Objectif éphémère', first.id));
		expect(await retire('objective', objective)).toEqual({ ok: true });
		const fiche = await createFiche(
			db,
			admin,
			{ objectiveId: objective, title: 'Fiche tardive', reason: 'Essai', decisionId: null },
			null
		);
		expect(!fiche.ok && fiche.fieldErrors?.objective).toBe(
			'L’objectif 18 « Objectif éphémère » a été retiré du plan entre-temps : choisissez-en un autre.'
		);
	});

	it('the history names an abandoned fiche by the code it had then, moved since', async () => {
		await abandonFiche(db, admin, '2-1');
		expect((await moveFiche(db, admin, '2-1', 7, new Date())).ok).toBe(true);
		const titles = (await structuralHistory(db)).map((h) => h.title);
		expect(titles.slice(-2)).toEqual([
			'Fiche 2-1 abandonnée (aujourd’hui 7-4)',
			'Fiche 2-1 rattachée à un autre objectif : elle devient 7-4'
		]);
	});

	it('an objective moved into an orientation of another axis writes its fiches’ « Axe » too, one of the same axis does not', async () => {
		const structure = await listStructure(db);
		const label = (list: { id: number; label: string }[], id: number) =>
			list.find((x) => x.id === id)!.label;
		const four = structure.objectives.find((o) => o.number === 4)!;
		const from = structure.orientations.find((o) => o.id === four.orientationId)!;
		const elsewhere = structure.orientations.find((o) => o.axisId !== from.axisId)!;
		const sameAxis = structure.orientations.find(
			(o) => o.axisId === elsewhere.axisId && o.id !== elsewhere.id
		)!;
		const move = async (orientationId: number) =>
			saveStructure(
				db,
				admin,
				'objective',
				four.id,
				await openedStructure(db, 'objective', four.id, {
					parentId: orientationId,
					reason: 'Rattachement'
				}),
				null
			);
		expect((await move(elsewhere.id)).ok).toBe(true);
		const fiche = (await findFicheState(db, '4-1'))!;
		const changesOf = async () =>
			(await listFicheRevisions(db, fiche.id))[0]!.changes.map(
				(c) => `${c.label}: ${c.before} → ${c.after}`
			);
		expect(await changesOf()).toEqual([
			`Orientation: ${from.label} → ${elsewhere.label}`,
			`Axe: ${label(structure.axes, from.axisId)} → ${label(structure.axes, elsewhere.axisId)}`
		]);
		expect((await move(sameAxis.id)).ok).toBe(true);
		expect(await changesOf()).toEqual([`Orientation: ${elsewhere.label} → ${sameAxis.label}`]);
	});

	it('an orientation moved to another axis writes « Axe : avant → après » on each of its fiches', async () => {
		const structure = await listStructure(db);
		const seventeen = structure.objectives.find((o) => o.number === 17)!;
		const orientation = structure.orientations.find((o) => o.id === seventeen.orientationId)!;
		const other = structure.axes.find((a) => a.id !== orientation.axisId)!;
		const moved = await saveStructure(
			db,
			admin,
			'orientation',
			orientation.id,
			await openedStructure(db, 'orientation', orientation.id, {
				parentId: other.id,
				reason: 'Rattachement à un autre axe'
			}),
			null
		);
		expect(moved.ok).toBe(true);
		const fiche = (await findFicheState(db, '17-1'))!;
		const [revision] = await listFicheRevisions(db, fiche.id);
		expect(revision).toMatchObject({ action: 'updated', reason: 'Rattachement à un autre axe' });
		expect(revision!.changes).toEqual([
			expect.objectContaining({ field: 'axis', label: 'Axe', after: other.label })
		]);
	});
});
