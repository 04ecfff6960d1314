// The charts of a page rendered without SvelteKit's client (`csr = false`: the dashboard and the
// editions): loaded by the page as its one script (src/lib/components/charts/ChartsScript.svelte),
// it fetches the page's charts (`graphiques.json`, named by the head's preload link) and draws each
// canvas that names one, so the rest of the page is not hydrated.
import type { ChartConfiguration } from 'chart.js';
import { createChart } from '../components/charts/chart-setup';
import { focusableWhenScrolling } from './focusable-when-scrolling';

async function drawCharts(): Promise<void> {
	const source = document.querySelector<HTMLLinkElement>('link[data-charts]')?.href;
	const canvases = document.querySelectorAll<HTMLCanvasElement>('canvas[data-chart]');
	if (!source || canvases.length === 0) return;
	const response = await fetch(source);
	// Without its data a chart's area stays collapsed, as without JavaScript: the tables remain.
	if (!response.ok) throw new Error(`Graphiques indisponibles : ${response.status} sur ${source}`);
	const charts = (await response.json()) as Record<string, ChartConfiguration>;
	for (const canvas of canvases) {
		const config = charts[canvas.dataset.chart ?? ''];
		const area = canvas.parentElement;
		if (!config || !area) continue;
		// Without JavaScript the chart's area stays collapsed; with it, it gets its height.
		area.classList.add('scripted');
		area.style.height = `${area.dataset.height}px`;
		createChart(canvas, config);
		// Lets the PDF report (and tests) wait until every chart is drawn.
		canvas.dataset.drawn = 'true';
	}
}

// The page is not hydrated: its tables' scrolling areas are made tab stops only while they scroll here.
for (const area of document.querySelectorAll<HTMLElement>('.table-scroll'))
	focusableWhenScrolling(area);
void drawCharts().catch((error: unknown) => console.error(error));
