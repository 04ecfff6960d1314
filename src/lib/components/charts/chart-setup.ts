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
	type ChartConfiguration
} from 'chart.js';
import { formatDate, formatShortDate } from '$lib/utils/format';
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
Chart.defaults.color = '#161616';
// French numbers on the axes and in tooltips (« 1 000 », « 2,5 »), like the rest of the page.
Chart.defaults.locale = 'fr-FR';
// « Valeurs : 12 » with the French space before the colon (Chart.js writes « Valeurs: 12 »).
Chart.defaults.plugins.tooltip.callbacks.label = (item) =>
	`${item.dataset.label ? `${item.dataset.label}\u00a0: ` : ''}${item.formattedValue}`;

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

export function createChart(canvas: HTMLCanvasElement, chartConfig: ChartConfiguration): Chart {
	const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
	const config = withDayAxis(chartConfig);
	return new Chart(canvas, {
		...config,
		options: {
			...config.options,
			animation: reduceMotion ? false : config.options?.animation,
			responsive: true,
			maintainAspectRatio: false
		}
	});
}
