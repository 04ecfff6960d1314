import { formatDate } from './format';
import type { IndicatorKind } from './indicator-kinds';
import { indicatorValueText } from './indicator-target';

/**
 * The one-sentence summary of an indicator's chart (its `aria-label`): how many values, over which
 * period, their range, the latest, and the target. The table beside the chart lists every value.
 */
export function indicatorSummary(
	label: string,
	{ kind, unit, target }: { kind: IndicatorKind; unit: string | null; target: number | null },
	points: { date: string; value: number }[]
): string {
	const withUnit = (n: number) => indicatorValueText(kind, unit, n);
	const goal = target === null ? '' : ` ; cible ${withUnit(target)}`;
	if (points.length === 0) return `${label} : aucune valeur publiée${goal}.`;
	const last = points.at(-1)!;
	if (points.length === 1)
		return `${label} : ${withUnit(last.value)} au ${formatDate(last.date)}${goal}.`;
	const values = points.map((p) => p.value);
	return (
		`${label} : ${points.length} valeurs du ${formatDate(points[0]!.date)} au ${formatDate(last.date)}, ` +
		`de ${withUnit(Math.min(...values))} à ${withUnit(Math.max(...values))} ; ` +
		`dernière valeur ${withUnit(last.value)}${goal}.`
	);
}
