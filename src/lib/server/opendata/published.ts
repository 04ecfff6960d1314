import { daysBefore, parisDayEnd, parisToday } from '../../utils/dates';
import { cachedByRevision, keyedByRevision } from '../db/revision-cache';
import type { Db } from '../db';
import { getDataRevision } from '../db/revision';
import { computeDashboard } from '../dashboard/figures';
import { loadDashboardInput } from '../dashboard/repository';
import { dashboardView, figureTables } from '../dashboard/tables';
import { findPublishedFile } from '../editions/repository';
import { OpenDataSet, StaleOpenData, type OpenDataFile } from './resources';

/** The live open data: one set of files per change of published data, each built on first demand. */
const liveOpenData = cachedByRevision(async (db) => {
	const revision = await getDataRevision(db);
	return new OpenDataSet(db, {
		generatedAt: revision?.changedAt ?? new Date(0).toISOString(),
		revision: revision?.revision ?? 0
	});
});

/**
 * Reads the live open data: `use` is given the set of the current state. A change of published
 * data committed while the set was being built makes its reading stale (StaleOpenData): it is read
 * again from the set of the new state, so that every file comes from one state.
 */
export async function readLiveOpenData<T>(
	db: Db,
	use: (set: OpenDataSet) => Promise<T>
): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await use(await liveOpenData(db));
		} catch (e) {
			if (!(e instanceof StaleOpenData) || attempt === 5) throw e;
		}
	}
}

/**
 * One open-data file as `/donnees/…` serves it, or with `year` as the published edition of that
 * year froze it (its latest version, or `version`; `version` says which one it is). The endpoints
 * and `npm run export` all call this, so they give the same bytes.
 */
export async function openDataFile(
	db: Db,
	name: string,
	edition?: { year: number; version?: number }
): Promise<
	| (Pick<OpenDataFile, 'name' | 'body'> & {
			version?: number;
			/** When its bytes may last have changed: the set's change of published data, or the publication. */
			modifiedAt: string;
	  })
	| undefined
> {
	if (!edition)
		return readLiveOpenData(db, async (set) => {
			const file = await set.file(name);
			return file && { name, body: file.body, modifiedAt: set.options.generatedAt };
		});
	const stored = await findPublishedFile(db, edition.year, name, edition.version);
	return (
		stored && { name, body: stored.body, version: stored.version, modifiedAt: stored.publishedAt }
	);
}

/**
 * An edition's frozen data package as its address asks for it by version
 * (`/bilans/2019/datapackage.json?version=1`): each resource's path names that version too, since
 * relative paths alone lead from that address to the latest version's files, whose sizes and hashes
 * are not the ones it states once a correction is published. Exported (`npm run export`), the
 * package stays as frozen: its paths name the files saved beside it.
 */
export function packageOfVersion(body: Uint8Array, version: number): Uint8Array {
	const descriptor = JSON.parse(Buffer.from(body).toString('utf8')) as {
		resources: { path: string }[];
	};
	for (const resource of descriptor.resources) resource.path += `?version=${version}`;
	return Buffer.from(`${JSON.stringify(descriptor, null, '\t')}\n`, 'utf8');
}

/** The files an edition's frozen data package lists (`mises-a-jour.csv`…), in its order. */
export function packageFiles(body: Uint8Array): string[] {
	const descriptor = JSON.parse(Buffer.from(body).toString('utf8')) as {
		resources: { path: string }[];
	};
	return descriptor.resources.map((r) => r.path);
}

/**
 * When published data last changed, read after what it dates (so never older than it): the live
 * files' Last-Modified, as the open-data files' (`generatedAt`).
 */
export async function publishedDataChangedAt(db: Db): Promise<string> {
	return (await getDataRevision(db))?.changedAt ?? new Date(0).toISOString();
}

/**
 * The dashboard's figures and tables, and the page's view of them, as of a day (the quarterly
 * series runs to its quarter): kept per change of published data and per day. `modifiedAt`, its
 * workbooks' Last-Modified: the last change of published data, or the start of that day in Paris
 * when later, since the figures (a fiche late, the quarter running) and the workbook's « au … »
 * are of the day.
 */
const dashboardOn = keyedByRevision(async (db, today: string) => {
	const figures = computeDashboard(await loadDashboardInput(db), today);
	const tables = figureTables(figures);
	const changedAt = await publishedDataChangedAt(db);
	const dayStart = parisDayEnd(daysBefore(today, 1));
	const modifiedAt = Date.parse(changedAt) > Date.parse(dayStart) ? changedAt : dayStart;
	return { figures, tables, view: dashboardView(figures, tables), modifiedAt };
}, 1);

/** The live dashboard: today's in Paris. */
export const liveDashboard = (db: Db) => dashboardOn(db, parisToday());
