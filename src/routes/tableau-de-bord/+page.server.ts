import { parisToday } from '$lib/utils/dates';
import { getDb } from '$lib/server/db/instance';
import { dashboardView } from '$lib/server/dashboard/tables';
import { liveDashboard } from '$lib/server/opendata/published';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { figures, tables } = await liveDashboard(getDb());
	return { ...dashboardView(figures, tables), today: parisToday() };
};
