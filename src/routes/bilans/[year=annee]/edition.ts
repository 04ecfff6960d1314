import { error } from '@sveltejs/kit';
import { dashboardCharts } from '$lib/components/charts/dashboard-charts';
import type { Executor } from '$lib/server/db';
import { originSetting } from '$lib/server/config.js';
import { getDb } from '$lib/server/db/instance';
import { keyedByRevision } from '$lib/server/db/revision-cache';
import { editionPage } from '$lib/server/editions/snapshot';
import { listFicheMoves } from '$lib/server/authoring/revisions-repository';
import { redirectToMovedFiche } from '$lib/server/http/moved-fiche';
import { NO_SUCH_FILE } from '$lib/server/opendata/http';
import { openDataFile, packageFiles, packageOfVersion } from '$lib/server/opendata/published';
import {
	countUpdatesValidatedAfter,
	findFrozenFiche,
	findPublishedFile,
	findPublishedSnapshot,
	listSittingsClosedAfter,
	listVersions
} from '$lib/server/editions/repository';

/**
 * The year and version named by the URL (`/bilans/2019`, `?version=1`), or a French 404 naming
 * what is wrong: a version that is not a number (`?version=abc`) is told as such.
 */
function editionKey(yearParam: string, url: URL): { year: number; version: number | undefined } {
	return editionKeyOf(yearParam, url.searchParams.get('version'));
}

function editionKeyOf(
	yearParam: string,
	versionParam: string | null
): { year: number; version: number | undefined } {
	if (versionParam !== null && !/^\d{1,4}$/.test(versionParam))
		error(
			404,
			`Cette version du bilan ${yearParam} n’existe pas : les versions sont numérotées 1, 2…`
		);
	return {
		year: Number(yearParam),
		version: versionParam === null ? undefined : Number(versionParam)
	};
}

function notPublished(year: number, version: number | undefined): never {
	error(
		404,
		`Aucun bilan ${year} n’est publié${version === undefined ? '' : ` en version ${version}`}.`
	);
}

/** The published edition named by the URL, as its page shows it. */
export async function publishedEdition(yearParam: string, url: URL) {
	return publishedEditionOf(yearParam, url.searchParams.get('version'));
}

/** The published edition of a year and a version (`?version=`; the latest when null). */
async function publishedEditionOf(yearParam: string, versionParam: string | null) {
	const { year, version } = editionKeyOf(yearParam, versionParam);
	return (await findPublishedSnapshot(getDb(), year, version)) ?? notPublished(year, version);
}

/** One open-data file of the published edition named by the URL, as frozen at publication. */
export async function publishedFile(yearParam: string, name: string, url: URL) {
	const { year, version } = editionKey(yearParam, url);
	const file = await openDataFile(getDb(), name, { year, version });
	if (file)
		return {
			...file,
			year,
			body:
				name === 'datapackage' && version !== undefined
					? packageOfVersion(file.body, version)
					: file.body
		};
	return (await findPublishedSnapshot(getDb(), year, version))
		? error(404, NO_SUCH_FILE)
		: notPublished(year, version);
}

/**
 * One fiche as the published edition named by the URL froze it (`/bilans/2018/fiches/17-1`): its
 * place in the plan, texts, owners, partners, links and indicators as they stood at publication,
 * and its year in the edition (status, advancement, every validated update of the year). Asked
 * for by a code the fiche took later (moved to another objective since: the live pages and files
 * give it), redirected (307, query kept) to the page under the edition's own code.
 */
export async function publishedFiche(yearParam: string, code: string, url: URL) {
	const { year, version } = editionKey(yearParam, url);
	const page = await frozenFiche(getDb(), `${year}|${code}|${version ?? ''}`);
	if (page.editionCode !== null) redirectToMovedFiche(url, code, page.editionCode);
	return page;
}

/** Kept once per change (a published edition never changes; a new version is a change). */
const frozenFiche = keyedByRevision(async (db, key: string) => {
	const [yearText = '', code = '', versionText = ''] = key.split('|');
	const year = Number(yearText);
	const version = versionText === '' ? undefined : Number(versionText);
	const edition = (await findFrozenFiche(db, year, code, version)) ?? notPublished(year, version);
	const fiche = frozenFicheOf(edition, code);
	if (!edition.plan || !fiche || !edition.texts) {
		const editionCode = await editionCodeOf(db, edition, code);
		if (editionCode) return { editionCode };
		error(404, `La fiche ${code} ne figure pas dans le bilan ${year}.`);
	}
	const versions = await listVersions(db, year);
	const objective = edition.plan.objectives.find((o) => o.number === fiche.objective);
	const orientation = edition.plan.orientations.find((o) => o.code === objective?.orientation);
	const axis = edition.plan.axes.find((a) => a.code === orientation?.axis);
	return {
		// Asked for by the edition's own code: no redirect (publishedFiche).
		editionCode: null,
		edition: {
			year: edition.year,
			version: edition.version,
			asOf: edition.asOf,
			publishedAt: edition.publishedAt ?? ''
		},
		fiche,
		ficheYear: edition.ficheYear ?? null,
		texts: edition.texts,
		place: { axis, orientation, objective },
		// Validated after the publication, an update of the edition's period is not in it: said.
		laterUpdates: edition.publishedAt
			? ((
					await countUpdatesValidatedAfter(db, {
						from: `${year}-01-01`,
						to: edition.asOf,
						after: edition.publishedAt,
						code: (await codesNow(db, [code])).get(code)
					})
				)[0]?.updates ?? 0)
			: 0,
		// A later version says, on this one's fiches too, that it replaced it.
		versions,
		latestHref: await latestPageOf(db, year, code, edition.version, versions)
	};
}, 64);

/** The fiche of a frozen edition when it has its page there: in its plan, with its texts. */
function frozenFicheOf(edition: Awaited<ReturnType<typeof findFrozenFiche>>, code: string) {
	const fiche = edition?.plan?.fiches.find((f) => f.code === code);
	return fiche && edition?.texts ? fiche : undefined;
}

/**
 * The code an edition gave a fiche that `code` names now or named later (moved since, once or
 * more: both codes lead to the code it has today), when the edition's plan has it; undefined
 * otherwise.
 */
async function editionCodeOf(
	db: Executor,
	edition: Awaited<ReturnType<typeof findFrozenFiche>>,
	code: string
): Promise<string | undefined> {
	const codes = (edition?.plan?.fiches ?? []).map((f) => f.code);
	const now = await codesNow(db, [code, ...codes]);
	return codes.find((c) => c !== code && now.get(c) === now.get(code));
}

/**
 * Where the notice of a replaced version leads: the fiche in the latest version, or that
 * version's bilan when the fiche has left the plan since (its page there would be a 404).
 */
async function latestPageOf(
	db: Executor,
	year: number,
	code: string,
	version: number,
	versions: { version: number }[]
): Promise<string> {
	const latest = Math.max(...versions.map((v) => v.version));
	if (latest <= version) return `/bilans/${year}/fiches/${code}`;
	const inLatest = frozenFicheOf(await findFrozenFiche(db, year, code), code);
	return inLatest ? `/bilans/${year}/fiches/${code}` : `/bilans/${year}`;
}

/** The key of an edition's page data: the year and `?version=` as the address gives them. */
export function editionKeyOfUrl(yearParam: string, url: URL): string {
	const version = url.searchParams.get('version');
	return version === null ? yearParam : `${yearParam}|${version}`;
}

/**
 * An edition's page data, put together once per change of published data (a published edition
 * never changes; a new version is a change): its snapshot read and parsed once. Every request is
 * still rendered. Keyed by editionKeyOfUrl (a made-up version is a 404, not kept).
 */
export const editionView = keyedByRevision((db, key: string) => editionViewOf(db, key, false), 16);

/** The same for the version to print (`/bilans/[year]/impression`): with each fiche's updates. */
export const editionPrintView = keyedByRevision(
	(db, key: string) => editionViewOf(db, key, true),
	4
);

async function editionViewOf(db: Executor, key: string, withUpdates: boolean) {
	const bar = key.indexOf('|');
	const snapshot =
		bar < 0
			? await publishedEditionOf(key, null)
			: await publishedEditionOf(key.slice(0, bar), key.slice(bar + 1));
	const page = editionPage(snapshot, withUpdates);
	const datapackage = await findPublishedFile(db, snapshot.year, 'datapackage', snapshot.version);
	return {
		snapshot: page,
		versions: await listVersions(db, snapshot.year),
		// Every file the edition froze, linked from its page as its data package lists them.
		files: datapackage ? packageFiles(datapackage.body) : [],
		// Validated after the publication, updates of its period are not in it: the page says so,
		// fiche by fiche in the edition's order.
		laterUpdates: snapshot.publishedAt
			? inEditionOrder(
					page,
					await countUpdatesValidatedAfter(db, {
						from: `${snapshot.year}-01-01`,
						to: snapshot.asOf,
						after: snapshot.publishedAt
					}),
					await codesNow(
						db,
						page.axes.flatMap((axis) => axis.fiches.map((f) => f.code))
					)
				)
			: [],
		// Closed after the publication, a sitting of the year is not in it: the page says so.
		laterSittings: snapshot.publishedAt
			? await listSittingsClosedAfter(
					db,
					`${snapshot.year}-01-01`,
					snapshot.asOf,
					snapshot.publishedAt
				)
			: [],
		// The portal's public address as configured (ORIGIN), never the one a request claims: the
		// page is kept and shared by every visitor.
		portal: originSetting()
	};
}

/**
 * The counts of the edition's fiches, in its order, each found under the code it has `now` and
 * named by the edition's (those of a fiche it does not have, left out).
 */
function inEditionOrder(
	page: ReturnType<typeof editionPage>,
	counts: { code: string; updates: number }[],
	now: Map<string, string>
): { code: string; updates: number }[] {
	const byCode = new Map(counts.map((c) => [c.code, c.updates]));
	return page.axes
		.flatMap((axis) => axis.fiches)
		.flatMap(({ code }) => {
			const updates = byCode.get(now.get(code) ?? code);
			return updates ? [{ code, updates }] : [];
		});
}

/**
 * The code each fiche of an edition has today, by the code it had there: a fiche moved to another
 * objective since has another, under which its updates are counted; it is still named by the
 * edition's. Codes are never given twice: a former code is that fiche's only.
 */
async function codesNow(db: Executor, editionCodes: string[]): Promise<Map<string, string>> {
	const moves = await listFicheMoves(db);
	const movedTo = new Map(moves.map((m) => [m.formerCode, m.code]));
	return new Map(editionCodes.map((code) => [code, movedTo.get(code) ?? code]));
}

/**
 * An edition's charts (`/bilans/2018/graphiques.json`), written once per change, with the
 * publication they were frozen at.
 */
export const editionChartsJson = keyedByRevision(async (db, key: string) => {
	const { snapshot } = await editionView(db, key);
	return {
		body: JSON.stringify(dashboardCharts(snapshot.dashboard)),
		publishedAt: snapshot.publishedAt
	};
}, 16);
