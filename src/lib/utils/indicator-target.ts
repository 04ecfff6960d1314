import {
	formatDate,
	formatEuros,
	formatExactNumber,
	formatPercent,
	formatQuantity
} from './format';
import type { IndicatorKind } from './indicator-kinds';

/**
 * An indicator's six definition fields, as the plan gives them: how its values are written and what
 * they aim at. Every other shape of an indicator extends this one (IndicatorDefinition).
 */
export interface TargetedIndicator {
	unit: string | null;
	kind: IndicatorKind;
	target: number | null;
	targetDate: string | null;
	baseline: number | null;
	baselineDate: string | null;
}

/**
 * An indicator's definition with its label: the fiche form's row (IndicatorInput), the fiche as
 * stored (IndicatorState), a row of the plan's workbook (IndicatorRow), a fiche's page (Indicator).
 */
export interface IndicatorDefinition extends TargetedIndicator {
	label: string;
}

/**
 * A value of an indicator (a measurement, a target, a baseline) as its kind reads, as typed and
 * stored, never rounded: « oui », « 42,125 % », « 1 200,50 € », « 3,125 km ». The one way a
 * value is written with its unit: fiche, dashboard, bilans, séance files, « Modifications ».
 */
export function indicatorValueText(
	kind: IndicatorKind,
	unit: string | null,
	value: number
): string {
	if (kind === 'boolean') return value === 1 ? 'oui' : 'non';
	if (kind === 'percentage') return `${formatExactNumber(value)}\u202f%`;
	if (kind === 'amount') return formatEuros(value);
	return formatQuantity(value, unit);
}

/** « 340 communes au 31 décembre 2027 », or null without a target. */
export function targetText(indicator: TargetedIndicator): string | null {
	if (indicator.target === null) return null;
	const value = indicatorValueText(indicator.kind, indicator.unit, indicator.target);
	return indicator.targetDate ? `${value} au ${formatDate(indicator.targetDate)}` : value;
}

export function baselineText(indicator: TargetedIndicator): string | null {
	if (indicator.baseline === null) return null;
	const value = indicatorValueText(indicator.kind, indicator.unit, indicator.baseline);
	return indicator.baselineDate ? `${value} au ${formatDate(indicator.baselineDate)}` : value;
}

/**
 * How far the latest value is from the target, in one French sentence, or null when there is no
 * target or no value yet. The share is measured from the baseline when there is one.
 */
export function targetGap(indicator: TargetedIndicator, latest: number | null): string | null {
	const { target, kind, unit } = indicator;
	if (target === null || latest === null) return null;
	if (kind === 'boolean')
		return latest === target
			? 'Cible atteinte.'
			: `Cible non atteinte (dernière valeur : ${indicatorValueText(kind, unit, latest)}).`;
	const start = indicator.baseline ?? 0;
	const rising = target >= start;
	const reached = rising ? latest >= target : latest <= target;
	if (reached)
		return latest === target
			? 'Cible atteinte.'
			: `Cible atteinte et dépassée de ${indicatorValueText(kind, unit, distance(latest, target))}.`;
	const left = `Reste ${indicatorValueText(kind, unit, distance(target, latest))} pour atteindre la cible`;
	const span = target - start;
	if (span === 0) return `${left}.`;
	const share = shareOfTheWay(((latest - start) / span) * 100);
	return `${left} (${share} du chemin parcouru${indicator.baseline !== null ? ' depuis la référence' : ''}).`;
}

/** How many digits a stored value has after its decimal point, as written: 10.25 has 2, 1e-7 has 7. */
function decimalsOf(value: number): number {
	const [digits = '', exponent = '0'] = String(value).split('e');
	return Math.max(0, (digits.split('.')[1]?.length ?? 0) - Number(exponent));
}

/**
 * |a − b| as one subtracts the two values as written, to the larger number of decimals of the two:
 * 10,3 − 10,1 is 0,2, not the 0,20000000000000107 of binary floating point, which
 * `indicatorValueText` would write in full (it keeps every decimal of a stored value).
 */
function distance(a: number, b: number): number {
	const decimals = Math.min(100, Math.max(decimalsOf(a), decimalsOf(b)));
	return Number(Math.abs(a - b).toFixed(decimals));
}

/**
 * The share of the way travelled toward a target not reached, in words: rounded, but never « 0 % »
 * once something was done nor « 100 % » before the target (« moins de 1 % », « plus de 99 % »).
 */
function shareOfTheWay(percent: number): string {
	if (percent <= 0) return formatPercent(0);
	if (percent < 1) return `moins de ${formatPercent(1)}`;
	if (percent > 99) return `plus de ${formatPercent(99)}`;
	return formatPercent(Math.round(percent));
}
