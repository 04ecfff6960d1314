import Dashboard from '$lib/components/charts/Dashboard.svelte';
import { parisToday } from '$lib/utils/dates';
import { formatDate } from '$lib/utils/format';
import { getDb } from '$lib/server/db/instance';
import type { DashboardView } from '$lib/server/dashboard/tables';
import { liveDashboard } from '$lib/server/opendata/published';
import { fragmentHtml, inAnswer, keptFragment, type KeptHtml } from '$lib/server/render/kept-html';
import { renderedOnly } from '$lib/utils/rendered-only';
import type { PageServerLoad } from './$types';

/**
 * Rendered on the server only: nothing in it needs SvelteKit's client but its charts, which
 * ChartsScript.svelte draws from `/tableau-de-bord/graphiques.json`. No hydration script, no
 * hydration data (renderedOnly: not walked by the serialiser).
 */
export const csr = false;

/**
 * The figures (Dashboard.svelte, most of the page: every table of every figure) rendered once per
 * view of the dashboard, which is itself computed once per change of the published data and per
 * day, instead of on every request (docs/performance.md, « figures rendered once per change »).
 */
function figuresHtml(view: DashboardView, today: string): KeptHtml {
	return keptFragment(view, today, () =>
		fragmentHtml(Dashboard, {
			tables: view.tables,
			indicators: view.indicators,
			period: `au ${formatDate(today)}`,
			fileHref: (file: string) => `/tableau-de-bord/${file}`
		})
	);
}

export const load: PageServerLoad = async (event) => {
	const { view } = await liveDashboard(getDb());
	const today = parisToday();
	return renderedOnly(event, { view, today, figures: inAnswer(event, figuresHtml(view, today)) });
};
