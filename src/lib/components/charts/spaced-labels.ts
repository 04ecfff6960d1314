/**
 * Which of the labels at positions `xs` (in order) an axis writes without overlap: the last
 * always; the first and those between when at least `gap` from the one kept before and from the
 * last; `max` at most. Returns their indexes. Shared by the server's SVG charts (line-geometry.ts)
 * and the Chart.js date axis (chart-setup.ts).
 */
export function spacedLabels(xs: number[], gap: number, max = Infinity): number[] {
	if (xs.length === 0) return [];
	const last = xs.length - 1;
	const kept: number[] = [];
	for (let i = 0; i < last && kept.length < max - 1; i++) {
		if (xs[last]! - xs[i]! < gap) break;
		if (kept.length > 0 && xs[i]! - xs[kept.at(-1)!]! < gap) continue;
		kept.push(i);
	}
	kept.push(last);
	return kept;
}
