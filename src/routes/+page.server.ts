import { getDb } from '$lib/server/db/instance';
import { cachedByRevision } from '$lib/server/db/revision-cache';
import { planHistory } from '$lib/server/plan/history';
import {
	findPlan,
	listAxes,
	listFiches,
	listObjectives,
	listOrientations
} from '$lib/server/plan/repository';
import { HOME_PAGE_EVENTS } from '$lib/utils/rules';
import { renderedOnly } from '$lib/utils/rendered-only';
import type { PageServerLoad } from './$types';

// Nothing to interact with: rendered on the server only, no script sent (docs/performance.md).
export const csr = false;

/** The plan, its tree and its latest events: read and put together once per change of published data. */
const homePage = cachedByRevision(async (db) => {
	const [plan, axes, orientations, objectives, fiches, history] = [
		await findPlan(db),
		await listAxes(db),
		await listOrientations(db),
		await listObjectives(db),
		await listFiches(db),
		await planHistory(db)
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
		// Neither to start nor abandoned (an abandoned fiche was often never started).
		started: fiches.filter((f) => f.status !== 'a_lancer' && f.status !== 'abandonnee').length
	};
	// The latest events, oldest first; /historique lists them all.
	return {
		plan,
		tree,
		counts,
		events: history.slice(-HOME_PAGE_EVENTS),
		eventCount: history.length
	};
});

export const load: PageServerLoad = async (event) => renderedOnly(event, await homePage(getDb()));
