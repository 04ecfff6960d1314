import { getDb } from '$lib/server/db/instance';
import { liveDashboard } from '$lib/server/opendata/published';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { figures, tables } = await liveDashboard(getDb());
	return { figures, tables, today: new Date().toISOString().slice(0, 10) };
};
