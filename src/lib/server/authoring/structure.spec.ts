import { formatMoment } from '../../utils/format';
import { describe, expect, it } from 'vitest';
import { parseForm } from '../../schemas/form';
import { STRUCTURE_FIELDS, STRUCTURE_SCHEMAS } from '../../schemas/plan-structure';
import { can } from '../auth/permissions';
import type { User } from '../auth/users';
import type { Db } from '../db';
import { eachTestWithAdmin, newStructure, openedStructure } from './testing';
import { findFicheByCode, listFiches, listOrientations } from '../plan/repository';
import { listStructure, updateObjective } from './repository';
import { listEntityRevisions, listFicheRevisions } from './revisions-repository';
import { createFiche } from './fiches';
import {
	rebaseStructureTyping,
	saveStructure,
	structuralHistory,
	structureEditor,
	type StructureInput
} from './structure';

let db: Db;
let admin: User;

eachTestWithAdmin((opened) => ({ db, admin } = opened));

const WHY = { reason: 'Décision du comité syndical', decisionId: null };

/** The form as the edit page fills it for a record, with `changes` typed over it. */
const opened = (
	level: 'axis' | 'orientation' | 'objective',
	id: number,
	changes: Partial<StructureInput> = {}
) => openedStructure(db, level, id, { ...WHY, ...changes });

/** The add form of a record, filled in. */
const newRecord = (label: string, parentId: number | null, more: Partial<StructureInput> = {}) =>
	newStructure(label, parentId, { ...WHY, ...more });

async function publishedRevision(): Promise<number> {
	const row = await db.selectFrom('data_revision').select('revision').executeTakeFirstOrThrow();
	return row.revision;
}

async function orientationByCode(code: string) {
	return (await listStructure(db)).orientations.find((o) => o.code === code)!;
}
async function objectiveNumbered(n: number) {
	return (await listStructure(db)).objectives.find((o) => o.number === n)!;
}

describe('renaming', () => {
	it('renames an orientation: the label changes, the code stays, a revision, a journal line, published', async () => {
		const orientation = await orientationByCode('politique-donnee');
		const before = await publishedRevision();
		const result = await saveStructure(
			db,
			admin,
			'orientation',
			orientation.id,
			await opened('orientation', orientation.id, { label: 'Politique de la donnée publique' }),
			'192.0.2.1'
		);
		expect(result).toEqual({ ok: true, value: { id: orientation.id } });
		expect((await listOrientations(db)).find((o) => o.code === 'politique-donnee')?.label).toBe(
			'Politique de la donnée publique'
		);
		expect(await publishedRevision()).toBeGreaterThan(before);
		const [revision, ...older] = await listEntityRevisions(db, 'orientation', orientation.id);
		expect(older).toEqual([]);
		expect(revision).toMatchObject({
			action: 'updated',
			reason: WHY.reason,
			origin: 'portal',
			userId: admin.id,
			ficheId: null,
			changes: [
				{
					field: 'label',
					label: 'Intitulé',
					before: 'Politique de la donnée',
					after: 'Politique de la donnée publique'
				}
			]
		});
		const journal = await db
			.selectFrom('audit_event')
			.selectAll()
			.where('action', '=', 'plan.structure_changed')
			.execute();
		expect(journal).toHaveLength(1);
		expect(journal[0]!.summary).toBe(
			'Orientation « Politique de la donnée publique » modifiée (Intitulé) : Décision du comité syndical'
		);
	});

	it('refuses an unchanged form, a label another record has, and an unknown decision', async () => {
		const orientation = await orientationByCode('politique-donnee');
		expect(
			await saveStructure(
				db,
				admin,
				'orientation',
				orientation.id,
				await opened('orientation', orientation.id),
				null
			)
		).toMatchObject({ ok: false, status: 400 });
		expect(
			await saveStructure(
				db,
				admin,
				'orientation',
				orientation.id,
				await opened('orientation', orientation.id, { label: 'Territoire en réseau' }),
				null
			)
		).toMatchObject({
			ok: false,
			status: 400,
			fieldErrors: { label: 'L’orientation « Territoire en réseau » porte déjà cet intitulé.' }
		});
		expect(
			await saveStructure(
				db,
				admin,
				'orientation',
				orientation.id,
				await opened('orientation', orientation.id, { label: 'Données', decisionId: 999_999 }),
				null
			)
		).toMatchObject({ ok: false, status: 400, fieldErrors: { decision: expect.any(String) } });
		expect(await listEntityRevisions(db, 'orientation', orientation.id)).toEqual([]);
	});
});

describe('concurrency', () => {
	it('refuses a save from a form opened before another (the same admin’s other tab: « vous »), overwriting nothing', async () => {
		const objective = await objectiveNumbered(4);
		const first = await opened('objective', objective.id, {
			label: 'Développer la citoyenneté numérique'
		});
		const second = await opened('objective', objective.id, { synthesisLabel: 'E-citoyenneté' });
		const at = new Date('2026-12-07T20:40:00Z');
		expect((await saveStructure(db, admin, 'objective', objective.id, first, null, at)).ok).toBe(
			true
		);
		const refused = await saveStructure(db, admin, 'objective', objective.id, second, null);
		expect(refused).toMatchObject({
			ok: false,
			status: 409,
			message: `Vous avez modifié cet élément du plan depuis un autre onglet, une autre fenêtre ou un autre appareil le ${formatMoment(at.getTime())}, depuis que vous avez ouvert la page : rien n’a été enregistré. Ses changements sont listés ci-dessous ; vos saisies sont gardées. Relisez-les, puis enregistrez à nouveau.`,
			changes: [
				{ field: 'label', before: objective.label, after: 'Développer la citoyenneté numérique' }
			]
		});
		const now = await objectiveNumbered(4);
		expect(now).toMatchObject({
			label: 'Développer la citoyenneté numérique',
			synthesisLabel: objective.synthesisLabel,
			version: objective.version + 1
		});
		expect(await listEntityRevisions(db, 'objective', objective.id)).toHaveLength(1);
	});

	// Review #14: « Ses changements sont listés ci-dessous » above no list at all.
	it('promises no list of changes when it has none to show', async () => {
		const objective = await objectiveNumbered(4);
		const input = await opened('objective', objective.id, { synthesisLabel: 'E-citoyenneté' });
		// The version moved on without a revision: there is nothing to list.
		await db
			.updateTable('objective')
			.set((eb) => ({ version: eb('version', '+', 1) }))
			.where('id', '=', objective.id)
			.execute();
		const refused = await saveStructure(db, admin, 'objective', objective.id, input, null);
		expect(refused).toMatchObject({
			ok: false,
			status: 409,
			message:
				'Quelqu’un a modifié cet élément du plan depuis que vous avez ouvert la page : rien n’a été enregistré. Vos saisies sont gardées ; ouvrez la page dans un autre onglet pour voir ce qui a changé, puis enregistrez à nouveau.',
			changes: []
		});
	});

	// Diff review: a form sent without its last revision listed every revision ever written, and
	// named every admin who ever edited the item as having changed it since it was opened.
	it('names nobody for a form that does not say which revision it showed', async () => {
		const objective = await objectiveNumbered(6);
		const first = await opened('objective', objective.id, { label: 'Un autre intitulé' });
		const second = await opened('objective', objective.id, { synthesisLabel: 'Autre synthèse' });
		expect((await saveStructure(db, admin, 'objective', objective.id, first, null)).ok).toBe(true);
		const refused = await saveStructure(
			db,
			admin,
			'objective',
			objective.id,
			{ ...second, seenRevision: null },
			null
		);
		expect(refused).toMatchObject({ ok: false, status: 409, changes: [] });
		expect(refused.ok ? '' : refused.message).toMatch(/^Quelqu’un a modifié cet élément du plan/);
	});

	it('after the refusal, the form takes the first admin’s change where the second left the field alone', async () => {
		const objective = await objectiveNumbered(5);
		const editor = await structureEditor(db, 'objective', objective.id);
		if (!editor.ok) throw new Error(editor.message);
		const first = await opened('objective', objective.id, { label: 'Un intitulé revu' });
		const second = await opened('objective', objective.id, { synthesisLabel: 'Synthèse revue' });
		expect((await saveStructure(db, admin, 'objective', objective.id, first, null)).ok).toBe(true);
		const typed = { ...editor.value.values, synthesis_label: 'Synthèse revue', reason: 'Relu' };
		const refused = await saveStructure(db, admin, 'objective', objective.id, second, null);
		const rebased = await rebaseStructureTyping(
			db,
			'objective',
			objective.id,
			typed,
			refused.ok ? [] : refused.changes!
		);
		expect(rebased).toMatchObject({
			label: 'Un intitulé revu',
			synthesis_label: 'Synthèse revue',
			version: String(objective.version + 1)
		});
		// Saved again as the form now reads: both changes stay.
		const again = await saveStructure(
			db,
			admin,
			'objective',
			objective.id,
			{
				...second,
				version: Number(rebased.version),
				label: rebased.label!,
				synthesisLabel: rebased.synthesis_label!
			},
			null
		);
		expect(again.ok).toBe(true);
		expect(await objectiveNumbered(5)).toMatchObject({
			label: 'Un intitulé revu',
			synthesisLabel: 'Synthèse revue'
		});
	});

	it('an import’s write bumps the version too: a form opened before it is refused', async () => {
		const objective = await objectiveNumbered(2);
		const input = await opened('objective', objective.id, { label: 'Des services plus simples' });
		await updateObjective(db, objective.id, { ...objective, label: 'Écrit par un import' });
		expect(await saveStructure(db, admin, 'objective', objective.id, input, null)).toMatchObject({
			ok: false,
			status: 409
		});
		expect((await objectiveNumbered(2)).label).toBe('Écrit par un import');
	});
});

describe('adding', () => {
	it('adds an axis with a stable code from its label (unique), an orientation, an objective, then its fiche', async () => {
		const axis = await saveStructure(
			db,
			admin,
			'axis',
			null,
			newRecord('Performance', null, { shortName: 'inclusion' }),
			null
		);
		if (!axis.ok) throw new Error(axis.message);
		const structure = await listStructure(db);
		const added = structure.axes.at(-1)!;
		expect(added).toMatchObject({ id: axis.value.id, code: 'performance-2', position: 4 });

		const orientation = await saveStructure(
			db,
			admin,
			'orientation',
			null,
			newRecord('Inclusion numérique des aînés', added.id),
			null
		);
		if (!orientation.ok) throw new Error(orientation.message);
		expect((await listOrientations(db)).at(-1)).toMatchObject({
			code: 'inclusion-numerique-des-aines',
			axis: 'performance-2'
		});
		const objective = await saveStructure(
			db,
			admin,
			'objective',
			null,
			newRecord('Former les aînés aux démarches en ligne', orientation.value.id),
			null
		);
		if (!objective.ok) throw new Error(objective.message);
		expect((await objectiveNumbered(18)).id).toBe(objective.value.id);
		expect(
			await createFiche(
				db,
				admin,
				{ ...WHY, objectiveId: objective.value.id, title: 'Ateliers en médiathèque' },
				null
			)
		).toEqual({ ok: true, value: { code: '18-1' } });
		expect(
			(await listEntityRevisions(db, 'objective', objective.value.id)).map((r) => r.action)
		).toEqual(['created']);
		const history = (await structuralHistory(db)).map((e) => e.title);
		expect(history).toEqual([
			'Axe « Performance » ajouté au plan',
			'Orientation « Inclusion numérique des aînés » ajoutée au plan',
			'Objectif 18 « Former les aînés aux démarches en ligne » ajouté au plan',
			'Fiche 18-1 ajoutée au plan'
		]);
	});

	it('refuses a new orientation without an existing axis', async () => {
		expect(
			await saveStructure(db, admin, 'orientation', null, newRecord('Sans axe', 999_999), null)
		).toMatchObject({
			ok: false,
			status: 400,
			fieldErrors: { parent: 'Choisissez l’axe dans la liste.' }
		});
	});
});

describe('moving an objective', () => {
	it('its fiches follow with their codes; each fiche and the home history say so', async () => {
		const objective = await objectiveNumbered(4);
		const target = await orientationByCode('territoire-en-reseau');
		const codes = (await listFiches(db)).filter((f) => f.objective === 4).map((f) => f.code);
		expect(codes.length).toBeGreaterThan(0);
		const result = await saveStructure(
			db,
			admin,
			'objective',
			objective.id,
			await opened('objective', objective.id, { parentId: target.id }),
			null
		);
		expect(result.ok).toBe(true);
		const moved = (await listFiches(db)).filter((f) => f.objective === 4);
		expect(moved.map((f) => f.code)).toEqual(codes);
		expect(new Set(moved.map((f) => f.orientation))).toEqual(new Set(['territoire-en-reseau']));
		const [revision] = await listEntityRevisions(db, 'objective', objective.id);
		expect(revision).toMatchObject({
			action: 'moved',
			changes: [
				{
					field: 'orientation',
					label: 'Orientation',
					before: 'Téléservices publics et e-citoyenneté',
					after: 'Territoire en réseau'
				}
			]
		});
		const fiche = (await findFicheByCode(db, codes[0]!))!;
		expect((await listFicheRevisions(db, fiche.id))[0]).toMatchObject({
			entity: 'fiche',
			action: 'updated',
			// « Territoire en réseau » is on another axis.
			changes: [
				{ field: 'orientation', after: 'Territoire en réseau' },
				{ field: 'axis', after: 'Accompagnement du territoire dans la transition numérique' }
			]
		});
		const entry = (await structuralHistory(db)).at(-1)!;
		expect(entry.title).toBe(
			`Objectif 4 « ${objective.label} » rattaché à l’orientation « Territoire en réseau »`
		);
		expect(entry.body).toContain('Ses fiches le suivent et gardent leur code.');
	});
});

describe('the forms', () => {
	it('take an axis’s short name in one word, and a title with words', () => {
		const data = new FormData();
		data.set('label', '!!!');
		data.set('short_name', 'deux mots');
		data.set('reason', 'Nouvel axe');
		const { errors } = parseForm(data, STRUCTURE_FIELDS.axis, STRUCTURE_SCHEMAS.axis);
		expect(errors.label).toBe('L’intitulé doit contenir des mots.');
		expect(errors.short_name).toBe(
			'Le nom court tient en un mot, sans espace (comme « solidarité » ou « e-administration »).'
		);
	});

	it('refuse a short name another axis has, whatever its accents or capitals', async () => {
		const refused = await saveStructure(
			db,
			admin,
			'axis',
			null,
			newRecord('Inclusion des aînés', null, { shortName: 'Solidarite' }),
			null
		);
		expect(refused).toMatchObject({
			ok: false,
			status: 400,
			fieldErrors: {
				short_name:
					'L’axe « Accompagnement du territoire dans la transition numérique » porte déjà ce nom court.'
			}
		});
	});

	it('require a reason and say so in French; keep the typing', () => {
		const data = new FormData();
		data.set('label', 'Nouvel intitulé');
		data.set('parent', '3');
		data.set('reason', ' ');
		const { values, errors } = parseForm(
			data,
			STRUCTURE_FIELDS.orientation,
			STRUCTURE_SCHEMAS.orientation
		);
		expect(errors.reason).toBe(
			'Indiquez en quelques mots pourquoi vous faites cette modification (3 caractères au moins).'
		);
		expect(values.label).toBe('Nouvel intitulé');
	});

	it('are for admins only: partners and commission members may not edit the plan', () => {
		for (const role of ['partenaire', 'commission'] as const)
			expect(
				can({ id: 1, role, organisationId: role === 'partenaire' ? 1 : null }, 'plan.edit')
			).toBe(false);
		expect(can({ id: 1, role: 'admin', organisationId: null }, 'plan.edit')).toBe(true);
	});
});
