import { parisToday } from '$lib/utils/dates';
import { getDb } from '$lib/server/db/instance';
import { liveDashboard } from '$lib/server/opendata/published';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { view } = await liveDashboard(getDb());
	return { view, today: parisToday() };
};
