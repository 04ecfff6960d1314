import type { StructureLevel } from '../../schemas/plan-structure';
import { INCOMPLETE_FORM } from '../../schemas/form';
import { formatDate, listInWords, plural } from '../../utils/format';
import { parisDate } from '../../utils/dates';
import {
	PLAN_ITEM_NOT_FOUND,
	STRUCTURE_LABELS,
	statusWord,
	todaysCodeWords
} from '../../utils/vocabulary';
import { foldForMatching } from '../../utils/text';
import type { User } from '../auth/users';
import type { Db, Executor } from '../db';
import { listFiches } from '../plan/repository';
import { invalidFields, ok, refuse, type FieldChange, type Result } from '../result';
import { mergeChanges } from './fiche-changes';
import {
	listStructuralRevisions,
	listDecisionChoices,
	listRevisionViews,
	insertAxis,
	insertObjective,
	insertOrientation,
	listObjectiveFiches,
	listStructure,
	retireStructureRecord,
	updateAxis,
	updateObjective,
	updateOrientation,
	type AxisRecord,
	type ObjectiveRecord,
	type OrientationRecord,
	type Structure
} from './repository';
import { insertRevision, listEntityRevisions, type NewRevision } from './revisions-repository';
import {
	checkDecision,
	conflictRefusal,
	editExisting,
	recordChange,
	recordChanges,
	slugify,
	uniqueSlug,
	type ConflictWords,
	type RevisionInput
} from './edits';

/*
 * The plan's structure edited by an admin: axes, orientations and objectives added, edited, moved
 * (saveStructure), withdrawn (retireStructure), their page (structureEditor); the plan as the
 * admin's page shows it (planTree) and its structural history (structuralHistory). What every
 * edit shares is in edits.ts.
 */

/** « L’axe « … » a été retiré du plan entre-temps : choisissez-en un autre. » */
export function withdrawnMeanwhile(
	level: StructureLevel,
	record: { label: string; number?: number }
) {
	const another = level === 'orientation' ? 'une autre' : 'un autre';
	return `${theStructure(level, record)} a été ${LEVEL_WORDS[level].retired} du plan entre-temps : choisissez-en ${another}.`;
}

/** An edit of an axis, an orientation or an objective refused because another came first. */
const STRUCTURE_CONFLICT: ConflictWords = {
	record: 'cet élément du plan',
	since: 'depuis que vous avez ouvert la page',
	listed:
		'Ses changements sont listés ci-dessous ; vos saisies sont gardées. Relisez-les, puis enregistrez à nouveau.',
	unlisted:
		'Vos saisies sont gardées ; ouvrez la page dans un autre onglet pour voir ce qui a changé, puis enregistrez à nouveau.'
};

/** What the forms of an axis, an orientation or an objective send. */
export interface StructureInput extends RevisionInput {
	/** The version and the newest revision the edit form was opened with (null: a new record). */
	version: number | null;
	seenRevision: number | null;
	label: string;
	/** An axis's short name (« solidarité »). */
	shortName: string | null;
	/** An objective's short label in the syntheses. */
	synthesisLabel: string | null;
	/** The axis of an orientation, the orientation of an objective (null for an axis). */
	parentId: number | null;
}

const LEVEL_WORDS = {
	axis: {
		parent: null,
		parentField: null,
		added: 'ajouté',
		changed: 'modifié',
		moved: 'rattaché',
		retired: 'retiré'
	},
	orientation: {
		parent: 'axe',
		parentField: 'axis',
		added: 'ajoutée',
		changed: 'modifiée',
		moved: 'rattachée',
		retired: 'retirée'
	},
	objective: {
		parent: 'orientation',
		parentField: 'orientation',
		added: 'ajouté',
		changed: 'modifié',
		moved: 'rattaché',
		retired: 'retiré'
	}
} as const;

type StructureRecord = AxisRecord | OrientationRecord | ObjectiveRecord;

function recordsOf(structure: Structure, level: StructureLevel): StructureRecord[] {
	return level === 'axis'
		? structure.axes
		: level === 'orientation'
			? structure.orientations
			: structure.objectives;
}

/** A record as a sentence begins with it: « L’axe « … » », « L’objectif 4 « … » » (each a vowel). */
function theStructure(level: StructureLevel, record: { label: string; number?: number }) {
	return `L’${structureName(level, record).replace(/^./, (c) => c.toLowerCase())}`;
}

/** How a person names a record: « Axe « … » », « Orientation « … » », « Objectif 4 « … » ». */
function structureName(level: StructureLevel, record: { label: string; number?: number }) {
	if (level === 'axis') return `Axe « ${record.label} »`;
	if (level === 'orientation') return `Orientation « ${record.label} »`;
	return `Objectif ${record.number} « ${record.label} »`;
}

/** A record in the words of a revision (the parent by its label). */
function readableRecord(
	structure: Structure,
	level: StructureLevel,
	r: StructureRecord
): Record<string, string> {
	const label = (list: { id: number; label: string }[], id: number) =>
		list.find((x) => x.id === id)?.label ?? '';
	if (level === 'axis') {
		const a = r as AxisRecord;
		return { code: a.code, short_name: a.shortName, label: a.label };
	}
	if (level === 'orientation') {
		const o = r as OrientationRecord;
		return { code: o.code, axis: label(structure.axes, o.axisId), label: o.label };
	}
	const o = r as ObjectiveRecord;
	return {
		number: String(o.number),
		orientation: label(structure.orientations, o.orientationId),
		label: o.label,
		synthesis_label: o.synthesisLabel ?? ''
	};
}

/** The axis an orientation is on. */
function axisOf(structure: Structure, orientationId: number): AxisRecord | undefined {
	const axisId = structure.orientations.find((o) => o.id === orientationId)?.axisId;
	return structure.axes.find((a) => a.id === axisId);
}

/**
 * A change of `field` as a revision lists it, or null when before and after are the same.
 * Exported for the plan's workbook, whose moves revise fiches as the forms do.
 */
export function fieldChange(
	field: string,
	label: string,
	before: string,
	after: string
): FieldChange | null {
	return before === after ? null : { field, label, before, after };
}

/** What is in the plan today: withdrawn records left out. */
function inPlan<T extends { retiredAt: string | null }>(records: T[]): T[] {
	return records.filter((r) => r.retiredAt === null);
}

/** The records a record of `level` may be placed under (none for an axis). */
function parentsOf(structure: Structure, level: StructureLevel): StructureRecord[] {
	const parents: StructureRecord[] =
		level === 'orientation' ? structure.axes : level === 'objective' ? structure.orientations : [];
	return inPlan(parents);
}

/** « L’objectif 18 « … » a été retiré du plan le 4 décembre 2026 : … » */
function retiredMessage(level: StructureLevel, record: StructureRecord): string {
	const pronoun = level === 'orientation' ? 'elle' : 'il';
	return `${theStructure(level, record as { label: string; number?: number })} a été ${LEVEL_WORDS[level].retired} du plan le ${formatDate(record.retiredAt!)} : ${pronoun} ne se modifie plus.`;
}

function parentOf(level: StructureLevel, r: StructureRecord): number | null {
	if (level === 'orientation') return (r as OrientationRecord).axisId;
	if (level === 'objective') return (r as ObjectiveRecord).orientationId;
	return null;
}

/** The record as the form asks it to be: a new one takes a new code, number and position. */
async function nextRecord(
	structure: Structure,
	level: StructureLevel,
	current: StructureRecord | undefined,
	input: StructureInput
): Promise<StructureRecord> {
	const records = recordsOf(structure, level);
	const next = (values: number[]) => values.reduce((max, n) => Math.max(max, n), 0) + 1;
	const code = async (fallback: string) =>
		current
			? (current as AxisRecord).code
			: uniqueSlug(slugify(input.label, fallback, 40), (slug) =>
					records.some((x) => (x as AxisRecord).code === slug)
				);
	const base = {
		id: current?.id ?? 0,
		version: current?.version ?? 1,
		label: input.label,
		retiredAt: current?.retiredAt ?? null
	};
	if (level === 'axis')
		return {
			...base,
			code: await code('axe'),
			shortName: input.shortName ?? '',
			position:
				(current as AxisRecord | undefined)?.position ??
				next(inPlan(structure.axes).map((a) => a.position))
		};
	if (level === 'orientation')
		return {
			...base,
			code: await code('orientation'),
			axisId: input.parentId!,
			position:
				(current as OrientationRecord | undefined)?.position ??
				next(inPlan(structure.orientations).map((o) => o.position))
		};
	return {
		...base,
		number:
			(current as ObjectiveRecord | undefined)?.number ??
			next(structure.objectives.map((o) => o.number)),
		orientationId: input.parentId!,
		synthesisLabel: input.synthesisLabel
	};
}

async function writeRecord(
	trx: Executor,
	level: StructureLevel,
	record: StructureRecord,
	expectedVersion: number | null
): Promise<number | null> {
	// The repository writes the record's columns: its id and version are left out.
	const { id } = record;
	if (expectedVersion === null) {
		if (level === 'axis') return insertAxis(trx, record as AxisRecord);
		if (level === 'orientation') return insertOrientation(trx, record as OrientationRecord);
		return insertObjective(trx, record as ObjectiveRecord);
	}
	const saved =
		level === 'axis'
			? await updateAxis(trx, id, record as AxisRecord, expectedVersion)
			: level === 'orientation'
				? await updateOrientation(trx, id, record as OrientationRecord, expectedVersion)
				: await updateObjective(trx, id, record as ObjectiveRecord, expectedVersion);
	return saved ? id : null;
}

/**
 * The problems of an axis's, an orientation's or an objective's form, every field at once: its
 * parent not in the list (or withdrawn meanwhile), its label or an axis's short name already
 * another's in the plan.
 */
function structureFieldErrors(
	structure: Structure,
	level: StructureLevel,
	id: number | null,
	input: StructureInput
): Record<string, string> {
	const words = LEVEL_WORDS[level];
	const fieldErrors: Record<string, string> = {};
	const parents = parentsOf(structure, level);
	if (words.parent && !parents.some((p) => p.id === input.parentId)) {
		// Withdrawn meanwhile (the page was opened before): said with its name.
		const parentLevel = level === 'orientation' ? 'axis' : 'orientation';
		const withdrawn = recordsOf(structure, parentLevel).find(
			(p) => p.id === input.parentId && p.retiredAt
		);
		fieldErrors.parent = withdrawn
			? withdrawnMeanwhile(parentLevel, withdrawn as { label: string })
			: `Choisissez l’${words.parent} dans la liste.`;
	}
	// A withdrawn element's label may be taken again (its code, or number, is not).
	const same = inPlan(recordsOf(structure, level)).find(
		(r) => r.id !== id && foldForMatching(r.label) === foldForMatching(input.label)
	);
	if (same)
		fieldErrors.label = `${theStructure(level, same as { label: string; number?: number })} porte déjà cet intitulé.`;
	// The short name names the axis in filters and charts: two alike could not be told apart.
	const twin =
		level === 'axis'
			? inPlan(structure.axes).find(
					(a) =>
						a.id !== id && foldForMatching(a.shortName) === foldForMatching(input.shortName ?? '')
				)
			: undefined;
	if (twin) fieldErrors.short_name = `L’axe « ${twin.label} » porte déjà ce nom court.`;
	return fieldErrors;
}

/**
 * After an orientation or an objective was moved by its form (`parentChange`): a revision on each
 * fiche under it (reviseMovedFiches).
 */
async function reviseFichesUnder(
	trx: Executor,
	structure: Structure,
	level: StructureLevel,
	moved: { savedId: number; current: StructureRecord | undefined; record: StructureRecord },
	parentChange: FieldChange,
	stamp: Pick<NewRevision, 'reason' | 'decisionId' | 'origin' | 'userId' | 'createdAt'>
): Promise<void> {
	// The fiches of a moved objective change orientation, those of a moved orientation change
	// axis: each says so in its own list.
	const objectiveIds =
		level === 'objective'
			? [moved.savedId]
			: level === 'orientation'
				? structure.objectives.filter((o) => o.orientationId === moved.savedId).map((o) => o.id)
				: [];
	// An objective moved into an orientation of another axis changes its fiches' axis too.
	const [axisBefore, axisAfter] = [moved.current, moved.record].map((r) =>
		level === 'objective' && r ? axisOf(structure, (r as ObjectiveRecord).orientationId) : undefined
	);
	const axisChange =
		axisBefore && axisAfter && axisBefore.id !== axisAfter.id
			? fieldChange('axis', STRUCTURE_LABELS.orientation.axis, axisBefore.label, axisAfter.label)
			: null;
	await reviseMovedFiches(
		trx,
		objectiveIds,
		[parentChange, ...(axisChange ? [axisChange] : [])],
		stamp
	);
}

/**
 * Adds an axis, an orientation or an objective (`id` null), or edits one: renames it, or moves an
 * orientation to another axis, an objective to another orientation (its fiches follow and keep
 * their codes: a code follows the objective's number, which never changes). One transaction with
 * the revision (reason, optional decision of a closed sitting, fields before → after), a revision
 * on each fiche that changes orientation, and one journal line. Codes of axes and orientations
 * are stable slugs: renaming changes the label only. Refused without change when another edit came
 * first (`version`), with what it changed.
 */
export async function saveStructure(
	db: Db,
	user: User,
	level: StructureLevel,
	id: number | null,
	input: StructureInput,
	clientAddress: string | null,
	now = new Date()
): Promise<Result<{ id: number }>> {
	return db.transaction().execute(async (trx) => {
		const structure = await listStructure(trx);
		const words = LEVEL_WORDS[level];
		const current = id === null ? undefined : recordsOf(structure, level).find((r) => r.id === id);
		if (id !== null && !current) return refuse(404, PLAN_ITEM_NOT_FOUND);
		if (current?.retiredAt) return refuse(409, retiredMessage(level, current));
		if (current && input.version === null) return refuse(400, INCOMPLETE_FORM);
		if (current && current.version !== input.version) {
			// A form without its last revision (crafted, or older than the field) knows of no
			// revision in between: « Quelqu’un », as an organisation's, not every author ever.
			const seen = input.seenRevision;
			const since =
				seen === null
					? []
					: (await listEntityRevisions(trx, level, current.id))
							.filter((r) => r.id > seen)
							.reverse();
			return conflictRefusal(STRUCTURE_CONFLICT, since, mergeChanges(since), user.id);
		}
		const fieldErrors = structureFieldErrors(structure, level, id, input);
		if (Object.keys(fieldErrors).length > 0) return invalidFields(fieldErrors);
		const refusal = await checkDecision(trx, input.decisionId);
		if (refusal) return refusal;

		const record = await nextRecord(structure, level, current, input);
		const labels: Record<string, string> = STRUCTURE_LABELS[level];
		const changes = recordChanges(
			labels,
			current ? readableRecord(structure, level, current) : null,
			readableRecord(structure, level, record)
		);
		if (changes.length === 0)
			return refuse(400, 'Aucune modification à enregistrer : l’élément est déjà ainsi.');
		const moved = current !== undefined && parentOf(level, current) !== parentOf(level, record);
		const savedId = await writeRecord(trx, level, record, current ? current.version : null);
		if (savedId === null) return conflictRefusal(STRUCTURE_CONFLICT, [], [], user.id);
		const context = { trx, user, why: input, clientAddress, now };
		const parentChange = changes.find((c) => c.field === words.parentField);
		const name = structureName(level, record as { label: string; number?: number });
		await recordChange(
			context,
			{
				entity: level,
				entityId: savedId,
				ficheId: null,
				action: !current ? 'created' : moved ? 'moved' : 'updated',
				changes
			},
			{
				action: 'plan.structure_changed',
				target: { type: level, id: savedId },
				summary: !current
					? `${name} ${words.added} au plan`
					: moved
						? `${name} ${words.moved} à l’${words.parent} « ${parentChange?.after ?? ''} »`
						: `${name} ${words.changed} (${changes.map((c) => c.label).join(', ')})`
			}
		);
		if (parentChange)
			await reviseFichesUnder(trx, structure, level, { savedId, current, record }, parentChange, {
				reason: input.reason,
				decisionId: input.decisionId,
				origin: 'portal',
				userId: user.id,
				createdAt: now.toISOString()
			});
		return ok({ id: savedId });
	});
}

/**
 * The fiches of a moved objective change orientation (and axis, when the orientation is on another
 * one), those of a moved orientation change axis: each gets a revision with `changes` (the parent,
 * before → after, by label), whether the element was moved from its form or by an import of the
 * plan's workbook.
 */
export async function reviseMovedFiches(
	trx: Executor,
	objectiveIds: number[],
	changes: FieldChange[],
	stamp: Pick<NewRevision, 'reason' | 'decisionId' | 'origin' | 'userId' | 'createdAt'>
): Promise<void> {
	for (const objectiveId of objectiveIds)
		for (const fiche of await listObjectiveFiches(trx, objectiveId))
			await insertRevision(trx, {
				entity: 'fiche',
				entityId: fiche.id,
				ficheId: fiche.id,
				action: 'updated',
				changes,
				...stamp
			});
}

/**
 * What the page of an axis, an orientation or an objective needs: the record (none for a new one),
 * its form filled in, the parents to pick from, its fiches (an objective), its revisions (newest
 * first) and the decisions an edit may apply. `parentId` preselects the parent of a new record.
 */
export async function structureEditor(
	db: Db,
	level: StructureLevel,
	id: number | null,
	parentId: number | null = null
) {
	const structure = await listStructure(db);
	const record = id === null ? undefined : recordsOf(structure, level).find((r) => r.id === id);
	if (id !== null && !record) return refuse(404, PLAN_ITEM_NOT_FOUND);
	// Staff only: who made each change is shown (as on the fiche's own form).
	const revisions = record
		? (await listRevisionViews(db, { entity: level, id: record.id }, undefined, { authors: true }))
				.revisions
		: [];
	const parents = parentsOf(structure, level).map((p) => ({ id: p.id, label: p.label }));
	const parent = record ? parentOf(level, record) : parentId;
	return ok({
		record: record
			? {
					id: record.id,
					name: structureName(level, record as { label: string; number?: number }),
					code: 'code' in record ? record.code : String(record.number),
					retired: record.retiredAt ? retiredMessage(level, record) : null,
					// Why it may not be withdrawn now (null: it may).
					keptBy: record.retiredAt ? null : await retireBlocker(db, structure, level, record)
				}
			: null,
		values: {
			version: record ? String(record.version) : '',
			seen_revision: String(revisions[0]?.id ?? 0),
			label: record?.label ?? '',
			short_name: (record as AxisRecord | undefined)?.shortName ?? '',
			synthesis_label: (record as ObjectiveRecord | undefined)?.synthesisLabel ?? '',
			parent: parent === null ? '' : String(parent)
		} as Record<string, string>,
		parents,
		fiches:
			record && level === 'objective'
				? (await listObjectiveFiches(db, record.id)).map((f) => f.code)
				: [],
		revisions,
		decisions: await listDecisionChoices(db)
	});
}

/**
 * Why an axis, an orientation or an objective may not be withdrawn from the plan: what still lies
 * under it (an objective's fiches, abandoned ones included: they stay readable in their place; an
 * orientation's or an axis's elements still in the plan), or its being the plan's last axis.
 */
async function retireBlocker(
	db: Executor,
	structure: Structure,
	level: StructureLevel,
	record: StructureRecord
): Promise<string | null> {
	const name = theStructure(level, record as { label: string; number?: number });
	if (level === 'objective') {
		const fiches = (await listObjectiveFiches(db, record.id)).map((f) => f.code);
		if (fiches.length === 0) return null;
		return `${name} porte encore ${plural(fiches.length, 'la fiche', 'les fiches')} ${listInWords(fiches)} : ${plural(fiches.length, 'rattachez-la', 'rattachez-les')} d’abord à un autre objectif (une fiche abandonnée reste lisible sous son objectif, qui reste alors au plan).`;
	}
	if (level === 'orientation') {
		const objectives = inPlan(structure.objectives).filter((o) => o.orientationId === record.id);
		if (objectives.length === 0) return null;
		return `${name} porte encore ${plural(objectives.length, 'l’objectif', 'les objectifs')} ${listInWords(objectives.map((o) => String(o.number)))} : ${plural(objectives.length, 'rattachez-le d’abord à une autre orientation, ou retirez-le', 'rattachez-les d’abord à une autre orientation, ou retirez-les')}.`;
	}
	const orientations = inPlan(structure.orientations).filter((o) => o.axisId === record.id);
	if (orientations.length > 0)
		return `${name} porte encore ${plural(orientations.length, 'l’orientation', 'les orientations')} ${listInWords(orientations.map((o) => `« ${o.label} »`))} : ${plural(orientations.length, 'rattachez-la d’abord à un autre axe, ou retirez-la', 'rattachez-les d’abord à un autre axe, ou retirez-les')}.`;
	if (inPlan(structure.axes).length === 1) return `${name} est le dernier axe du plan.`;
	return null;
}

/**
 * Withdraws an empty axis, orientation or objective from the plan (one added by mistake, or left
 * empty once its elements moved): it leaves every page, list and file of today's plan, and stays in
 * the history with its reason; its code, or number, is never given again. One transaction with
 * its revision and journal line; refused when something still lies under it, or when another edit
 * came first (`version`).
 */
export async function retireStructure(
	db: Db,
	user: User,
	level: StructureLevel,
	id: number,
	input: RevisionInput & { version: number },
	clientAddress: string | null,
	now = new Date()
): Promise<Result> {
	const read = async (trx: Executor) => {
		const structure = await listStructure(trx);
		const current = recordsOf(structure, level).find((r) => r.id === id);
		return current && { structure, current };
	};
	return editExisting(db, read, PLAN_ITEM_NOT_FOUND, async (trx, { structure, current }) => {
		if (current.retiredAt)
			return refuse(409, retiredMessage(level, current), { reason: 'withdrawn' });
		if (current.version !== input.version) return refuse(409, STRUCTURE_RETIRE_CONFLICT);
		const blocker = await retireBlocker(trx, structure, level, current);
		if (blocker) return refuse(409, blocker);
		const refusal = await checkDecision(trx, input.decisionId);
		if (refusal) return refusal;
		const at = now.toISOString();
		if (!(await retireStructureRecord(trx, level, id, at, current.version)))
			return refuse(409, STRUCTURE_RETIRE_CONFLICT);
		const words = LEVEL_WORDS[level];
		const name = structureName(level, current as { label: string; number?: number });
		await recordChange(
			{ trx, user, why: input, clientAddress, now },
			{
				entity: level,
				entityId: id,
				ficheId: null,
				action: 'retired',
				changes: [
					{
						field: 'status',
						label: 'État',
						before: 'dans le plan',
						after: `${words.retired} du plan`
					}
				]
			},
			{
				action: 'plan.structure_retired',
				target: { type: level, id },
				summary: `${name} ${words.retired} du plan`
			}
		);
		return ok();
	});
}

const STRUCTURE_RETIRE_CONFLICT =
	'Quelqu’un a modifié cet élément du plan depuis que vous avez ouvert la page : il n’a pas été retiré. Relisez la page, puis recommencez si c’est toujours voulu.';

/**
 * After a refused edit of an axis, an orientation or an objective (another came first): what the
 * person typed, except in the fields the other edit changed and this person had left as they were,
 * which take the record as it is now — saving again keeps the other's change.
 */
export async function rebaseStructureTyping(
	db: Db,
	level: StructureLevel,
	id: number,
	typed: Record<string, string>,
	changes: FieldChange[]
): Promise<Record<string, string>> {
	const editor = await structureEditor(db, level, id);
	if (!editor.ok) return typed;
	const fresh = editor.value.values;
	const result: Record<string, string> = {
		...typed,
		version: fresh.version!,
		seen_revision: fresh.seen_revision!
	};
	const parent = editor.value.parents.find((p) => String(p.id) === typed.parent)?.label ?? '';
	for (const change of changes) {
		const field =
			change.field === 'axis' || change.field === 'orientation' ? 'parent' : change.field;
		if (!['label', 'short_name', 'synthesis_label', 'parent'].includes(field)) continue;
		const reads = field === 'parent' ? parent : (typed[field] ?? '').trim();
		if (reads === change.before) result[field] = fresh[field] ?? '';
	}
	return result;
}

/**
 * The plan as the admin's page shows it: axes, orientations, objectives and fiches, in order; and
 * apart, the elements withdrawn from it (newest first), whose pages keep their history.
 */
export async function planTree(db: Db) {
	const structure = await listStructure(db);
	const fiches = await listFiches(db);
	const axes = inPlan(structure.axes).map((axis) => ({
		...axis,
		orientations: inPlan(structure.orientations)
			.filter((o) => o.axisId === axis.id)
			.map((orientation) => ({
				...orientation,
				objectives: inPlan(structure.objectives)
					.filter((o) => o.orientationId === orientation.id)
					.map((objective) => ({
						...objective,
						fiches: fiches.filter((f) => f.objective === objective.number)
					}))
			}))
	}));
	const levels = ['axis', 'orientation', 'objective'] as const;
	const retired = levels
		.flatMap((level) =>
			recordsOf(structure, level)
				.filter((r) => r.retiredAt !== null)
				.map((r) => ({
					level,
					id: r.id,
					name: structureName(level, r as { label: string; number?: number }),
					retiredAt: r.retiredAt!
				}))
		)
		.sort((a, b) => b.retiredAt.localeCompare(a.retiredAt));
	return { axes, retired };
}

const FICHE_HISTORY_TITLES = {
	created: 'ajoutée au plan',
	moved: 'rattachée à un autre objectif',
	retired: statusWord('abandonnee', 1)
} as const;

/**
 * The structural changes of the plan as entries of the home page's history: fiches added, moved or
 * abandoned; axes, orientations and objectives added or moved (an objective with its fiches).
 */
export async function structuralHistory(db: Db) {
	const [rows, structure] = [await listStructuralRevisions(db), await listStructure(db)];
	/** A fiche's code before its first move after row `i` (undefined: it has not moved since). */
	const codeBeforeNextMove = (i: number, ficheId: number) => {
		const move = rows
			.slice(i + 1)
			.find((x) => x.entity === 'fiche' && x.entityId === ficheId && x.action === 'moved');
		return move
			? (JSON.parse(move.changes) as FieldChange[]).find((c) => c.field === 'code')?.before
			: undefined;
	};
	return rows.map((r, i) => {
		const occurredOn = parisDate(new Date(r.createdAt));
		const changes = JSON.parse(r.changes) as FieldChange[];
		if (r.entity === 'fiche') {
			// The code the fiche had then (a move gives it another), and today's when it changed since.
			const code = changes.find((c) => c.field === 'code');
			const then = code?.after || codeBeforeNextMove(i, r.entityId) || r.ficheCode;
			const today = then && r.ficheCode ? todaysCodeWords(then, r.ficheCode) : '';
			return {
				occurredOn,
				at: r.createdAt,
				title:
					r.action === 'moved' && code?.before
						? `Fiche ${code.before} rattachée à un autre objectif : elle devient ${code.after}${today}`
						: `Fiche ${then} ${FICHE_HISTORY_TITLES[r.action]}${today}`,
				body: `${r.ficheTitle ?? ''}. Raison : ${r.reason}`,
				source: null,
				link: {
					href: `/fiches/${r.ficheCode}/modifications`,
					text: `Modifications de la fiche ${r.ficheCode}`
				}
			};
		}
		const level = r.entity;
		const words = LEVEL_WORDS[level];
		const record = recordsOf(structure, level).find((x) => x.id === r.entityId);
		const parent = changes.find((c) => c.field === words.parentField);
		const name = record
			? structureName(level, record as { label: string; number?: number })
			: structureName(level, {
					label: changes.find((c) => c.field === 'label')?.after ?? '',
					number: Number(changes.find((c) => c.field === 'number')?.after)
				});
		const title =
			r.action === 'moved'
				? `${name} ${words.moved} à l’${words.parent} « ${parent?.after ?? ''} »`
				: r.action === 'retired'
					? `${name} ${words.retired} du plan`
					: `${name} ${words.added} au plan`;
		const from =
			r.action === 'moved' && parent?.before
				? `Auparavant : ${words.parent} « ${parent.before} ». `
				: '';
		const fiches =
			level === 'objective' && r.action === 'moved'
				? 'Ses fiches le suivent et gardent leur code. '
				: '';
		return {
			occurredOn,
			at: r.createdAt,
			title,
			body: `${from}${fiches}Raison : ${r.reason}`,
			source: null,
			link: null
		};
	});
}
