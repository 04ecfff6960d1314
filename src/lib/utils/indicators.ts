import type { IndicatorKind } from './indicator-kinds';

export interface ReportedIndicator {
	id: number;
	label: string;
	unit: string | null;
	/** The kind the plan gives it (count, percentage, amount, yes/no); without it, the label tells. */
	kind?: IndicatorKind;
}

/**
 * Whether an indicator counts things ("Nombre de communes…", unit "communes"): such a value is
 * never negative. Until indicators carry a kind of their own, the label and unit tell.
 */
export function isCountIndicator(indicator: { label: string; unit: string | null }): boolean {
	const label = indicator.label.trim().toLowerCase();
	const unit = (indicator.unit ?? '').trim().toLowerCase();
	if (/^(nombre|nb)\b/.test(label)) return true;
	if (unit === '' || unit === '%' || /^(€|eur|euros?|points?|pourcentage|taux|ratio)\b/.test(unit))
		return false;
	// A plural noun as unit ("communes", "personnes", "sites"…) counts something.
	return /^[a-zà-ÿ’' -]+s$/.test(unit) || /^(nombre|nb)\b/.test(unit);
}

/** The three fields of an indicator's line in the partner's update form. */
export type MeasurementPart = 'date' | 'value' | 'comment';

/** The name of a field of an indicator's line in the partner's update form (`indicator_12_value`). */
export function indicatorField(id: number, part: MeasurementPart): string {
	return `indicator_${id}_${part}`;
}

/** The indicator and the part a field's name says (indicatorField read back); null for another. */
export function readIndicatorField(name: string): { id: number; part: MeasurementPart } | null {
	const match = /^indicator_(\d+)_(date|value|comment)$/.exec(name);
	return match ? { id: Number(match[1]), part: match[2] as MeasurementPart } : null;
}
