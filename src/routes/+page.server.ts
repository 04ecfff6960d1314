import PlanEvents from '$lib/components/PlanEvents.svelte';
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
import { ficheListHtml } from '$lib/server/render/fiche-list';
import { fragmentHtml } from '$lib/server/render/kept-html';
import { HOME_PAGE_EVENTS } from '$lib/utils/rules';
import { renderedOnly } from '$lib/utils/rendered-only';
import type { PageServerLoad } from './$types';

// Nothing to interact with: rendered on the server only, no script sent (docs/performance.md).
export const csr = false;

/**
 * The plan, its tree and its latest events: read and put together once per change of published
 * data, with the HTML of each objective's fiches and of the events (FicheList and PlanEvents,
 * written by KeptHtml: most of what the page's own render cost on each request).
 */
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
					.map((objective) => {
						const own = fiches.filter((f) => f.objective === objective.number);
						return { ...objective, fiches: own, ficheList: ficheListHtml(own) };
					})
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
	const events = history.slice(-HOME_PAGE_EVENTS);
	return {
		plan,
		tree,
		counts,
		events,
		eventsHtml: fragmentHtml(PlanEvents, { events }),
		eventCount: history.length
	};
});

export const load: PageServerLoad = async (event) => renderedOnly(event, await homePage(getDb()));
