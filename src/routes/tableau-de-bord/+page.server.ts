import { parisToday } from '$lib/utils/dates';
import { getDb } from '$lib/server/db/instance';
import { liveDashboard } from '$lib/server/opendata/published';
import { renderedOnly } from '$lib/utils/rendered-only';
import type { PageServerLoad } from './$types';

/**
 * Rendered on the server only: nothing in it needs SvelteKit's client but its charts, which
 * ChartsScript.svelte draws from `/tableau-de-bord/graphiques.json`. No hydration script, no
 * hydration data (renderedOnly: not walked by the serialiser).
 */
export const csr = false;

export const load: PageServerLoad = async (event) => {
	const { view } = await liveDashboard(getDb());
	return renderedOnly(event, { view, today: parisToday() });
};
