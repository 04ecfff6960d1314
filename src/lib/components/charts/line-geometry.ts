import { spacedLabels } from './spaced-labels';
import { formatNumber } from '../../utils/format';

/**
 * Geometry of a small line chart drawn as SVG on the server (no JavaScript): values placed from
 * left to right by their date (two measurements a month apart are closer than two a year apart), a
 * vertical scale from zero to a round maximum, an optional target line.
 */
export interface LineGeometry {
	width: number;
	height: number;
	plot: { left: number; right: number; top: number; bottom: number };
	points: { x: number; y: number; date: string; value: number }[];
	path: string;
	yTicks: { y: number; value: number; label: string }[];
	xLabels: { x: number; date: string }[];
	target: { y: number; value: number } | null;
}

const WIDTH = 640;
const HEIGHT = 240;
const MARGIN = { left: 64, right: 44, top: 16, bottom: 40 };
/**
 * What a character of a scale label takes at its 13-unit size (digits and the narrow spaces
 * between their groups, rounded up), and the gap before the plot: the left margin grows with the
 * widest label, or « 2 500 000 » would lose its first digits past the drawing's edge.
 */
const LABEL_CHARACTER = 8;
const LABEL_GAP = 8;
/** Date labels closer than this would overlap (a date is about 70 units wide). */
const MIN_LABEL_GAP = 90;
const MAX_X_LABELS = 6;

/**
 * The smallest of 1, 2, 2.5, 5 × 10ⁿ that is at least `value` (and at least 1); for whole numbers
 * (a count), without 2.5 below 10 (a scale of communes has no 2,5).
 */
export function roundMaximum(value: number, whole = false): number {
	if (!(value > 1)) return 1;
	const magnitude = 10 ** Math.floor(Math.log10(value));
	const steps = whole && magnitude < 10 ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
	for (const step of steps) if (step * magnitude >= value) return step * magnitude;
	return 10 * magnitude;
}

/** The scale's marks as fractions of its maximum: quarters, or for whole numbers whole steps. */
function tickFractions(max: number, whole: boolean): number[] {
	const parts = whole ? ([4, 5, 2, 3, 1].find((n) => max % n === 0) ?? 1) : 4;
	return Array.from({ length: parts + 1 }, (_, i) => i / parts);
}

export function lineGeometry(
	values: { date: string; value: number }[],
	target: number | null,
	{ whole = false }: { whole?: boolean } = {}
): LineGeometry {
	const max = roundMaximum(Math.max(0, target ?? 0, ...values.map((v) => v.value)), whole);
	const ticks = tickFractions(max, whole).map((f) => ({
		value: f * max,
		label: formatNumber(f * max)
	}));
	const widest = Math.max(...ticks.map((t) => t.label.length));
	const plot = {
		left: Math.max(MARGIN.left, LABEL_GAP * 2 + widest * LABEL_CHARACTER),
		right: WIDTH - MARGIN.right,
		top: MARGIN.top,
		bottom: HEIGHT - MARGIN.bottom
	};
	const y = (value: number) =>
		round(plot.bottom - (Math.max(0, value) / max) * (plot.bottom - plot.top));
	const days = values.map((v) => Date.parse(`${v.date}T00:00:00Z`));
	const first = Math.min(...days);
	const span = Math.max(...days) - first;
	const x = (index: number) =>
		round(
			span > 0
				? plot.left + ((days[index]! - first) / span) * (plot.right - plot.left)
				: (plot.left + plot.right) / 2
		);
	const points = values.map((v, i) => ({ x: x(i), y: y(v.value), date: v.date, value: v.value }));
	return {
		width: WIDTH,
		height: HEIGHT,
		plot,
		points,
		path: points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' '),
		yTicks: ticks.map((t) => ({ ...t, y: y(t.value) })),
		xLabels: dateLabels(points),
		target: target === null ? null : { y: y(target), value: target }
	};
}

/** The dates written under the axis: six at most, none overlapping (spacedLabels). */
function dateLabels(points: LineGeometry['points']): LineGeometry['xLabels'] {
	return spacedLabels(
		points.map((p) => p.x),
		MIN_LABEL_GAP,
		MAX_X_LABELS
	).map((i) => ({ x: points[i]!.x, date: points[i]!.date }));
}

function round(n: number): number {
	return Math.round(n * 10) / 10;
}
