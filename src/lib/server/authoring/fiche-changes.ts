import { formatDate } from '../../utils/format';
import { compareFicheCodes } from '../../utils/text';
import { indicatorValueText } from '../../utils/indicator-target';
import { INDICATOR_KIND_NAMES } from '../../utils/indicator-kinds';
import type { FieldChange } from '../result';
import {
	FICHE_FIELD_LABELS,
	INDICATOR_FIELD_LABELS,
	INDICATOR_STATE_WORDS
} from '../../utils/vocabulary';
import type { IndicatorState } from './repository';

/**
 * A fiche as a person reads it, field by field, in the words the revision list shows: what the
 * « before → after » of a revision compares. Texts are in their typed form (rich-text-markup).
 */
export interface ReadableFiche {
	code: string;
	objective: string;
	title: string;
	shortTitle: string;
	context: string;
	existing: string;
	description: string;
	successFactors: string;
	ownersNote: string;
	owners: string;
	partners: string;
	links: string;
	indicators: ReadableIndicator[];
}

export interface ReadableIndicator {
	/** null for an indicator this edit adds. */
	id: number | null;
	label: string;
	unit: string;
	kind: string;
	target: string;
	baseline: string;
	state: string;
	/**
	 * The target's and baseline's stored number and date, without the unit and kind that write
	 * them: a change of the unit alone rewrites `target` (« 340 communes » → « 340 km ») and is no
	 * change of it. Compared, never shown.
	 */
	stored: { target: string; baseline: string };
}

/** The fields compared, in the order the changes are listed, with the vocabulary's labels. */
const COMPARED_FIELDS: Exclude<keyof ReadableFiche, 'indicators'>[] = [
	'code',
	'objective',
	'title',
	'shortTitle',
	'context',
	'existing',
	'description',
	'successFactors',
	'ownersNote',
	'owners',
	'partners',
	'links'
];

/** An indicator's fields compared, in the order the changes are listed. */
const INDICATOR_FIELDS = ['label', 'unit', 'kind', 'target', 'baseline', 'state'] as const;

type IndicatorField = (typeof INDICATOR_FIELDS)[number];

/**
 * The field of an indicator's lines each column of the workbook's « Indicateurs » sheet makes:
 * a target and its date are one dated value (« 120 communes au 31/12/2026 »), as in the form.
 */
const COLUMN_FIELDS: Record<string, IndicatorField> = {
	label: 'label',
	unit: 'unit',
	kind: 'kind',
	target: 'target',
	target_date: 'target',
	baseline: 'baseline',
	baseline_date: 'baseline'
};

/**
 * « 120 communes au 31/12/2026 », « 1 250 000,50 € », « » : a value of the indicator, with its
 * unit as the fiche writes it (indicatorValueText), and the date it is for.
 */
function datedValue(
	indicator: Pick<IndicatorState, 'kind' | 'unit'>,
	value: number | null,
	date: string | null
): string {
	if (value === null) return date ? `au ${formatDate(date)}` : '';
	const text = indicatorValueText(indicator.kind, indicator.unit, value);
	return date ? `${text} au ${formatDate(date)}` : text;
}

/** An indicator in the words of a revision (`id` null: not stored yet). */
export function readableIndicator(
	indicator: Omit<IndicatorState, 'id'> & { id: number | null }
): ReadableIndicator {
	return {
		id: indicator.id,
		label: indicator.label,
		unit: indicator.unit ?? '',
		kind: INDICATOR_KIND_NAMES[indicator.kind],
		target: datedValue(indicator, indicator.target, indicator.targetDate),
		baseline: datedValue(indicator, indicator.baseline, indicator.baselineDate),
		state: indicator.retiredAt ? INDICATOR_STATE_WORDS.retired : INDICATOR_STATE_WORDS.active,
		stored: {
			target: `${indicator.target ?? ''} ${indicator.targetDate ?? ''}`,
			baseline: `${indicator.baseline ?? ''} ${indicator.baselineDate ?? ''}`
		}
	};
}

/** Whether `field` of the indicator changed: a target or baseline by its number or date only. */
function indicatorFieldChanged(
	before: ReadableIndicator,
	after: ReadableIndicator,
	field: Exclude<keyof ReadableIndicator, 'id' | 'stored'>
): boolean {
	if (before[field] === after[field]) return false;
	return field === 'target' || field === 'baseline'
		? before.stored[field] !== after.stored[field]
		: true;
}

/** The fields that differ, before → after, with their French labels; empty when nothing did. */
export function ficheChanges(before: ReadableFiche, after: ReadableFiche): FieldChange[] {
	const changes: FieldChange[] = [];
	for (const field of COMPARED_FIELDS)
		if (before[field] !== after[field])
			changes.push({
				field,
				label: FICHE_FIELD_LABELS[field],
				before: before[field],
				after: after[field]
			});

	const previous = new Map(before.indicators.map((i) => [i.id, i]));
	after.indicators.forEach((indicator, index) => {
		const old = indicator.id === null ? undefined : previous.get(indicator.id);
		changes.push(...indicatorChanges(old, indicator, indicator.id ?? 0, index + 1));
	});
	return changes;
}

/**
 * An indicator's lines in its fiche's history: « Nouvel indicateur » (`old` undefined; `rank`: its
 * N°), or each field that differs (`columns`: only those the workbook's columns of these names
 * make, which the import compares as the workbook reads numbers). The fiche's form and an import
 * (its preview and its revision) all write them, so that a change reads the same either way.
 */
export function indicatorChanges(
	old: ReadableIndicator | undefined,
	indicator: ReadableIndicator,
	id: number,
	rank: number,
	columns?: readonly string[]
): FieldChange[] {
	if (!old)
		return [
			{
				field: `indicator.new.${rank}`,
				label: 'Nouvel indicateur',
				before: '',
				after: describeIndicator(indicator)
			}
		];
	const only = columns && new Set(columns.map((column) => COLUMN_FIELDS[column]));
	const changes: FieldChange[] = [];
	for (const field of INDICATOR_FIELDS)
		if ((!only || only.has(field)) && indicatorFieldChanged(old, indicator, field))
			changes.push({
				field: `indicator.${id}.${field}`,
				label: `Indicateur « ${old.label} » : ${INDICATOR_FIELD_LABELS[field]}`,
				before: old[field],
				after: indicator[field]
			});
	return changes;
}

/** A target's or baseline's text without the unit that writes it (« 340 communes » → « 340 »). */
const withoutUnit = (text: string, unit: string) =>
	unit === '' ? text : text.replace(`\u00a0${unit}`, '');

/**
 * A stored revision's changes as « Modifications » lists them. Revisions saved before a change of
 * an indicator's unit alone was told as such hold a target and baseline line beside the unit's
 * that only repeat it (« 340 communes » → « 340 sites »): left out, as `ficheChanges` now leaves them
 * out; a target or baseline whose number or date changed too stays.
 */
export function withoutUnitEchoes<C extends FieldChange>(changes: C[]): C[] {
	const units = new Map<string, C>();
	for (const change of changes) {
		const unit = /^indicator\.(\d+)\.unit$/.exec(change.field);
		if (unit) units.set(unit[1]!, change);
	}
	if (units.size === 0) return changes;
	return changes.filter((change) => {
		const value = /^indicator\.(\d+)\.(?:target|baseline)$/.exec(change.field);
		const unit = value ? units.get(value[1]!) : undefined;
		return (
			!unit || withoutUnit(change.before, unit.before) !== withoutUnit(change.after, unit.after)
		);
	});
}

function describeIndicator(indicator: ReadableIndicator): string {
	const parts = [
		indicator.label,
		indicator.unit && `${INDICATOR_FIELD_LABELS.unit} : ${indicator.unit}`,
		`${INDICATOR_FIELD_LABELS.kind} : ${indicator.kind}`,
		indicator.target && `${INDICATOR_FIELD_LABELS.target} : ${indicator.target}`,
		indicator.baseline && `${INDICATOR_FIELD_LABELS.baseline} : ${indicator.baseline}`
	];
	return parts.filter(Boolean).join(' ; ');
}

/**
 * The fields an import names by the workbook's column: on an indicator's own revision, those it
 * stored before it wrote the form's lines (December 2026: `label`, `target_date`, `retired`… of
 * indicator `entityId`); on a fiche's revision, the texts the form names otherwise.
 */
const FORMER_IMPORT_FIELDS =
	/^(label|unit|kind|target|target_date|baseline|baseline_date|retired)$/;
const IMPORT_FICHE_FIELDS: Record<string, string> = {
	short_title: 'shortTitle',
	success_factors: 'successFactors',
	owners_note: 'ownersNote'
};

/**
 * A revision's changes named as the fiche's form names them (`shortTitle`,
 * `indicator.<id>.<field>`), so that a form opened before an import lists and keeps each of the
 * import's changes: an indicator's revision stored by an import before December 2026 names its
 * fields by column alone, which two indicators would share, and an import's fiche revision names
 * three texts by column. Stored rows stay as they are.
 */
function asFicheFields(revision: {
	entity: string;
	entityId: number;
	changes: FieldChange[];
}): FieldChange[] {
	if (revision.entity === 'fiche')
		return revision.changes.map((change) => {
			const field = IMPORT_FICHE_FIELDS[change.field];
			return field ? { ...change, field } : change;
		});
	if (revision.entity !== 'indicator') return revision.changes;
	return revision.changes.map((change) =>
		FORMER_IMPORT_FIELDS.test(change.field)
			? {
					...change,
					field: `indicator.${revision.entityId}.${change.field === 'retired' ? 'state' : change.field}`
				}
			: change
	);
}

/**
 * What others changed since a form was opened: the revisions written after it (an import's of the
 * fiche's indicators among them), merged field by field (the first « before », the last
 * « after »), oldest first.
 */
export function mergeChanges(
	revisions: { entity: string; entityId: number; changes: FieldChange[] }[]
): FieldChange[] {
	const merged = new Map<string, FieldChange>();
	for (const revision of revisions)
		for (const change of asFicheFields(revision)) {
			const known = merged.get(change.field);
			merged.set(change.field, known ? { ...known, after: change.after } : { ...change });
		}
	return [...merged.values()].filter((c) => c.before !== c.after);
}

/** « Nom — périmètre (note) », one per line. */
export function readableOwners(
	owners: { name: string; scope: string | null; note: string | null }[]
): string {
	return owners
		.map((o) => `${o.name}${o.scope ? ` — ${o.scope}` : ''}${o.note ? ` (${o.note})` : ''}`)
		.join('\n');
}

/**
 * « 2-1, 7-2, 10-2 »: a fiche's links as a set, in the order of their codes, as the fiche's page
 * lists them: the order of the form's field or of the workbook's rows is no change.
 */
export const readableLinks = (codes: readonly string[]) =>
	[...codes].sort(compareFicheCodes).join(', ');

export function readablePartners(partners: { name: string; detail: string | null }[]): string {
	return partners.map((p) => `${p.name}${p.detail ? ` — ${p.detail}` : ''}`).join('\n');
}
