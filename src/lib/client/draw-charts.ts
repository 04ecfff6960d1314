// The charts of a page rendered without SvelteKit's client (`csr = false`: the editions): loaded by
// the page as its one script (src/lib/components/charts/ChartsScript.svelte), it draws every canvas
// that Chart.svelte rendered with its configuration, so the rest of the page is not hydrated.
import type { ChartConfiguration } from 'chart.js';
import { createChart } from '../components/charts/chart-setup';

for (const canvas of document.querySelectorAll<HTMLCanvasElement>(
	'canvas[data-chart]:not([data-drawn])'
)) {
	const area = canvas.parentElement;
	if (!area) continue;
	// Without JavaScript the chart's area stays collapsed; with it, it gets its height (Chart.svelte).
	area.classList.add('scripted');
	area.style.height = `${area.dataset.height}px`;
	createChart(canvas, JSON.parse(canvas.dataset.chart ?? '{}') as ChartConfiguration);
	// Lets the PDF report (and tests) wait until every chart is drawn.
	canvas.dataset.drawn = 'true';
}
