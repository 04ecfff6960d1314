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

export function createChart(canvas: HTMLCanvasElement, config: ChartConfiguration): Chart {
	const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
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
