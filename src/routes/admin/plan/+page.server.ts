import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/instance';
import { listFiches, listObjectives, listOrientations } from '$lib/server/plan/repository';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'plan.edit');
	const db = getDb();
	const [orientations, objectives, fiches] = [
		await listOrientations(db),
		await listObjectives(db),
		await listFiches(db)
	];
	return {
		orientations: orientations.map((orientation) => ({
			...orientation,
			objectives: objectives
				.filter((o) => o.orientation === orientation.code)
				.map((objective) => ({
					...objective,
					fiches: fiches.filter((f) => f.objective === objective.number)
				}))
		}))
	};
};
