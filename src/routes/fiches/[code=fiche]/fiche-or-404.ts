import { error } from '@sveltejs/kit';
import { findMovedFicheCode } from '$lib/server/authoring/revisions-repository';
import type { Db } from '$lib/server/db';
import { getDb } from '$lib/server/db/instance';
import { redirectToMovedFiche } from '$lib/server/http/moved-fiche';
import { FICHE_CODE_PATTERN } from '$lib/utils/text';

/**
 * The fiche named by the URL, read by `find`; a fiche that moved to another objective (a new code)
 * is found at its former address too, by a redirect to its new one (bookmarks, links in mails
 * already sent), a temporary one (307) that browsers do not keep for good; otherwise a French 404.
 * The code is not given again in its objective (listObjectiveFicheNumbers).
 */
export async function ficheOr404<T>(
	code: string,
	find: (db: Db, code: string) => Promise<T | undefined>,
	url: URL
): Promise<T> {
	const known = FICHE_CODE_PATTERN.test(code);
	const fiche = known ? await find(getDb(), code) : undefined;
	if (fiche) return fiche;
	const moved = known ? await findMovedFicheCode(getDb(), code) : undefined;
	if (moved) redirectToMovedFiche(url, code, moved);
	error(404, `Aucune fiche-action ne porte le code « ${code.slice(0, 20)} ».`);
}
