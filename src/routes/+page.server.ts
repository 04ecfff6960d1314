import { getDb } from '$lib/server/db/instance';
import {
	findPlan,
	listAxes,
	listFiches,
	listObjectives,
	listOrientations,
	listPlanEvents
} from '$lib/server/plan/repository';
import type { PageServerLoad } from './$types';

// Nothing to interact with: rendered on the server only, no script sent (docs/performance.md).
export const csr = false;

export const load: PageServerLoad = async () => {
	const db = getDb();
	const [plan, axes, orientations, objectives, fiches, events] = [
		await findPlan(db),
		await listAxes(db),
		await listOrientations(db),
		await listObjectives(db),
		await listFiches(db),
		await listPlanEvents(db)
	];
	const tree = axes.map((axis) => ({
		...axis,
		orientations: orientations
			.filter((o) => o.axis === axis.code)
			.map((orientation) => ({
				...orientation,
				objectives: objectives
					.filter((o) => o.orientation === orientation.code)
					.map((objective) => ({
						...objective,
						fiches: fiches.filter((f) => f.objective === objective.number)
					}))
			}))
	}));
	const counts = {
		axes: axes.length,
		orientations: orientations.length,
		objectives: objectives.length,
		fiches: fiches.length,
		priority1: fiches.filter((f) => f.priority === 1).length,
		started: fiches.filter((f) => f.status !== 'a_lancer').length
	};
	return { plan, tree, counts, events };
};
