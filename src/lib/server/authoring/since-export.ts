import { formatDate } from '../../utils/format';
import type { PlanIds } from './import-repository';
import type { listRevisionsAfter } from './revisions-repository';

/**
 * What the plan's import reads of the revisions recorded after a workbook's export (read once per
 * check, latest first: `revisionsSinceExport`, plan-import.ts), to say a workbook out of date
 * rather than the person's edit wrong.
 */

export type RevisionAfter = Awaited<ReturnType<typeof listRevisionsAfter>>[number];

/** « le 4 décembre 2026 par Claire Martin » (`by` null: the day alone). */
export const whenAndWho = (at: string, by: string | null) =>
	`le ${formatDate(at)}${by ? ` par ${by}` : ''}`;

/** « le 4 décembre 2026 par Claire Martin (import d’un classeur) ». */
export function revisionWhenAndWho(revision: RevisionAfter): string {
	const how = revision.origin === 'import' ? ' (import d’un classeur)' : '';
	return `${whenAndWho(revision.createdAt, revision.userName)}${how}`;
}

/**
 * The axes, orientations and objectives added since the export (by their form, or another import:
 * their « created » revision, from `added`, the rows added since by « entity:id », read once per
 * check: latestRevisionOfRows, plan-import.ts), by « entity:key » (« axis:sobriete »,
 * « objective:18 »), with when and by whom: the workbook, which has no row for them, is out of
 * date, not cut short by the person (compareLevel, plan-diff.ts).
 */
export function structureAddedSinceExport(
	added: Map<string, RevisionAfter>,
	ids: PlanIds
): Map<string, string> {
	const said = new Map<string, string>();
	for (const [entity, byKey] of [
		['axis', ids.axes],
		['orientation', ids.orientations],
		['objective', ids.objectives]
	] as const)
		for (const [key, id] of byKey) {
			const revision = added.get(`${entity}:${id}`);
			if (revision) said.set(`${entity}:${key}`, revisionWhenAndWho(revision));
		}
	return said;
}
