import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/instance';
import { findPublishedSnapshot } from '$lib/server/editions/repository';

/** The published edition named by the URL (`/bilans/2019`, `?version=1`), or a French 404. */
export async function publishedEdition(yearParam: string, url: URL) {
	const versionParam = url.searchParams.get('version');
	if (!/^\d{4}$/.test(yearParam) || (versionParam !== null && !/^\d{1,4}$/.test(versionParam)))
		error(404, 'Ce bilan n’existe pas.');
	const snapshot = await findPublishedSnapshot(
		getDb(),
		Number(yearParam),
		versionParam === null ? undefined : Number(versionParam)
	);
	if (!snapshot)
		error(
			404,
			`Aucun bilan ${yearParam.slice(0, 4)} n’est publié${versionParam ? ` en version ${versionParam}` : ''}.`
		);
	return snapshot;
}
