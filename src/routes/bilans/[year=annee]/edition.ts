import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/instance';
import { findPublishedFile, findPublishedSnapshot } from '$lib/server/editions/repository';

/** The year and version named by the URL (`/bilans/2019`, `?version=1`), or a French 404. */
function editionKey(yearParam: string, url: URL): { year: number; version: number | undefined } {
	const versionParam = url.searchParams.get('version');
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
	const { year, version } = editionKey(yearParam, url);
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
