import { structuralHistory } from '$lib/server/authoring/service';
import { listSittings } from '$lib/server/commission/repository';
import { getDb } from '$lib/server/db/instance';
import { cachedByRevision } from '$lib/server/db/revision-cache';
import { listEditions } from '$lib/server/editions/repository';
import {
	findPlan,
	listAxes,
	listFiches,
	listObjectives,
	listOrientations,
	listPlanEvents
} from '$lib/server/plan/repository';
import { formatDate, pluralize } from '$lib/utils/format';
import { renderedOnly } from '$lib/utils/rendered-only';
import type { PageServerLoad } from './$types';

// Nothing to interact with: rendered on the server only, no script sent (docs/performance.md).
export const csr = false;

/** The plan, its tree and its history: read and put together once per change of published data. */
const homePage = cachedByRevision(async (db) => {
	const [plan, axes, orientations, objectives, fiches, planEvents, sittings, editions, structure] =
		[
			await findPlan(db),
			await listAxes(db),
			await listOrientations(db),
			await listObjectives(db),
			await listFiches(db),
			await listPlanEvents(db),
			await listSittings(db, { closedOnly: true }),
			await listEditions(db, { publishedOnly: true }),
			await structuralHistory(db)
		];
	// The plan's history: the register's events, then each closed sitting of the commission and
	// each published edition, in the order of their dates.
	const events = [
		...planEvents.map((e) => ({ ...e, link: null })),
		...sittings.map((s) => ({
			occurredOn: s.heldOn,
			title: `Séance de la commission des usages numériques : ${pluralize(s.decisionCount, 'décision', 'décisions')}`,
			body: `${s.title} (${s.place}), séance close : ses décisions ont pris effet.`,
			source: null,
			link: { href: `/commission/seances/${s.id}`, text: 'Relevé de décisions' }
		})),
		...editions.map((e) => ({
			occurredOn: (e.publishedAt ?? e.asOf).slice(0, 10),
			title: `Bilan ${e.year} publié${e.version > 1 ? ` (version ${e.version})` : ''}`,
			body: `Chiffres arrêtés au ${formatDate(e.asOf)}.${e.changeNote ? ` Correction : ${e.changeNote}` : ''}`,
			source: null,
			link: {
				href: `/bilans/${e.year}${e.version > 1 ? `?version=${e.version}` : ''}`,
				text: `Bilan ${e.year}`
			}
		})),
		// Changes of the plan's structure: fiches added, moved or abandoned; axes, orientations and
		// objectives added or moved.
		...structure
	].sort((a, b) => a.occurredOn.localeCompare(b.occurredOn));
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
	return { plan, tree, counts, events };
});

export const load: PageServerLoad = async (event) => renderedOnly(event, await homePage(getDb()));
