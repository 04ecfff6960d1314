import { computeDashboard } from '$lib/server/dashboard/figures';
import { loadDashboardInput } from '$lib/server/dashboard/repository';
import { figureTables } from '$lib/server/dashboard/tables';
import { getDb } from '$lib/server/db/instance';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const figures = computeDashboard(await loadDashboardInput(getDb()));
	return { figures, tables: figureTables(figures), today: new Date().toISOString().slice(0, 10) };
};
