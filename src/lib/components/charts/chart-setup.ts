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
