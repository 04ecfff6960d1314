import { dashboardCharts } from '$lib/components/charts/dashboard-charts';
import { getDb } from '$lib/server/db/instance';
import { keyedByRevision } from '$lib/server/db/revision-cache';
import { parisToday } from '$lib/utils/dates';
import { asPublicFile } from '$lib/server/opendata/http';
import { liveDashboard } from '$lib/server/opendata/published';
import type { RequestHandler } from './$types';

/** The live dashboard's charts, written once per change of published data and per day. */
const chartsJson = keyedByRevision<string, string>(
	async (db) => JSON.stringify(dashboardCharts((await liveDashboard(db)).view)),
	1
);

/** The dashboard's charts, drawn by its page's script (ChartsScript.svelte). */
export const GET: RequestHandler = async () =>
	asPublicFile(
		new Response(await chartsJson(getDb(), parisToday()), {
			headers: { 'Content-Type': 'application/json; charset=utf-8' }
		})
	);
