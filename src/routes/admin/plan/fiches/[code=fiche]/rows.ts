import { indicatorRowField } from '$lib/schemas/plan-edit';
import { capitalized, INDICATOR_FIELD_LABELS } from '$lib/utils/vocabulary';

/** The fiche editor's rows (owners, partners, indicators): how many, their legends and labels. */

/** Rows used so far (by the fiche or the typing), plus blank ones to add, within the limit. */
export function rows(filled: (i: number) => boolean, max: number, blank: number): number[] {
	let used = 0;
	for (let i = 0; i < max; i++) if (filled(i)) used = i + 1;
	return Array.from({ length: Math.min(max, used + blank) }, (_, i) => i);
}

/**
 * The key of a row of the form: its place and what it holds as the page was given it (the
 * indicator's id, the organisation). A field keeps what was typed in it across a refusal (its
 * value given as the default); a refusal after a colleague's change may put another thing on that
 * row (their indicator added where this person was adding one, which moves down a row): the row is
 * then drawn anew, its fields showing what the answer gives, not this person's typing left on
 * the colleague's indicator — which saving again would have renamed.
 */
export const rowKey = (i: number, holds: string | undefined) => `${i}:${holds ?? ''}`;

/** An indicator row that the fiche does not hold yet: one to add. */
export const isNewIndicator = (values: Record<string, string>, i: number) =>
	!values[indicatorRowField(i, 'id')];

export const OWNER_TEXTS: [part: string, label: string][] = [
	['scope', 'Périmètre'],
	['note', 'Note']
];
export const PARTNER_TEXTS: [part: string, label: string][] = [['detail', 'Précision']];
export const INDICATOR_LABELS = Object.fromEntries(
	Object.entries(INDICATOR_FIELD_LABELS).map(([part, label]) => [part, capitalized(label)])
) as Record<keyof typeof INDICATOR_FIELD_LABELS, string>;
const ROW_LABELS: Record<string, string> = {
	org: 'Organisation',
	...Object.fromEntries([...OWNER_TEXTS, ...PARTNER_TEXTS]),
	...INDICATOR_LABELS
};

/** A row's legend: « Porteur 2 », « Partenaire 1 », « Indicateur 3 », « Nouvel indicateur ». */
export const rowLegend = (values: Record<string, string>, kind: string, i: number) =>
	kind === 'owner'
		? `Porteur ${i + 1}`
		: kind === 'partner'
			? `Partenaire ${i + 1}`
			: isNewIndicator(values, i)
				? 'Nouvel indicateur'
				: `Indicateur ${i + 1}`;

/** A row's field (owner_0_org, ind_1_target…), named as its row and its label say it. */
export function rowFieldLabel(values: Record<string, string>, name: string): string | undefined {
	const match = /^(owner|partner|ind)_(\d+)_(\w+)$/.exec(name);
	const label = match && ROW_LABELS[match[3]!];
	return label
		? `${rowLegend(values, match[1]!, Number(match[2]))}, ${label.toLowerCase()}`
		: undefined;
}

/** The form's sections in page order; a row's fields by their row (sorting is stable). */
const SECTIONS = [
	'title',
	'short_title',
	'objective',
	'context',
	'existing',
	'description',
	'success_factors',
	'owner',
	'owners_note',
	'partner',
	'links',
	'ind',
	'reason',
	'decision'
];
export function fieldRank(name: string): number {
	const match = /^(owner|partner|ind)_(\d+)_/.exec(name);
	const section = SECTIONS.indexOf(match ? match[1]! : name);
	return (section < 0 ? SECTIONS.length : section) * 100 + (match ? Number(match[2]) : 0);
}
