import { structuralHistory } from '../authoring/structure';
import { listSittings } from '../commission/repository';
import type { Db } from '../db';
import { cachedByRevision } from '../db/revision-cache';
import { listEditions } from '../editions/repository';
import { formatDate, pluralize } from '../../utils/format';
import { parisDate } from '../../utils/dates';
import { listPlanEvents } from './repository';
import { closedSittingWords } from '../../utils/vocabulary';

/** One event of the plan's history, as the home page and `/historique` list it. */
export interface PlanEvent {
	occurredOn: string;
	title: string;
	body: string;
	source: string | null;
	link: { href: string; text: string } | null;
	/**
	 * When, within its day, it happened (a timestamp): a sitting closed, an edition published, a
	 * change of the structure saved. Events of one day follow that order; the register's, undated
	 * within their day, come first.
	 */
	at?: string;
}

/**
 * The plan's history, oldest first: the register's events, each closed sitting of the commission,
 * each published edition, and the changes of the plan's structure (fiches added, moved or
 * abandoned; axes, orientations and objectives added or moved). Put together once per change of
 * published data.
 */
export const planHistory = cachedByRevision(async (db: Db): Promise<PlanEvent[]> => {
	const [planEvents, sittings, editions, structure] = [
		await listPlanEvents(db),
		await listSittings(db, { closedOnly: true }),
		await listEditions(db, { publishedOnly: true }),
		await structuralHistory(db)
	];
	const events: PlanEvent[] = [
		...planEvents.map((e) => ({ ...e, link: null })),
		...sittings.map((s) => ({
			occurredOn: s.heldOn,
			at: s.closedAt ?? undefined,
			title: `Séance de la commission des usages numériques : ${s.decisionCount === 0 ? 'aucune décision' : pluralize(s.decisionCount, 'décision', 'décisions')}`,
			body: `${s.title} (${s.place}), séance close${closedSittingWords(s.decisionCount)}.`,
			source: null,
			// Named by its day, as the page it leads to: a list of identical links says nothing.
			link: {
				href: `/commission/seances/${s.id}`,
				text: `Relevé de décisions du ${formatDate(s.heldOn)}`
			}
		})),
		...editions.map((e) => ({
			occurredOn: e.publishedAt ? parisDate(new Date(e.publishedAt)) : e.asOf,
			at: e.publishedAt ?? undefined,
			title: `Bilan ${e.year} publié${e.version > 1 ? ` (version ${e.version})` : ''}`,
			body: `Chiffres arrêtés au ${formatDate(e.asOf)}.${e.changeNote ? ` Correction : ${e.changeNote}` : ''}`,
			source: null,
			// Its own version, named: `/bilans/2025` is the latest, which a correction replaces.
			link: {
				href: `/bilans/${e.year}?version=${e.version}`,
				text: `Bilan ${e.year}, version ${e.version}`
			}
		})),
		...structure
	];
	return events.sort(
		(a, b) => a.occurredOn.localeCompare(b.occurredOn) || (a.at ?? '').localeCompare(b.at ?? '')
	);
});
