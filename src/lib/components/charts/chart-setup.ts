// Registers only the Chart.js parts the portal draws (bars and lines), never the auto-registering bundle.
import {
	BarController,
	BarElement,
	CategoryScale,
	Chart,
	Legend,
	LinearScale,
	LineController,
	LineElement,
	PointElement,
	Tooltip,
	type ChartConfiguration,
	type ChartDataset,
	type Scale
} from 'chart.js';
import { formatDate, formatNumber, formatShortDate } from '$lib/utils/format';
import { indicatorValueText } from '$lib/utils/indicator-target';
import type { IndicatorKind } from '$lib/utils/indicator-kinds';
import { wrapLabel } from './configs';
import { spacedLabels } from './spaced-labels';

Chart.register(
	BarController,
	BarElement,
	CategoryScale,
	LinearScale,
	LineController,
	LineElement,
	PointElement,
	Legend,
	Tooltip
);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
const TEXT = '#161616';
/** Chart.js's own grid colour. */
const GRID = 'rgba(0, 0, 0, 0.1)';
// French numbers on the axes (« 1 000 », « 2,5 »), like the rest of the page.
Chart.defaults.locale = 'fr-FR';

/** How a chart marked `valueText` (configs.ts) writes its values: as its indicator's table does. */
type ValueText = { kind: IndicatorKind; unit: string | null };

/**
 * A tooltip's line: « Valeurs : 1 250,5 communes », with the French space before the colon
 * (Chart.js writes « Valeurs: 12 ») and the value written by the project's formatter, as the
 * table beside the chart writes it (Chart.js's own format was not: « 1250,5 », no unit); a chart
 * `valueText` marks writes it with its kind and unit (indicatorValueText), others formatNumber.
 */
export function tooltipLabel(valueText?: ValueText) {
	return (item: { dataset: { label?: string }; raw: unknown }): string => {
		const raw = item.raw;
		const value = typeof raw === 'number' ? raw : (raw as { y?: unknown } | null)?.y;
		const text =
			typeof value !== 'number'
				? ''
				: valueText
					? indicatorValueText(valueText.kind, valueText.unit, value)
					: formatNumber(value);
		return `${item.dataset.label ? `${item.dataset.label}\u00a0: ` : ''}${text}`;
	};
}
Chart.defaults.plugins.tooltip.callbacks.label = tooltipLabel();

/** A chart marked `valueText` (configs.ts): its tooltips write values with its kind and unit. */
export function withValueText(config: ChartConfiguration): ChartConfiguration {
	const plugins = (config.options?.plugins ?? {}) as Record<string, unknown>;
	const valueText = plugins.valueText as ValueText | undefined;
	if (!valueText) return config;
	const tooltip = (plugins.tooltip ?? {}) as { callbacks?: object };
	return {
		...config,
		options: {
			...config.options,
			plugins: {
				...config.options?.plugins,
				tooltip: {
					...tooltip,
					callbacks: { ...tooltip.callbacks, label: tooltipLabel(valueText) }
				}
			}
		}
	} as ChartConfiguration;
}

const DAY_MS = 86_400_000;
const dayIso = (day: number) => new Date(Math.round(day) * DAY_MS).toISOString().slice(0, 10);

/** A date label is about this wide: ticks closer than it would overlap. */
const LABEL_PX = 80;

/**
 * The days written under the axis: none overlapping on an axis `width` pixels wide (spacedLabels).
 */
function spacedDays(days: number[], width: number): number[] {
	const span = days.length > 1 ? days.at(-1)! - days[0]! : 0;
	const gap = (span * LABEL_PX) / Math.max(width, LABEL_PX);
	return spacedLabels(days, gap).map((i) => days[i]!);
}

/**
 * A chart marked `dayAxis` (configs.ts, indicatorChart): its linear x axis counts days since 1970.
 * Its ticks stand at the measurements' own days, written « 30/06/2019 » (Chart.js hides those that
 * would overlap), and a tooltip is titled with the day in words.
 */
export function withDayAxis(config: ChartConfiguration): ChartConfiguration {
	const plugins = (config.options?.plugins ?? {}) as Record<string, unknown>;
	if (!plugins.dayAxis) return config;
	const days = [
		...new Set((config.data.datasets[0]?.data ?? []).map((point) => (point as { x: number }).x))
	];
	const x = (config.options?.scales?.x ?? {}) as Record<string, unknown>;
	return {
		...config,
		options: {
			...config.options,
			scales: {
				...config.options?.scales,
				x: {
					...x,
					type: 'linear',
					// One day's width around a single value, so that it stands in the middle.
					...(days.length === 1 ? { min: days[0]! - 1, max: days[0]! + 1 } : {}),
					afterBuildTicks: (scale: { ticks: { value: number }[]; maxWidth?: number }) => {
						scale.ticks = spacedDays(days, scale.maxWidth ?? 600).map((value) => ({ value }));
					},
					ticks: { callback: (value: number | string) => formatShortDate(dayIso(Number(value))) }
				}
			},
			plugins: {
				...config.options?.plugins,
				tooltip: {
					callbacks: {
						title: (items: { parsed: { x: number | null } }[]) =>
							items[0]?.parsed.x == null ? '' : formatDate(dayIso(items[0].parsed.x))
					}
				}
			}
		}
	} as ChartConfiguration;
}

/**
 * The room (px) a horizontal bar chart leaves its labels: Chart.js gives the y axis at most half
 * the chart's width, its tick marks (8 px) and their padding (3 px) included.
 */
const labelRoom = (chartWidth: number) => chartWidth / 2 - 16;

/**
 * A label's `lines` as they are when each fits in `room`, else cut again at that width; a line
 * the server put apart in brackets (« (non évalué) ») stays apart.
 */
function fittedLines(lines: string[], room: number, measure: (text: string) => number): string[] {
	if (lines.every((line) => measure(line) <= room)) return lines;
	const groups: string[][] = [];
	for (const line of lines)
		if (line.startsWith('(') || groups.length === 0) groups.push([line]);
		else groups.at(-1)!.push(line);
	return groups.flatMap((group) => wrapLabel(group.join(' '), room, measure));
}

/**
 * A horizontal bar chart (`indexAxis: 'y'`): the lines of its labels, cut on the server at 22
 * characters (configs.ts, wrapLabel), are cut again, in pixels, when one is wider than the room
 * the canvas leaves them: Chart.js draws a longer line past the canvas' left edge (at 320 px
 * « Transformation vers » lost its T). Worked out at each drawing, so a phone turned gets lines
 * of its new width.
 */
function withFittedLabels(config: ChartConfiguration): ChartConfiguration {
	if (config.options?.indexAxis !== 'y') return config;
	const y = (config.options.scales?.y ?? {}) as Record<string, unknown>;
	return {
		...config,
		options: {
			...config.options,
			scales: {
				...config.options.scales,
				y: {
					...y,
					ticks: {
						...(y.ticks as object),
						callback(this: Scale, value: number | string) {
							const label = this.getLabelForValue(Number(value)) as string | string[];
							const context = this.ctx;
							context.save();
							context.font = `${Chart.defaults.font.size}px ${Chart.defaults.font.family}`;
							const lines = fittedLines(
								Array.isArray(label) ? label : [label],
								labelRoom(this.chart.width),
								(text) => context.measureText(text).width
							);
							context.restore();
							return lines;
						}
					}
				}
			}
		}
	} as ChartConfiguration;
}

/**
 * Forced colours (Windows high contrast, light or dark): the page takes the user's colours, but a
 * canvas keeps the pixels it was given, and #161616 text on a black theme could not be seen. The
 * charts then draw with the system colours of the user's theme (CSS Color 4): text in CanvasText,
 * the grid in a faint CanvasText, the series in the colours below by their order (a status chart has five:
 * the fifth is striped, Canvas borders part the stacked bars). Read when the chart is drawn and
 * again when the mode changes; the tables beside the charts keep the figures either way.
 */
const FORCED_COLOURS = '(forced-colors: active)';
const FORCED_SERIES = ['Highlight', 'CanvasText', 'LinkText', 'GrayText'] as const;

/** A CSS colour (a system colour: « CanvasText ») as the page resolves it now, for the canvas. */
function systemColour(name: string): string {
	const probe = document.createElement('span');
	probe.style.color = name;
	// Under forced colours an element's own colour is forced too: the probe keeps the one asked for.
	probe.style.forcedColorAdjust = 'none';
	document.body.append(probe);
	const colour = getComputedStyle(probe).color;
	probe.remove();
	return colour;
}

/** Stripes of `colour` on `background`: the fifth series under forced colours. */
function stripes(colour: string, background: string): CanvasPattern | string {
	const tile = document.createElement('canvas');
	tile.width = tile.height = 8;
	const context = tile.getContext('2d');
	if (!context) return colour;
	context.fillStyle = background;
	context.fillRect(0, 0, 8, 8);
	context.strokeStyle = colour;
	context.lineWidth = 3;
	context.beginPath();
	context.moveTo(-2, 10);
	context.lineTo(10, -2);
	context.stroke();
	return context.createPattern(tile, 'repeat') ?? colour;
}

type Colours = Pick<ChartDataset, 'backgroundColor' | 'borderColor' | 'borderWidth'>;

/** The colours of a chart's `index`th series under forced colours. */
function forcedSeries(index: number, line: boolean): Colours {
	const canvas = systemColour('Canvas');
	const name = FORCED_SERIES[index % (FORCED_SERIES.length + 1)];
	const colour = name ? systemColour(name) : stripes(systemColour('CanvasText'), canvas);
	return line
		? { borderColor: colour, backgroundColor: colour }
		: { backgroundColor: colour, borderColor: canvas, borderWidth: 1 };
}

/** Text, grid and series in the system's colours under forced colours, else in the design's. */
function paint(datasets: ChartDataset[], own: Colours[], line: boolean, forced: boolean): void {
	Chart.defaults.color = forced ? systemColour('CanvasText') : TEXT;
	// Faint, like the design's grid: GrayText would read as one of the series.
	Chart.defaults.borderColor = forced
		? systemColour('CanvasText').replace(/^rgb\((.*)\)$/, 'rgba($1, 0.35)')
		: GRID;
	datasets.forEach((dataset, i) => Object.assign(dataset, forced ? forcedSeries(i, line) : own[i]));
}

/**
 * Draws `chartConfig` on `canvas`, in the system's colours while forced colours are on; drawn again
 * when they start or end (Chart.js's update() kept the axes' text in the colours it had drawn them
 * with). The handle destroys the chart in place at the time and stops listening.
 */
export function createChart(
	canvas: HTMLCanvasElement,
	chartConfig: ChartConfiguration
): { destroy(): void } {
	const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
	const forcedColours = window.matchMedia(FORCED_COLOURS);
	const config = withFittedLabels(withValueText(withDayAxis(chartConfig)));
	const datasets = config.data.datasets;
	const own = datasets.map(({ backgroundColor, borderColor, borderWidth }) => ({
		backgroundColor,
		borderColor,
		borderWidth
	}));
	const draw = (animated: boolean) => {
		paint(datasets, own, config.type === 'line', forcedColours.matches);
		return new Chart(canvas, {
			...config,
			options: {
				...config.options,
				animation: reduceMotion || !animated ? false : config.options?.animation,
				responsive: true,
				maintainAspectRatio: false
			}
		});
	};
	let chart = draw(true);
	const redraw = () => {
		chart.destroy();
		chart = draw(false);
	};
	forcedColours.addEventListener('change', redraw);
	return {
		destroy() {
			forcedColours.removeEventListener('change', redraw);
			chart.destroy();
		}
	};
}
