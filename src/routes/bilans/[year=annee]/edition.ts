import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/instance';
import {
	findFrozenFiche,
	findPublishedFile,
	findPublishedSnapshot
} from '$lib/server/editions/repository';

/** The year and version named by the URL (`/bilans/2019`, `?version=1`), or a French 404. */
function editionKey(yearParam: string, url: URL): { year: number; version: number | undefined } {
	return editionKeyOf(yearParam, url.searchParams.get('version'));
}

function editionKeyOf(
	yearParam: string,
	versionParam: string | null
): { year: number; version: number | undefined } {
	if (!/^\d{4}$/.test(yearParam) || (versionParam !== null && !/^\d{1,4}$/.test(versionParam)))
		error(404, 'Ce bilan n’existe pas.');
	return {
		year: Number(yearParam),
		version: versionParam === null ? undefined : Number(versionParam)
	};
}

function notPublished(year: number, version: number | undefined): never {
	error(404, `Aucun bilan ${year} n’est publié${version ? ` en version ${version}` : ''}.`);
}

/** The published edition named by the URL, as its page shows it. */
export async function publishedEdition(yearParam: string, url: URL) {
	return publishedEditionOf(yearParam, url.searchParams.get('version'));
}

/** The published edition of a year and a version (`?version=`; the latest when null). */
export async function publishedEditionOf(yearParam: string, versionParam: string | null) {
	const { year, version } = editionKeyOf(yearParam, versionParam);
	return (await findPublishedSnapshot(getDb(), year, version)) ?? notPublished(year, version);
}

/** One open-data file of the published edition named by the URL, as frozen at publication. */
export async function publishedFile(yearParam: string, name: string, url: URL) {
	const { year, version } = editionKey(yearParam, url);
	const file = await findPublishedFile(getDb(), year, name, version);
	if (file) return { name, ...file };
	return (await findPublishedSnapshot(getDb(), year, version))
		? error(404, 'Ce fichier de données n’existe pas.')
		: notPublished(year, version);
}

/**
 * One fiche as the published edition named by the URL froze it (`/bilans/2018/fiches/17-1`): its
 * place in the plan, texts, owners, partners, links and indicators as they stood at publication,
 * and its year in the edition (status, advancement, every validated update of the year).
 */
export async function publishedFiche(yearParam: string, code: string, url: URL) {
	const { year, version } = editionKey(yearParam, url);
	const edition =
		(await findFrozenFiche(getDb(), year, code, version)) ?? notPublished(year, version);
	const fiche = edition.plan?.fiches.find((f) => f.code === code);
	if (!edition.plan || !fiche || !edition.texts)
		error(404, `La fiche ${code} ne figure pas dans le bilan ${year}.`);
	const objective = edition.plan.objectives.find((o) => o.number === fiche.objective);
	const orientation = edition.plan.orientations.find((o) => o.code === objective?.orientation);
	const axis = edition.plan.axes.find((a) => a.code === orientation?.axis);
	return {
		edition: {
			year: edition.year,
			version: edition.version,
			asOf: edition.asOf,
			publishedAt: edition.publishedAt ?? ''
		},
		fiche,
		ficheYear: edition.ficheYear ?? null,
		texts: edition.texts,
		place: { axis, orientation, objective }
	};
}
